"""Jobs as the API shows them, and the jobs that events cause (webhook deliveries, binding
runs): one per matching target, queued off the request's path, listed per target with the event
that caused each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from ..types.jobs import EventJob, Job, JobAttempt, JobRun
from .clock import utc, utc_or_none
from .events import Event
from .jobs import NewJob, RunSummary
from .store.base import AttemptRecord, JobRecord, JobRepo, Store

E = TypeVar("E", bound=EventJob)
RECENT = 10  # jobs listed per target


def _attempt(a: AttemptRecord) -> JobAttempt:
    return JobAttempt(
        attempt=a.attempt, outcome=a.outcome, status=a.status, error=a.error,
        started_at=utc_or_none(a.started_at), finished_at=utc(a.finished_at),
        next_run_at=utc_or_none(a.next_run_at),
    )  # fmt: skip


def _job(r: JobRecord, history: Sequence[AttemptRecord]) -> Job:
    return Job(
        id=r.id, kind=r.kind, state=r.state, ref=r.ref, label=r.label, attempts=r.attempts,
        max_attempts=r.max_attempts, last_status=r.last_status, last_error=r.last_error,
        run_at=utc(r.available_at) if r.state == "queued" else None,
        created_at=utc(r.created_at), updated_at=utc(r.updated_at),
        finished_at=utc_or_none(r.finished_at), history=[_attempt(a) for a in history],
    )  # fmt: skip


async def describe(repo: JobRepo, records: Sequence[JobRecord]) -> list[Job]:
    """Jobs as the API shows them, each with its attempts."""
    history = await repo.attempts([r.id for r in records])
    return [_job(r, history[r.id]) for r in records]


def summary(run: RunSummary) -> JobRun:
    return JobRun(
        ran=run.ran, succeeded=run.succeeded, retrying=run.retrying, failed=run.failed,
        remaining=run.remaining, next_run_at=utc_or_none(run.next_run_at),
    )  # fmt: skip


def for_targets(
    kind: str, event: Event, payload: dict[str, Any], targets: Iterable[str]
) -> list[NewJob]:
    """One ``kind`` job per target id (its ``ref``), sharing ``payload`` (sealed once)."""
    label = f"{event.name} {event.id}"
    return [NewJob(kind, payload, event.customer_id, ref=t, label=label) for t in targets]


async def recent(store: Store, customer_id: int, target: str, model: type[E]) -> list[E]:
    """The target's most recent jobs, newest first."""
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
