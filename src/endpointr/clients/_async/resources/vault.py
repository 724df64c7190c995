from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ....types._base import Deleted
from ....types.vault import VaultEntry, VaultEntrySummary
from ..._base import NOT_GIVEN, Timeout, path_segment
from .._resource import AsyncAPIResource


class AsyncVault(AsyncAPIResource):
    """Your named secrets (``/v1/vault``): JSON objects sealed at rest, returned on request."""

    async def list(self, *, timeout: Timeout = NOT_GIVEN) -> list[VaultEntrySummary]:
        """Names and update times of your entries; values stay sealed."""
        return await self._client._request(
            "GET", "/v1/vault", cast=list[VaultEntrySummary], timeout=timeout
        )

    async def get(self, name: str, *, timeout: Timeout = NOT_GIVEN) -> dict[str, Any]:
        """The JSON object stored at ``name`` (:class:`NotFoundError` if there is none)."""
        entry = await self._client._request(
            "GET", f"/v1/vault/{path_segment(name)}", cast=VaultEntry, timeout=timeout
        )
        return entry.data

    async def put(
        self, name: str, data: Mapping[str, Any], *, timeout: Timeout = NOT_GIVEN
    ) -> VaultEntrySummary:
        """Create or replace the entry at ``name``."""
        return await self._client._request(
            "PUT",
            f"/v1/vault/{path_segment(name)}",
            json=dict(data),
            cast=VaultEntrySummary,
            timeout=timeout,
        )

    async def delete(self, name: str, *, timeout: Timeout = NOT_GIVEN) -> Deleted:
        """Remove the entry at ``name``."""
        return await self._client._request(
            "DELETE", f"/v1/vault/{path_segment(name)}", cast=Deleted, timeout=timeout
        )
