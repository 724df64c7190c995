from __future__ import annotations

from ....types._base import Deleted
from ....types.webhooks import NewWebhook, Webhook
from ..._base import NOT_GIVEN, Timeout, path_segment
from .._resource import AsyncAPIResource


class AsyncWebhooks(AsyncAPIResource):
    """Outbound webhooks (``/v1/webhooks``): events POSTed to your URLs, signed.

    Verify deliveries with :func:`endpointr.webhooks.verify`.
    """

    async def events(self, *, timeout: Timeout = NOT_GIVEN) -> list[str]:
        """Every event name you can subscribe to (inbound families as ``<family>.*``)."""
        return await self._client._request(
            "GET", "/v1/webhooks/events", cast=list[str], timeout=timeout
        )

    async def list(self, *, timeout: Timeout = NOT_GIVEN) -> list[Webhook]:
        """Your webhooks, with recent deliveries: last status, attempts, next retry."""
        return await self._client._request(
            "GET", "/v1/webhooks", cast=list[Webhook], timeout=timeout
        )

    async def retrieve(self, id: str, *, timeout: Timeout = NOT_GIVEN) -> Webhook:
        """One webhook with its recent deliveries."""
        return await self._client._request(
            "GET", f"/v1/webhooks/{path_segment(id)}", cast=Webhook, timeout=timeout
        )

    async def create(self, *, event: str, url: str, timeout: Timeout = NOT_GIVEN) -> NewWebhook:
        """Subscribe ``url`` to ``event`` (a name, ``Prefix.*`` or ``*``).

        The result's ``secret`` signs every delivery; it is shown only this once.
        """
        return await self._client._request(
            "POST", "/v1/webhooks", json={"event": event, "url": url}, cast=NewWebhook,
            timeout=timeout,
        )  # fmt: skip

    async def delete(self, id: str, *, timeout: Timeout = NOT_GIVEN) -> Deleted:
        """Unsubscribe (pending retries stop too)."""
        return await self._client._request(
            "DELETE", f"/v1/webhooks/{path_segment(id)}", cast=Deleted, timeout=timeout
        )
