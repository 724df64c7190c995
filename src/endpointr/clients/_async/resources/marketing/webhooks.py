"""Meta webhook subscriptions."""

from __future__ import annotations

from collections.abc import Sequence

from .....types._base import Deleted
from .....types.marketing import WebhookSubscription, WebhookSubscriptionList
from ...._base import NOT_GIVEN, NotGiven, Timeout, path_segment
from ..._resource import AsyncAPIResource
from ._shared import body


class AsyncWebhookSubscriptions(AsyncAPIResource):
    """``client.marketing.webhook_subscriptions``: the Meta app's webhook subscriptions, and
    which objects' deliveries are yours."""

    _path = "/v1/marketing/webhook-subscriptions"

    async def list(self, *, timeout: Timeout = NOT_GIVEN) -> WebhookSubscriptionList:
        """``.meta``: the app's subscriptions as Meta lists them; ``.local``: your objects."""
        return await self._client._request(
            "GET", self._path, cast=WebhookSubscriptionList, timeout=timeout
        )

    async def create(
        self,
        *,
        object: str,
        fields: Sequence[str],
        object_id: str | NotGiven = NOT_GIVEN,
        callback_url: str | NotGiven = NOT_GIVEN,
        verify_token: str | NotGiven = NOT_GIVEN,
        timeout: Timeout = NOT_GIVEN,
    ) -> WebhookSubscription:
        """Subscribe the app to ``object`` (``page``, ``ad_account`` …) ``fields``
        (``["leadgen"]`` …); with ``object_id``, deliveries about it are attributed to you.
        ``callback_url`` defaults to the gateway's inbound endpoint."""
        payload = body(
            {
                "object": object,
                "fields": list(fields),
                "object_id": object_id,
                "callback_url": callback_url,
                "verify_token": verify_token,
            }
        )
        return await self._client._request(
            "POST", self._path, json=payload, cast=WebhookSubscription, timeout=timeout
        )

    async def delete(self, object: str, *, timeout: Timeout = NOT_GIVEN) -> Deleted:
        """Unsubscribe the app from ``object`` (Meta keys subscriptions by object)."""
        return await self._client._request(
            "DELETE", f"{self._path}/{path_segment(object)}", cast=Deleted, timeout=timeout
        )
