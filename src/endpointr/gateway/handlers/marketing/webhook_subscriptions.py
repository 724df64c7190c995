"""``/v1/marketing/webhook-subscriptions``: the Meta app's webhook subscriptions, and this
gateway's map from the subscribed objects to their customer (so inbound deliveries are
attributed and verified with the right ``app_secret``)."""

from __future__ import annotations

import hmac
from datetime import datetime, timezone

from ....types._base import Deleted
from ....types.marketing import (
    AppSubscription,
    WebhookSubscribe,
    WebhookSubscription,
    WebhookSubscriptionList,
)
from ...errors import BadRequest, Conflict
from ...store.base import SubscriptionRecord
from ._base import MarketingHandler

INBOUND_PATH = "/v1/webhooks/inbound/meta-ads"


def object_key(object_id: str) -> str:
    """Meta names an ad account ``<digits>`` in deliveries and ``act_<digits>`` elsewhere."""
    return object_id.strip().removeprefix("act_")


def _view(record: SubscriptionRecord) -> WebhookSubscription:
    return WebhookSubscription(
        object=record.object,
        object_id=record.object_id,
        fields=list(record.fields),
        callback_url=record.callback_url,
        updated_at=datetime.fromtimestamp(record.updated_at, timezone.utc),
    )


class WebhookSubscriptionsHandler(MarketingHandler):
    async def list(self) -> WebhookSubscriptionList:
        """The app's subscriptions as Meta lists them, and your local object map."""
        graph = await self.graph()
        answer = await graph.call("GET", f"{graph.app_id}/subscriptions", token=graph.app_token)
        records = await self.ctx.store.meta_ads_webhooks.subscriptions(self.customer.id)
        return WebhookSubscriptionList(
            meta=[AppSubscription.model_validate(s) for s in answer.get("data") or []],
            local=[_view(r) for r in records],
        )

    async def create(self, body: WebhookSubscribe) -> WebhookSubscription:
        """Subscribe the app to ``object``'s ``fields`` (Meta keeps one subscription per
        object, so this also updates one); a Page is also subscribed to the app itself. With
        ``object_id``, deliveries about that object are attributed to you."""
        settings = self.ctx.settings
        configured = settings.meta_webhook_verify_token
        verify_token = body.verify_token or (configured.get_secret_value() if configured else None)
        if not verify_token:
            raise BadRequest(
                "no verify token: the operator sets ENDPOINTR_META_WEBHOOK_VERIFY_TOKEN, which "
                "Meta echoes to GET /v1/webhooks/inbound/meta-ads",
                code="meta_verify_token_missing",
            )
        if configured and not hmac.compare_digest(verify_token, configured.get_secret_value()):
            raise BadRequest(
                "verify_token differs from the gateway's ENDPOINTR_META_WEBHOOK_VERIFY_TOKEN, so "
                "Meta's handshake would fail; omit it to use the configured one",
                code="meta_verify_token_mismatch",
            )
        callback_url = body.callback_url or self._callback_url()
        graph = await self.graph()
        fields = ",".join(body.fields)
        await graph.call(
            "POST",
            f"{graph.app_id}/subscriptions",
            data={
                "object": body.object,
                "callback_url": callback_url,
                "fields": fields,
                "verify_token": verify_token,
                "include_values": True,
            },
            token=graph.app_token,
        )
        if body.object == "page" and body.object_id:
            page = await graph.get(body.object_id, fields="access_token")
            await graph.call(
                "POST",
                f"{body.object_id}/subscribed_apps",
                data={"subscribed_fields": fields},
                token=page.get("access_token") or graph.access_token,
            )
        if not body.object_id:
            return WebhookSubscription(
                object=body.object, fields=body.fields, callback_url=callback_url
            )
        record = SubscriptionRecord(
            self.customer.id,
            body.object,
            object_key(body.object_id),
            tuple(body.fields),
            callback_url,
        )
        try:
            saved = await self.ctx.store.meta_ads_webhooks.subscribe(record)
        except ValueError:
            raise Conflict(
                f"{body.object} {body.object_id} is already subscribed by another customer; "
                "deliveries about it go to them",
                code="meta_object_taken",
            ) from None
        return _view(saved)

    async def delete(self, id: str) -> Deleted:
        """Unsubscribe the app from the object named ``id`` (``page``, ``ad_account`` …):
        Meta keys app subscriptions by object; your local rows for it go too."""
        graph = await self.graph()
        await graph.call(
            "DELETE", f"{graph.app_id}/subscriptions", params={"object": id}, token=graph.app_token
        )
        await self.ctx.store.meta_ads_webhooks.unsubscribe(self.customer.id, id)
        return Deleted(id=id)

    def _callback_url(self) -> str:
        base = self.ctx.settings.public_base_url
        if not base:
            raise BadRequest(
                "no callback_url: pass one, or have the operator set ENDPOINTR_PUBLIC_BASE_URL "
                "to this gateway's public https URL",
                code="meta_callback_url_missing",
            )
        return base.rstrip("/") + INBOUND_PATH
