from __future__ import annotations

from ....types.auth import Revoked, Token, TokenInfo
from ..._base import NOT_GIVEN, Timeout
from .._resource import AsyncAPIResource


class AsyncAuth(AsyncAPIResource):
    """JWTs (``/v1/token``). The client manages its own token; these are for inspecting and
    controlling it (or another token) explicitly. Without ``token=``, they act on the
    client's current token, obtaining one first if needed."""

    async def issue(self, *, api_key: str | None = None, timeout: Timeout = NOT_GIVEN) -> Token:
        """Exchange an api_key (default: the client's own) for a JWT; it becomes current."""
        key = api_key or self._client.api_key
        token = await self._client._request(
            "POST",
            "/v1/token",
            json={"api_key": key} if key else {},
            cast=Token,
            auth="none",
            timeout=timeout,
        )
        if api_key is None:
            self._client._remember_token(token)
        return token

    async def introspect(
        self, token: str | None = None, *, timeout: Timeout = NOT_GIVEN
    ) -> TokenInfo:
        """Whether the token is valid, and if not why (``expired``, ``revoked`` …)."""
        bearer = token or await self._client._current_token()
        return await self._client._request(
            "GET", "/v1/token", cast=TokenInfo, auth=bearer, timeout=timeout
        )

    async def rotate(self, token: str | None = None, *, timeout: Timeout = NOT_GIVEN) -> Token:
        """Revoke the token and issue a fresh one (which becomes current if it replaced it)."""
        bearer = token or await self._client._current_token()
        fresh = await self._client._request(
            "PATCH", "/v1/token", cast=Token, auth=bearer, timeout=timeout
        )
        if token is None:
            self._client._remember_token(fresh)
        return fresh

    async def revoke(self, token: str | None = None, *, timeout: Timeout = NOT_GIVEN) -> Revoked:
        """Revoke the token (log out). A revoked current token is replaced on the next call."""
        bearer = token or await self._client._current_token()
        revoked = await self._client._request(
            "DELETE", "/v1/token", cast=Revoked, auth=bearer, timeout=timeout
        )
        if token is None:
            self._client._remember_token(None)
        return revoked
