"""Ad accounts, Pages, pixels (and the Conversions API), catalogs, and the token itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .....types.marketing import (
    AdAccount,
    Catalog,
    ConversionEvent,
    ConversionsResult,
    DebugToken,
    ExtendedToken,
    FacebookPage,
    ObjectPage,
    Pixel,
    Scopes,
    TokenReport,
)
from ...._base import NOT_GIVEN, NotGiven, Timeout
from ..._resource import AsyncAPIResource
from ._shared import AsyncByAccount, AsyncMirrored, body, query


class AsyncAdAccounts(AsyncMirrored[AdAccount]):
    """``client.marketing.ad_accounts``: ``retrieve`` takes ``act_1234`` or ``1234``."""

    _path = "/v1/marketing/ad-accounts"
    _model = AdAccount
    _page = ObjectPage[AdAccount]

    async def list(
        self, *, refresh: bool = False, limit: int | None = None, timeout: Timeout = NOT_GIVEN
    ) -> ObjectPage[AdAccount]:
        """Every ad account the stored token can see (of its business, when the credentials
        name a ``business_id``)."""
        return await self._list(query(refresh=refresh, limit=limit), timeout)


class AsyncPages(AsyncMirrored[FacebookPage]):
    """``client.marketing.pages``."""

    _path = "/v1/marketing/pages"
    _model = FacebookPage
    _page = ObjectPage[FacebookPage]

    async def list(
        self,
        *,
        refresh: bool = False,
        include_access_tokens: bool = False,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ObjectPage[FacebookPage]:
        """Your Facebook Pages; ``include_access_tokens=True`` asks Meta and adds each Page's
        access token (tokens are never kept in the mirror)."""
        params = query(
            refresh=refresh, include_access_tokens=include_access_tokens or None, limit=limit
        )
        return await self._list(params, timeout)


class AsyncPixels(AsyncMirrored[Pixel], AsyncByAccount[Pixel]):
    """``client.marketing.pixels``, and server-side events through the Conversions API."""

    _path = "/v1/marketing/pixels"
    _model = Pixel
    _page = ObjectPage[Pixel]

    async def create(
        self,
        *,
        pixel_id: str,
        events: Sequence[ConversionEvent | Mapping[str, Any]],
        test_event_code: str | NotGiven = NOT_GIVEN,
        timeout: Timeout = NOT_GIVEN,
    ) -> ConversionsResult:
        """Send Conversions API events. ``user_data`` (em, ph, fn, ln, …) may be plain: the
        gateway normalises and SHA-256 hashes it; ``test_event_code`` sends to Test Events."""
        json = body(
            {
                "pixel_id": pixel_id,
                "events": [e if isinstance(e, ConversionEvent) else dict(e) for e in events],
                "test_event_code": test_event_code,
            }
        )
        return await self._client._request(
            "POST", self._path, json=json, cast=ConversionsResult, timeout=timeout
        )


class AsyncCatalogs(AsyncMirrored[Catalog]):
    """``client.marketing.catalogs``: the business's product catalogs."""

    _path = "/v1/marketing/catalogs"
    _model = Catalog
    _page = ObjectPage[Catalog]

    async def list(
        self, *, refresh: bool = False, limit: int | None = None, timeout: Timeout = NOT_GIVEN
    ) -> ObjectPage[Catalog]:
        """The catalogs of the business in your credentials (``business_id``)."""
        return await self._list(query(refresh=refresh, limit=limit), timeout)

    async def product_sets(
        self, id: str, *, limit: int | None = None, timeout: Timeout = NOT_GIVEN
    ) -> ObjectPage[dict[str, Any]]:
        """The catalog's product sets, from Meta."""
        return await self._action("product_sets", id, limit, timeout)

    async def products(
        self, id: str, *, limit: int | None = None, timeout: Timeout = NOT_GIVEN
    ) -> ObjectPage[dict[str, Any]]:
        """The catalog's products, from Meta."""
        return await self._action("products", id, limit, timeout)

    async def diagnostics(
        self, id: str, *, limit: int | None = None, timeout: Timeout = NOT_GIVEN
    ) -> ObjectPage[dict[str, Any]]:
        """The catalog's diagnostics (feed and product problems), from Meta."""
        return await self._action("diagnostics", id, limit, timeout)

    async def _action(
        self, action: str, id: str, limit: int | None, timeout: Timeout
    ) -> ObjectPage[dict[str, Any]]:
        return await self._client._request(
            "GET",
            self._path,
            params=query(action=action, id=id, limit=limit),
            cast=ObjectPage[dict[str, Any]],
            timeout=timeout,
        )


class AsyncMarketingAuth(AsyncAPIResource):
    """``client.marketing.auth``: what the stored Meta token is and may do."""

    _path = "/v1/marketing/auth"

    async def inspect(self, *, timeout: Timeout = NOT_GIVEN) -> TokenReport:
        """Both :meth:`debug_token` and :meth:`scopes` in one call: the smoke test after
        storing meta-ads credentials."""
        return await self._client._request("GET", self._path, cast=TokenReport, timeout=timeout)

    async def debug_token(self, *, timeout: Timeout = NOT_GIVEN) -> DebugToken:
        """Meta's ``/debug_token``: type, ``expires_at`` (0: a System User token), scopes."""
        report = await self._client._request(
            "GET",
            self._path,
            params={"action": "debug-token"},
            cast=TokenReport,
            timeout=timeout,
        )
        assert report.debug_token is not None
        return report.debug_token

    async def scopes(self, *, timeout: Timeout = NOT_GIVEN) -> Scopes:
        """The token's permissions: granted, declined, expired."""
        report = await self._client._request(
            "GET", self._path, params={"action": "scopes"}, cast=TokenReport, timeout=timeout
        )
        assert report.scopes is not None
        return report.scopes

    async def extend(self, *, store: bool = False, timeout: Timeout = NOT_GIVEN) -> ExtendedToken:
        """Trade the stored short-lived user token for a ~60-day one. ``store=True`` makes it
        the stored token (and does not return it)."""
        return await self._client._request(
            "POST",
            self._path,
            json={"action": "extend", "store": store},
            cast=ExtendedToken,
            timeout=timeout,
        )


__all__ = [
    "AsyncAdAccounts",
    "AsyncCatalogs",
    "AsyncMarketingAuth",
    "AsyncPages",
    "AsyncPixels",
]
