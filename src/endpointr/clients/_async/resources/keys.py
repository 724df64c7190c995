from __future__ import annotations

from ....types.keys import PublicKey
from ..._base import NOT_GIVEN, Timeout
from .._resource import AsyncAPIResource


class AsyncKeys(AsyncAPIResource):
    """Your PEM public key (``/v1/keys``)."""

    async def upload(self, *, public_key: str, timeout: Timeout = NOT_GIVEN) -> PublicKey:
        """Store your PEM public key (RSA, at least 2048 bits). Never pass a private key."""
        return await self._client._request(
            "POST", "/v1/keys", json={"publicKey": public_key}, cast=PublicKey, timeout=timeout
        )

    async def retrieve(self, *, timeout: Timeout = NOT_GIVEN) -> PublicKey:
        """The stored public key (:class:`NotFoundError` if none was uploaded)."""
        return await self._client._request("GET", "/v1/keys", cast=PublicKey, timeout=timeout)
