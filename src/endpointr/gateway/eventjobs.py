"""Jobs that events cause (webhook deliveries, binding runs): one per matching target, queued
off the request's path, and listed per target with the event that caused each."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from ..types.jobs import EventJob
from .events import Event
from .jobs import NewJob
from .store.base import Store

E = TypeVar("E", bound=EventJob)
RECENT = 10  # jobs listed per target


def for_targets(
    kind: str, event: Event, payload: dict[str, Any], targets: Iterable[str]
) -> list[NewJob]:
    """One ``kind`` job per target id (its ``ref``), sharing ``payload`` (sealed once)."""
    label = f"{event.name} {event.id}"
    return [NewJob(kind, payload, event.customer_id, ref=t, label=label) for t in targets]


async def recent(store: Store, customer_id: int, target: str, model: type[E]) -> list[E]:
    """The target's most recent jobs, newest first."""
    from .handlers.admin.jobs import describe

    jobs = await describe(
        store.jobs, await store.jobs.list(customer_id=customer_id, ref=target, limit=RECENT)
    )
    out = []
    for j in jobs:
        name, _, event_id = (j.label or "").partition(" ")
        out.append(
            model(
                id=j.id, event=name, event_id=event_id, state=j.state, attempts=j.attempts,
                last_status=j.last_status, last_error=j.last_error,
                next_retry_at=j.run_at if j.state == "queued" and j.attempts else None,
                created_at=j.created_at, finished_at=j.finished_at, history=j.history,
            )
        )  # fmt: skip
    return out
