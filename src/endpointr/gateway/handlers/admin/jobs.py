"""``/v1/admin/jobs``: a customer's own background jobs: list them, drain them, retry one.

A customer only ever sees and runs its own jobs. ``run-pending`` runs them on the gateway that
answers the request (in the server process, or in this process in local mode), within a time
budget per call; the SDK calls it again while jobs remain.
"""

from __future__ import annotations

from ....types.jobs import Job, JobQuery, JobRun
from ...errors import NotFound
from ...eventjobs import describe, summary
from ...handler import Handler, route

RUN_BUDGET = 20.0  # seconds one run-pending request may spend


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
