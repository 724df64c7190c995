"""``/v1/webhooks``: subscribe a URL to an event; the secret that signs deliveries is shown once."""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence

from .... import webhooks
from ....types._base import Deleted
from ....types.webhooks import NewWebhook, Webhook, WebhookCreate, WebhookDelivery
from ...catalog import check_subscription, event_names
from ...clock import utc
from ...errors import BadRequest, NotFound
from ...eventjobs import recent
from ...handler import Handler, route
from ...net.ssrf import BlockedURLError
from ...store.base import WebhookRecord
from .delivery import SECRET_KIND


class WebhooksHandler(Handler):
    path = "/v1/webhooks"

    @route("GET", "/v1/webhooks/events", op="events")
    async def events(self) -> list[str]:
        """Every event name a handler can fire, then the inbound families as ``<family>.*``."""
        endpoints = await self.ctx.store.inbound.endpoints(self.customer.id)
        return event_names(self.ctx.gateway.router, [e.provider for e in endpoints])

    async def list(self) -> list[Webhook]:
        """Your webhooks, each with its recent deliveries and their attempts."""
        hooks = await self.ctx.store.webhooks.list(self.customer.id)
        return [await self._describe(h) for h in hooks]

    async def retrieve(self, id: str) -> Webhook:
        """One webhook with its recent deliveries."""
        return await self._describe(await self._get(id))

    async def create(self, body: WebhookCreate) -> NewWebhook:
        """Subscribe ``url`` to ``event``; the answer holds the signing secret, shown once."""
        event = check_subscription(body.event.strip(), self.ctx.gateway.router)
        try:
            url = str(self.ctx.gateway.fetcher.check_url(body.url.strip()))
        except BlockedURLError as exc:
            raise BadRequest(f"url: {exc}", code="invalid_url") from None
        hook_id = "wh_" + secrets.token_hex(12)
        secret = webhooks.new_secret()
        sealed = self.ctx.vault.seal(self.customer.id, SECRET_KIND, hook_id, secret)
        record = WebhookRecord(hook_id, self.customer.id, event, url, sealed, time.time())
        await self.ctx.store.webhooks.add(record)
        return NewWebhook(
            id=hook_id, event=event, url=url, created_at=utc(record.created_at), secret=secret
        )

    async def delete(self, id: str) -> Deleted:
        """Unsubscribe: no further deliveries (pending retries stop too)."""
        if not await self.ctx.store.webhooks.delete(self.customer.id, id):
            raise NotFound(f"no webhook {id!r}", code="webhook_not_found")
        return Deleted(id=id)

    async def _get(self, id: str) -> WebhookRecord:
        hook = await self.ctx.store.webhooks.get(self.customer.id, id)
        if hook is None:
            raise NotFound(
                f"no webhook {id!r}; GET /v1/webhooks lists yours", code="webhook_not_found"
            )
        return hook

    async def _describe(self, hook: WebhookRecord) -> Webhook:
        store = self.ctx.store
        return _summary(hook, await recent(store, self.customer.id, hook.id, WebhookDelivery))


def _summary(hook: WebhookRecord, deliveries: Sequence[WebhookDelivery]) -> Webhook:
    attempts = [a for d in deliveries for a in d.history]
    last = max(attempts, key=lambda a: a.finished_at, default=None)
    retries = [d.next_retry_at for d in deliveries if d.next_retry_at is not None]
    return Webhook(
        id=hook.id, event=hook.event, url=hook.url, created_at=utc(hook.created_at),
        last_status=last.status if last else None, last_error=last.error if last else None,
        last_attempt_at=last.finished_at if last else None, attempts=len(attempts),
        next_retry_at=min(retries, default=None), deliveries=list(deliveries),
    )  # fmt: skip
