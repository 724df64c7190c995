from __future__ import annotations

from typing import Any

from ....types._base import Deleted
from ....types.credentials import CredentialStatus
from ..._base import NOT_GIVEN, Timeout, path_segment
from .._resource import AsyncAPIResource


class AsyncCredentials(AsyncAPIResource):
    """Third-party credentials (``/v1/credentials/{service}``), sealed; never read back."""

    async def set(
        self, service: str, /, *, timeout: Timeout = NOT_GIVEN, **fields: Any
    ) -> CredentialStatus:
        """Store the service's credentials, e.g. ``set("openai", api_key="sk-...")``.

        AI providers join the end of your provider priority list.
        """
        return await self._client._request(
            "PUT",
            f"/v1/credentials/{path_segment(service)}",
            json=fields,
            cast=CredentialStatus,
            timeout=timeout,
        )

    async def retrieve(self, service: str, *, timeout: Timeout = NOT_GIVEN) -> CredentialStatus:
        """Whether credentials are stored for ``service`` (``.exists``), and their field names."""
        return await self._client._request(
            "GET",
            f"/v1/credentials/{path_segment(service)}",
            cast=CredentialStatus,
            timeout=timeout,
        )

    async def delete(self, service: str, *, timeout: Timeout = NOT_GIVEN) -> Deleted:
        """Remove the service's credentials (and the provider from your priority list)."""
        return await self._client._request(
            "DELETE", f"/v1/credentials/{path_segment(service)}", cast=Deleted, timeout=timeout
        )
