"""``/v1/bindings/bindings``: when ``trigger_event`` fires, run ``action`` with mapped inputs.

Each event that matches an enabled binding queues one run (a job), so a slow or failing action
never holds up the event, its other bindings or its webhooks. A run calls the action through
``Gateway.handle`` as the binding's customer (with the customer's stored credentials), records
its outcome (the action's status, every attempt) and fires ``BindingsHandler.run``. A run whose
action answers 429 or 5xx is retried with backoff; any other failure is final.

A binding whose action fires an event that triggers another binding chains; a chain deeper than
:data:`MAX_DEPTH` stops (a binding that triggers itself would otherwise run forever).
"""

from __future__ import annotations

import contextvars
import functools
import json
import secrets
import time
from typing import TYPE_CHECKING, Any

from ....types._base import Deleted
from ....types.bindings import Binding, BindingCreate, BindingRun
from ... import eventjobs
from ...actions import Action, registry
from ...catalog import check_subscription, patterns
from ...clock import utc
from ...errors import BadRequest, NotFound
from ...eventjobs import recent
from ...events import Event
from ...extensions import on_event
from ...handler import Handler
from ...jobs import Job, NewJob, PermanentJobError, job
from ...mapping import apply, check
from ...store.base import BindingRecord

if TYPE_CHECKING:
    from ...gateway import Gateway

KIND = "bindings.run"
RUN_EVENT = "BindingsHandler.run"
MAX_DEPTH = 5
#: How many binding runs led to the code running now (0: none, an ordinary request).
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("endpointr_binding_depth", default=0)


def _action(name: str, gateway: Gateway) -> Action:
    actions = registry(gateway.router)
    found = actions.get(name)
    if found is None:
        known = "; ".join(f"{n} ({a.summary})" for n, a in actions.items()) or "none"
        raise BadRequest(f"action {name!r} is not registered; known actions: {known}",
                         code="unknown_action")  # fmt: skip
    return found


def _validate(body: BindingCreate, gateway: Gateway) -> BindingCreate:
    check_subscription(body.trigger_event, gateway.router, field="trigger_event")
    action = _action(body.action, gateway)
    try:
        check(body.mapping)
    except ValueError as exc:
        raise BadRequest(str(exc), code="invalid_mapping") from None
    missing = [p for p in action.route.path_params if p not in body.mapping]
    if missing:
        raise BadRequest(
            f"mapping needs {', '.join(missing)}: {body.action} is {action.summary}",
            code="invalid_mapping",
        )
    return body


class BindingsHandler(Handler):
    sub_verbs = ("run",)

    async def list(self) -> list[Binding]:
        """Your bindings, each with its recent runs."""
        found = await self.ctx.store.bindings.list(self.customer.id)
        return [await self._describe(b) for b in found]

    async def retrieve(self, id: str) -> Binding:
        """One binding with its recent runs."""
        return await self._describe(await self._get(id))

    async def create(self, body: BindingCreate) -> Binding:
        """Bind an action to an event; an unknown action is refused, listing the known ones."""
        _validate(body, self.ctx.gateway)
        now = time.time()
        record = BindingRecord(
            "bnd_" + secrets.token_hex(12), self.customer.id, body.trigger_event, body.action,
            body.enabled, body.mapping, now, now,
        )  # fmt: skip
        await self.ctx.store.bindings.add(record)
        return await self._describe(record)

    async def update(self, id: str, body: BindingCreate) -> Binding:
        """Replace every field of the binding."""
        current = await self._get(id)
        _validate(body, self.ctx.gateway)
        record = BindingRecord(
            id, self.customer.id, body.trigger_event, body.action, body.enabled, body.mapping,
            current.created_at, time.time(),
        )  # fmt: skip
        if not await self.ctx.store.bindings.replace(record):
            raise NotFound(f"no binding {id!r}", code="binding_not_found")
        return await self._describe(record)

    async def delete(self, id: str) -> Deleted:
        """Remove the binding (runs already queued stop)."""
        if not await self.ctx.store.bindings.delete(self.customer.id, id):
            raise NotFound(f"no binding {id!r}", code="binding_not_found")
        return Deleted(id=id)

    async def _get(self, id: str) -> BindingRecord:
        found = await self.ctx.store.bindings.get(self.customer.id, id)
        if found is None:
            raise NotFound(
                f"no binding {id!r}; GET /v1/bindings/bindings lists yours",
                code="binding_not_found",
            )
        return found

    async def _describe(self, b: BindingRecord) -> Binding:
        return Binding(
            id=b.id, trigger_event=b.trigger_event, action=b.action, enabled=b.enabled,
            mapping=b.mapping, created_at=utc(b.created_at), updated_at=utc(b.updated_at),
            runs=await recent(self.ctx.store, self.customer.id, b.id, BindingRun),
        )  # fmt: skip


# -- events -> runs ---------------------------------------------------------------------------


async def _runs(gateway: Gateway, event: Event, depth: int) -> list[NewJob]:
    found = await gateway.store.bindings.matching(event.customer_id, patterns(event.name))
    if not found:
        return []
    payload = {"event": {"id": event.id, "name": event.name, "data": event.data}, "depth": depth}
    return eventjobs.for_targets(KIND, event, payload, [b.id for b in found])


@on_event
async def _trigger(gateway: Gateway, event: Event) -> None:
    gateway.jobs.defer(functools.partial(_runs, gateway, event, _depth.get()))


def _answer(body: bytes) -> tuple[Any, str]:
    """(data, error message) of an enveloped answer."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return None, body[:200].decode(errors="replace")
    if not isinstance(parsed, dict):
        return parsed, ""
    error = parsed.get("error")
    message = error.get("message", "") if isinstance(error, dict) else ""
    return parsed.get("data"), str(message)


@job(KIND, max_attempts=6)
async def run(gateway: Gateway, job: Job) -> None:
    assert job.customer_id is not None
    assert job.ref is not None
    binding = await gateway.store.bindings.get(job.customer_id, job.ref)
    if binding is None:
        raise PermanentJobError("the binding was deleted before it ran")
    if not binding.enabled:
        raise PermanentJobError("the binding was disabled before it ran")
    event, depth = job.payload["event"], job.payload["depth"]
    outcome = {"binding_id": binding.id, "action": binding.action,
               "trigger_event": binding.trigger_event, "event_id": event["id"]}  # fmt: skip
    token = _depth.set(depth + 1)
    try:
        if depth >= MAX_DEPTH:
            raise PermanentJobError(
                f"not run: {depth} bindings in a row led here (the limit is {MAX_DEPTH}); "
                "does a binding trigger itself?"
            )
        action = registry(gateway.router).get(binding.action)
        if action is None:
            raise PermanentJobError(f"the action {binding.action} is no longer registered")
        try:
            request = action.request(apply(binding.mapping, event["data"]), job.customer_id,
                                     f"{job.id}-{job.attempts}")  # fmt: skip
        except ValueError as exc:
            raise PermanentJobError(str(exc)) from None
        response = await gateway.handle(request)
        body = response.body if isinstance(response.body, bytes) else b""
        job.status = status = response.status
        if 200 <= status < 300:
            await gateway.events.emit(
                Event(RUN_EVENT, job.customer_id, outcome | {"status": "succeeded",
                                                             "http_status": status})
            )  # fmt: skip
            return
        _, message = _answer(body)
        error = f"{binding.action} answered {status}: {message}".rstrip(": ")
        retryable = status == 429 or (status >= 500 and status != 501)
        if not retryable or job.last_attempt:
            await gateway.events.emit(
                Event(RUN_EVENT, job.customer_id, outcome | {"status": "failed",
                                                             "http_status": status,
                                                             "error": error})
            )  # fmt: skip
        if retryable:
            raise RuntimeError(error)
        raise PermanentJobError(error)
    finally:
        _depth.reset(token)
