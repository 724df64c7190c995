"""Inbound webhooks: endpoints for providers to call, and what happens when they do.

``/v1/bindings/inbound-webhooks`` registers an endpoint: an opaque token that addresses
(customer, provider, signing secret), with the URL to paste into the provider's dashboard.
``POST /v1/inbound/{provider}/{token}`` checks the signature before anything else (see
:mod:`endpointr.gateway.inbound`), stores the verified event and queues its dispatch in one
transaction, and answers at once; the dispatch job fires ``<provider>.<type>`` (redacted) to
webhook subscribers and bindings. A replay (an event id seen before) is acknowledged and not
dispatched again. Unknown tokens and bad signatures are refused and recorded.
"""

from __future__ import annotations

import secrets
import time
import uuid
from typing import TYPE_CHECKING, NoReturn

from ....types._base import Deleted
from ....types.bindings import InboundEvent, InboundReceipt, InboundWebhook, InboundWebhookCreate
from ...clock import utc
from ...errors import BadRequest, NotFound, Unauthorized
from ...events import Event, redact
from ...handler import Handler, route
from ...inbound import SignatureError, scheme_for
from ...jobs import Job, NewJob, PermanentJobError, job
from ...store.base import InboundEndpointRecord, InboundEventRecord

if TYPE_CHECKING:
    from ...gateway import Gateway

KIND = "inbound.dispatch"
UNKNOWN_TOKEN = "unknown inbound webhook token: register one at POST /v1/bindings/inbound-webhooks"
SECRET_KIND = "inbound-webhook"
EVENT_KIND = "inbound-event"


class InboundWebhooksHandler(Handler):
    async def list(self) -> list[InboundWebhook]:
        """Your endpoints, each with the requests it received recently."""
        found = await self.ctx.store.inbound.endpoints(self.customer.id)
        return [await self._describe(e) for e in found]

    async def create(self, body: InboundWebhookCreate) -> InboundWebhook:
        """Register an endpoint for ``provider``, verified with its signing ``secret``."""
        secret = body.secret.strip()
        if body.provider == "stripe" and not secret.startswith("whsec_"):
            raise BadRequest(
                "a Stripe signing secret starts with whsec_ (Dashboard → Developers → Webhooks "
                "→ your endpoint → Signing secret); it is not the API key",
                code="invalid_secret",
            )
        token = "ibt_" + secrets.token_urlsafe(24)
        sealed = self.ctx.vault.seal(self.customer.id, SECRET_KIND, token, secret)
        record = InboundEndpointRecord(
            token, self.customer.id, body.provider, body.label, sealed, time.time()
        )
        await self.ctx.store.inbound.add_endpoint(record)
        return await self._describe(record)

    async def delete(self, id: str) -> Deleted:
        """Remove the endpoint with this token (the path id is the token)."""
        if not await self.ctx.store.inbound.delete_endpoint(self.customer.id, id):
            raise NotFound(f"no inbound webhook with token {id!r}", code="inbound_not_found")
        return Deleted(id=id)

    async def _describe(self, e: InboundEndpointRecord) -> InboundWebhook:
        path = f"/v1/inbound/{e.provider}/{e.token}"
        events = [
            InboundEvent(
                id=r.id,
                status=r.status,
                event=r.event,
                event_id=r.event_id,
                reason=r.reason,
                received_at=utc(r.received_at),
            )
            for r in await self.ctx.store.inbound.recent(e.token)
        ]
        return InboundWebhook(
            token=e.token, provider=e.provider, label=e.label, path=path,
            url=self._base_url() + path, created_at=utc(e.created_at), events=events,
        )  # fmt: skip

    def _base_url(self) -> str:
        """This gateway's public URL: the setting, else the origin the request came to."""
        configured = self.ctx.settings.public_base_url
        if configured:
            return configured.rstrip("/")
        request = self.ctx.request
        host = request.headers.get("host")
        if request.client == "in-process" or not host:
            return ""  # nothing reachable from outside is known
        scheme = request.headers.get("x-forwarded-proto", "http").split(",")[0].strip()
        return f"{scheme}://{host}"


class InboundHandler(Handler):
    """Where providers deliver. Not authenticated by a token: by the delivery's signature."""

    @route("POST", "/v1/inbound/{provider}/{token}", op="receive", auth="none")
    async def receive(self, provider: str, token: str) -> InboundReceipt:
        """Verify, store and queue a provider's webhook delivery; answer at once."""
        store = self.ctx.store.inbound
        request = self.ctx.request
        now = time.time()
        event_id = uuid.uuid4().hex

        async def refuse(error: BadRequest | Unauthorized, customer_id: int | None) -> NoReturn:
            await store.record(
                InboundEventRecord(
                    "iev_" + event_id,
                    token[:100],
                    customer_id,
                    provider[:64],
                    "rejected",
                    now,
                    reason=error.message,
                )
            )
            raise error

        endpoint = await store.endpoint(token)
        if endpoint is None:
            await refuse(BadRequest(UNKNOWN_TOKEN, code="unknown_token"), None)
        if endpoint.provider != provider:
            wrong = f"this token belongs to /v1/inbound/{endpoint.provider}/{token}"
            await refuse(BadRequest(wrong, code="wrong_provider"), endpoint.customer_id)
        secret = self.ctx.vault.unseal(endpoint.customer_id, SECRET_KIND, token, endpoint.secret)
        scheme = scheme_for(provider)
        try:
            scheme.verify(request.body, request.headers, secret, now)
            delivery = scheme.parse(request.body, request.headers)
        except SignatureError as exc:
            await refuse(Unauthorized(f"signature check failed: {exc}",
                                      code="invalid_signature"), endpoint.customer_id)  # fmt: skip
        except ValueError as exc:
            await refuse(BadRequest(str(exc), code="invalid_body"), endpoint.customer_id)
        name = f"{provider}.{delivery.type}"
        record = InboundEventRecord(
            "iev_" + event_id, token, endpoint.customer_id, provider, "accepted", now, name,
            delivery.event_id[:200],
        )  # fmt: skip
        sealed = self.ctx.vault.seal(
            endpoint.customer_id, EVENT_KIND, record.id, {"data": delivery.data}
        )
        jobs = self.ctx.gateway.jobs
        [dispatch] = jobs.prepare(
            [
                NewJob(
                    KIND,
                    {"inbound_event_id": record.id},
                    endpoint.customer_id,
                    ref=token,
                    label=f"{name} evt_{event_id}",
                )
            ]
        )
        accepted = await store.accept(record, sealed, dispatch)
        if accepted:
            jobs.notify()
        return InboundReceipt(id=record.id, event=name, duplicate=not accepted)


@job(KIND)
async def dispatch(gateway: Gateway, job: Job) -> None:
    found = await gateway.store.inbound.event(job.payload["inbound_event_id"])
    if found is None:
        raise PermanentJobError("the inbound event is gone")
    record, sealed = found
    assert record.customer_id is not None
    assert record.event is not None
    data = gateway.vault.unseal(record.customer_id, EVENT_KIND, record.id, sealed)["data"]
    event_id = "evt_" + record.id.removeprefix("iev_")
    await gateway.events.emit(Event(record.event, record.customer_id, redact(data), id=event_id))
