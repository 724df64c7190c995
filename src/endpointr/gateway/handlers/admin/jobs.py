"""``/v1/admin/jobs``: a customer's own background jobs: list them, drain them, retry one.

A customer only ever sees and runs its own jobs. ``run-pending`` runs them on the gateway that
answers the request (in the server process, or in this process in local mode), within a time
budget per call; the SDK calls it again while jobs remain.
"""

from __future__ import annotations

from collections.abc import Sequence

from ....types.jobs import Job, JobAttempt, JobQuery, JobRun
from ...clock import utc, utc_or_none
from ...errors import NotFound
from ...handler import Handler, route
from ...jobs import RunSummary
from ...store.base import AttemptRecord, JobRecord, JobRepo

RUN_BUDGET = 20.0  # seconds one run-pending request may spend


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


class JobsHandler(Handler):
    async def list(self, query: JobQuery) -> list[Job]:
        """Your most recent jobs (newest first), with every attempt."""
        repo = self.ctx.store.jobs
        records = await repo.list(customer_id=self.customer.id, state=query.state,
                                  limit=query.limit)  # fmt: skip
        return await describe(repo, records)

    async def retrieve(self, id: str) -> Job:
        """One of your jobs, with every attempt."""
        record = await self.ctx.store.jobs.get(id)
        if record is None or record.customer_id != self.customer.id:
            raise NotFound(f"no job {id!r} of yours", code="job_not_found")
        return (await describe(self.ctx.store.jobs, [record]))[0]

    @route("POST", "/v1/admin/jobs/run-pending", op="run_pending")
    async def run_pending(self) -> JobRun:
        """Run your due jobs now (jobs scheduled for later stay scheduled)."""
        run = await self.ctx.gateway.jobs.run_pending(customer_id=self.customer.id,
                                                      budget=RUN_BUDGET)  # fmt: skip
        return summary(run)

    @route("POST", "/v1/admin/jobs/{id}/retry", op="retry")
    async def retry(self, id: str) -> Job:
        """Make a queued or failed job due now (a failed one gets one more attempt)."""
        if not await self.ctx.gateway.jobs.retry_now(id, customer_id=self.customer.id):
            raise NotFound(
                f"no queued or failed job {id!r} of yours (a running or succeeded job cannot be"
                " retried)",
                code="job_not_found",
            )
        return await self.retrieve(id)
