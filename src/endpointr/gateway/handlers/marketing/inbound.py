"""``/v1/webhooks/inbound/meta-ads``: Meta's webhook handshake and deliveries.

Every delivery is stored as it arrived before anything else happens. Its ``entry[].id``s are
looked up in the subscription map to find the customer, whose ``app_secret`` must verify
``X-Hub-Signature-256`` over the raw bytes; verified changes fire ``MetaAds.<object>.<field>``
events, and a ``leadgen`` change queues the job that fetches the full lead into the inbox (one
job per lead, however often Meta delivers it). The answer is always 200 so that Meta never
retries into a storm: deliveries that match no customer or do not verify are kept with no
customer, for audit.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections import defaultdict
from typing import Any

from pydantic import ConfigDict, Field

from ....types._base import Params
from ...catalog import register_family
from ...errors import Forbidden
from ...events import Event, redact
from ...handler import Handler, route
from ...http import Response
from ...providers.meta_graph import SERVICE
from ..credentials.credentials import load_credentials
from .leads import LEADGEN_FETCH
from .webhook_subscriptions import INBOUND_PATH, object_key

log = logging.getLogger("endpointr.marketing")
_NAME = re.compile(r"[^A-Za-z0-9_]")
FAMILY = "MetaAds"
register_family(FAMILY, "Meta webhook deliveries: MetaAds.<object>.<field>")


def _received() -> Response:
    return Response.json(200, b'{"received":true}')


class HubChallenge(Params):
    model_config = ConfigDict(extra="ignore")

    mode: str | None = Field(default=None, alias="hub.mode")
    verify_token: str | None = Field(default=None, alias="hub.verify_token")
    challenge: str | None = Field(default=None, alias="hub.challenge")


def signature_of(app_secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the raw body keyed with the app secret>``."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def event_name(object: str, field: str) -> str:
    return f"{FAMILY}.{_NAME.sub('_', object)}.{_NAME.sub('_', field)}"


class MetaAdsInboundHandler(Handler):
    auth = "none"
    envelope = False

    @route("GET", INBOUND_PATH, op="verify")
    async def verify(self, query: HubChallenge) -> Response:
        """Meta's subscription handshake: echo ``hub.challenge`` when ``hub.verify_token`` is
        the operator's ``ENDPOINTR_META_WEBHOOK_VERIFY_TOKEN``; 403 otherwise."""
        configured = self.ctx.settings.meta_webhook_verify_token
        if configured is None:
            raise Forbidden(
                "this gateway has no Meta verify token (ENDPOINTR_META_WEBHOOK_VERIFY_TOKEN)",
                code="meta_verify_token_missing",
            )
        given = (query.verify_token or "").encode()
        if (
            query.mode != "subscribe"
            or query.challenge is None
            or not hmac.compare_digest(given, configured.get_secret_value().encode())
        ):
            raise Forbidden("hub.verify_token does not match", code="meta_verify_token_mismatch")
        return Response(200, [("content-type", "text/plain")], query.challenge.encode())

    @route("POST", INBOUND_PATH, op="receive")
    async def receive(self) -> Response:
        """A delivery: stored, attributed, verified, fanned out as events; always 200."""
        body = self.ctx.request.body
        webhooks = self.ctx.store.meta_ads_webhooks
        try:
            payload = json.loads(body)
            obj = str(payload["object"])
            entries = [e for e in payload["entry"] if isinstance(e, dict) and "id" in e]
        except (ValueError, KeyError, TypeError):
            await webhooks.record(None, body, "invalid_payload")
            return _received()
        delivery = await webhooks.record(obj, body, "received")
        owners = await webhooks.owners(obj, [object_key(str(e["id"])) for e in entries])
        by_customer: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for entry in entries:
            owner = owners.get(object_key(str(entry["id"])))
            if owner is not None:
                by_customer[owner].append(entry)
        if not by_customer:
            await webhooks.attribute(delivery, None, "unknown_object")
            return _received()
        signature = self.ctx.request.headers.get("x-hub-signature-256", "")
        for n, (customer_id, mine) in enumerate(sorted(by_customer.items())):
            status = await self._verify(customer_id, body, signature)
            row = delivery if n == 0 else await webhooks.record(obj, body, status)
            await webhooks.attribute(row, customer_id if status == "verified" else None, status)
            if status == "verified":
                await self._dispatch(customer_id, obj, mine, row)
        return _received()

    async def _verify(self, customer_id: int, body: bytes, signature: str) -> str:
        if not signature:
            return "missing_signature"
        creds = await load_credentials(self.ctx.gateway, customer_id, SERVICE) or {}
        secret = creds.get("app_secret")
        if not secret:
            return "no_app_secret"
        if not hmac.compare_digest(signature.encode(), signature_of(secret, body).encode()):
            return "bad_signature"
        return "verified"

    async def _dispatch(
        self, customer_id: int, obj: str, entries: list[dict[str, Any]], delivery: int
    ) -> None:
        events = self.ctx.events
        for entry in entries:
            for change in entry.get("changes") or []:
                if not isinstance(change, dict) or not change.get("field"):
                    continue
                field = str(change["field"])
                data = {
                    "object": obj,
                    "id": str(entry["id"]),
                    "time": entry.get("time"),
                    "field": field,
                    "value": change.get("value"),
                    "delivery_id": delivery,
                }
                await events.emit(Event(event_name(obj, field), customer_id, redact(data)))
                value = change.get("value")
                if field == "leadgen" and isinstance(value, dict) and value.get("leadgen_id"):
                    await self._fetch_lead(customer_id, value)

    async def _fetch_lead(self, customer_id: int, value: dict[str, Any]) -> None:
        """Queue the fetch of the full lead (Meta redelivers: one job per lead)."""
        lead_id = str(value["leadgen_id"])
        payload = {k: str(value[k]) for k in ("leadgen_id", "form_id", "page_id") if value.get(k)}
        await self.ctx.gateway.jobs.enqueue(
            LEADGEN_FETCH,
            payload,
            customer_id=customer_id,
            ref=lead_id,
            label=f"lead {lead_id}",
            key=f"{LEADGEN_FETCH}:{customer_id}:{lead_id}",
        )
