"""Campaigns, ad sets, ads, creatives and audiences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from .....types.marketing import (
    Ad,
    AdPreview,
    AdSet,
    Audience,
    AudienceUsersResult,
    Campaign,
    Creative,
    CreativeValidation,
    ObjectPage,
    Status,
)
from ...._base import NOT_GIVEN, NotGiven, Timeout
from ._shared import AsyncGraphObjects, AsyncStatusVerbs, body, query

When = datetime | str | int


class AsyncCampaigns(AsyncStatusVerbs[Campaign]):
    """``client.marketing.campaigns``."""

    _path = "/v1/marketing/campaigns"
    _model = Campaign
    _page = ObjectPage[Campaign]

    async def list(
        self,
        *,
        account_id: str,
        refresh: bool = False,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ObjectPage[Campaign]:
        """The account's campaigns, from the local mirror (``.source == "local"``) or, with
        ``refresh=True`` or before the account was ever listed, from Meta."""
        return await self._list(query(account_id=account_id, refresh=refresh, limit=limit), timeout)

    async def create(
        self,
        *,
        account_id: str,
        name: str,
        objective: str,
        status: Status = "PAUSED",
        special_ad_categories: Sequence[str] | NotGiven = NOT_GIVEN,
        daily_budget: int | NotGiven = NOT_GIVEN,
        lifetime_budget: int | NotGiven = NOT_GIVEN,
        bid_strategy: str | NotGiven = NOT_GIVEN,
        buying_type: str | NotGiven = NOT_GIVEN,
        spend_cap: int | NotGiven = NOT_GIVEN,
        start_time: When | NotGiven = NOT_GIVEN,
        stop_time: When | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Campaign:
        """Create a campaign; budgets are in the account currency's minor units."""
        values = dict(locals())
        return await self._post(body(_fields(values), extra_body), timeout)

    async def update(
        self,
        id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        status: Status | NotGiven = NOT_GIVEN,
        daily_budget: int | NotGiven = NOT_GIVEN,
        lifetime_budget: int | NotGiven = NOT_GIVEN,
        bid_strategy: str | NotGiven = NOT_GIVEN,
        spend_cap: int | NotGiven = NOT_GIVEN,
        special_ad_categories: Sequence[str] | NotGiven = NOT_GIVEN,
        start_time: When | NotGiven = NOT_GIVEN,
        stop_time: When | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Campaign:
        """Change only the fields given."""
        values = dict(locals())
        return await self._put(id, body(_fields(values), extra_body), timeout)


class AsyncAdSets(AsyncStatusVerbs[AdSet]):
    """``client.marketing.ad_sets``."""

    _path = "/v1/marketing/ad-sets"
    _model = AdSet
    _page = ObjectPage[AdSet]

    async def list(
        self,
        *,
        account_id: str | None = None,
        campaign_id: str | None = None,
        refresh: bool = False,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ObjectPage[AdSet]:
        """Ad sets of an account and/or one campaign (mirror, or Meta with ``refresh``)."""
        params = query(account_id=account_id, campaign_id=campaign_id, refresh=refresh, limit=limit)
        return await self._list(params, timeout)

    async def create(
        self,
        *,
        account_id: str,
        campaign_id: str,
        name: str,
        billing_event: str,
        optimization_goal: str,
        targeting: Mapping[str, Any],
        status: Status | NotGiven = NOT_GIVEN,
        daily_budget: int | NotGiven = NOT_GIVEN,
        lifetime_budget: int | NotGiven = NOT_GIVEN,
        bid_amount: int | NotGiven = NOT_GIVEN,
        bid_strategy: str | NotGiven = NOT_GIVEN,
        start_time: When | NotGiven = NOT_GIVEN,
        end_time: When | NotGiven = NOT_GIVEN,
        attribution_spec: Sequence[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        promoted_object: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        destination_type: str | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> AdSet:
        """Create an ad set; ``daily_budget`` or ``lifetime_budget``, never both."""
        values = dict(locals())
        return await self._post(body(_fields(values), extra_body), timeout)

    async def update(
        self,
        id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        status: Status | NotGiven = NOT_GIVEN,
        daily_budget: int | NotGiven = NOT_GIVEN,
        lifetime_budget: int | NotGiven = NOT_GIVEN,
        bid_amount: int | NotGiven = NOT_GIVEN,
        bid_strategy: str | NotGiven = NOT_GIVEN,
        targeting: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        start_time: When | NotGiven = NOT_GIVEN,
        end_time: When | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> AdSet:
        """Change only the fields given."""
        values = dict(locals())
        return await self._put(id, body(_fields(values), extra_body), timeout)


class AsyncAds(AsyncStatusVerbs[Ad]):
    """``client.marketing.ads``."""

    _path = "/v1/marketing/ads"
    _model = Ad
    _page = ObjectPage[Ad]

    async def list(
        self,
        *,
        account_id: str | None = None,
        campaign_id: str | None = None,
        adset_id: str | None = None,
        refresh: bool = False,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ObjectPage[Ad]:
        """Ads of an account, campaign or ad set (mirror, or Meta with ``refresh``)."""
        params = query(
            account_id=account_id,
            campaign_id=campaign_id,
            adset_id=adset_id,
            refresh=refresh,
            limit=limit,
        )
        return await self._list(params, timeout)

    async def create(
        self,
        *,
        account_id: str,
        name: str,
        adset_id: str,
        creative_id: str | NotGiven = NOT_GIVEN,
        creative: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        status: Status | NotGiven = NOT_GIVEN,
        tracking_specs: Sequence[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Ad:
        """Create an ad from an existing ``creative_id`` or an inline ``creative`` spec."""
        values = dict(locals())
        return await self._post(body(_fields(values), extra_body), timeout)

    async def update(
        self,
        id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        status: Status | NotGiven = NOT_GIVEN,
        creative_id: str | NotGiven = NOT_GIVEN,
        tracking_specs: Sequence[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Ad:
        """Change only the fields given."""
        values = dict(locals())
        return await self._put(id, body(_fields(values), extra_body), timeout)

    async def preview(
        self, id: str, *, ad_format: str = "DESKTOP_FEED_STANDARD", timeout: Timeout = NOT_GIVEN
    ) -> AdPreview:
        """The ad's HTML preview (an iframe) in ``ad_format`` (MOBILE_FEED_STANDARD,
        INSTAGRAM_STORY, …)."""
        return await self._client._request(
            "POST",
            self._path,
            json={"action": "preview", "id": id, "ad_format": ad_format},
            cast=AdPreview,
            timeout=timeout,
        )


class AsyncCreatives(AsyncGraphObjects[Creative]):
    """``client.marketing.creatives`` (creatives are immutable in Meta: no update)."""

    _path = "/v1/marketing/creatives"
    _model = Creative
    _page = ObjectPage[Creative]

    async def list(
        self,
        *,
        account_id: str,
        refresh: bool = False,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ObjectPage[Creative]:
        """The account's creatives (mirror, or Meta with ``refresh``)."""
        return await self._list(query(account_id=account_id, refresh=refresh, limit=limit), timeout)

    async def create(
        self,
        *,
        account_id: str,
        name: str,
        object_story_spec: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        asset_feed_spec: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        image_hash: str | NotGiven = NOT_GIVEN,
        video_id: str | NotGiven = NOT_GIVEN,
        url_tags: str | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Creative:
        """Create a creative (``image_hash`` from ad images, ``video_id`` from ad videos)."""
        values = dict(locals())
        return await self._post(body(_fields(values), extra_body), timeout)

    async def validate(
        self,
        *,
        account_id: str,
        name: str,
        object_story_spec: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        asset_feed_spec: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        image_hash: str | NotGiven = NOT_GIVEN,
        video_id: str | NotGiven = NOT_GIVEN,
        url_tags: str | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> CreativeValidation:
        """Have Meta check a creative without creating it: ``.valid`` and ``.errors``."""
        values = {**_fields(dict(locals())), "action": "validate"}
        return await self._client._request(
            "POST",
            self._path,
            json=body(values, extra_body),
            cast=CreativeValidation,
            timeout=timeout,
        )


class AsyncAudiences(AsyncGraphObjects[Audience]):
    """``client.marketing.audiences``: custom and lookalike audiences and their users."""

    _path = "/v1/marketing/audiences"
    _model = Audience
    _page = ObjectPage[Audience]

    async def list(
        self,
        *,
        account_id: str,
        refresh: bool = False,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ObjectPage[Audience]:
        """The account's audiences (mirror, or Meta with ``refresh``)."""
        return await self._list(query(account_id=account_id, refresh=refresh, limit=limit), timeout)

    async def create(
        self,
        *,
        account_id: str,
        name: str,
        subtype: str = "CUSTOM",
        description: str | NotGiven = NOT_GIVEN,
        customer_file_source: str | NotGiven = NOT_GIVEN,
        retention_days: int | NotGiven = NOT_GIVEN,
        rule: Mapping[str, Any] | str | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Audience:
        """Create a custom audience (a customer list unless ``subtype``/``rule`` say else)."""
        values = dict(locals())
        return await self._post(body(_fields(values), extra_body), timeout)

    async def lookalike(
        self,
        *,
        account_id: str,
        name: str,
        origin_audience_id: str,
        lookalike_spec: Mapping[str, Any],
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Audience:
        """Create a lookalike of ``origin_audience_id``, e.g. ``lookalike_spec={"type":
        "similarity", "country": "DK", "ratio": 0.01}``."""
        values = {**_fields(dict(locals())), "action": "lookalike"}
        return await self._post(body(values, extra_body), timeout)

    async def add_users(
        self,
        id: str,
        *,
        schema: str | Sequence[str],
        users: Sequence[str | Sequence[str]],
        timeout: Timeout = NOT_GIVEN,
    ) -> AudienceUsersResult:
        """Add users: values are normalised and SHA-256 hashed by the gateway (values that are
        64 hex digits already are sent as they are). One schema key: ``users`` are strings;
        several: one sequence per user."""
        return await self._users("add_users", id, schema, users, timeout)

    async def remove_users(
        self,
        id: str,
        *,
        schema: str | Sequence[str],
        users: Sequence[str | Sequence[str]],
        timeout: Timeout = NOT_GIVEN,
    ) -> AudienceUsersResult:
        """Remove users; the same shape as :meth:`add_users`."""
        return await self._users("remove_users", id, schema, users, timeout)

    async def _users(
        self,
        action: Literal["add_users", "remove_users"],
        id: str,
        schema: str | Sequence[str],
        users: Sequence[str | Sequence[str]],
        timeout: Timeout,
    ) -> AudienceUsersResult:
        payload = {
            "action": action,
            "id": id,
            "schema": [schema] if isinstance(schema, str) else list(schema),
            "users": [u if isinstance(u, str) else list(u) for u in users],
        }
        return await self._client._request(
            "POST", self._path, json=payload, cast=AudienceUsersResult, timeout=timeout
        )


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    """A method's ``locals()`` without what is not a body field."""
    return {
        k: v
        for k, v in values.items()
        if k not in ("self", "id", "timeout", "extra_body", "values")
    }
