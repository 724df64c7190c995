from __future__ import annotations

from functools import cached_property

from ....types.jobs import Job, JobRun, JobState
from ..._base import NOT_GIVEN, Timeout, path_segment
from .._resource import AsyncAPIResource


class AsyncJobs(AsyncAPIResource):
    """Your background jobs (``/v1/admin/jobs``): webhook deliveries, binding runs …

    You only ever see and run your own. In local mode they run in this process; against a
    server, on the server.
    """

    async def list(
        self, *, state: JobState | None = None, limit: int = 50, timeout: Timeout = NOT_GIVEN
    ) -> list[Job]:
        """Your most recent jobs (newest first), each with every attempt."""
        params: dict[str, object] = {"limit": limit}
        if state is not None:
            params["state"] = state
        return await self._client._request(
            "GET", "/v1/admin/jobs", params=params, cast=list[Job], timeout=timeout
        )

    async def retrieve(self, id: str, *, timeout: Timeout = NOT_GIVEN) -> Job:
        return await self._client._request(
            "GET", f"/v1/admin/jobs/{path_segment(id)}", cast=Job, timeout=timeout
        )

    async def run_pending(self, *, timeout: Timeout = NOT_GIVEN) -> JobRun:
        """Run your due jobs now and return what happened: for tests and scripts that need
        the work done before they go on. Jobs scheduled for later (retries) stay scheduled;
        jobs another worker is running are waited for."""
        totals = {"ran": 0, "succeeded": 0, "retrying": 0, "failed": 0}
        while True:  # one call runs for a bounded time; go on while it makes progress
            run = await self._client._request(
                "POST", "/v1/admin/jobs/run-pending", cast=JobRun, timeout=timeout
            )
            for name in totals:
                totals[name] += getattr(run, name)
            if run.remaining == 0 or run.ran == 0:
                return run.model_copy(update=totals)

    async def retry(self, id: str, *, timeout: Timeout = NOT_GIVEN) -> Job:
        """Make a queued or failed job due now (a failed one gets one more attempt)."""
        return await self._client._request(
            "POST", f"/v1/admin/jobs/{path_segment(id)}/retry", cast=Job, timeout=timeout
        )


class AsyncAdminResource(AsyncAPIResource):
    """Your account's machinery: ``jobs``."""

    @cached_property
    def jobs(self) -> AsyncJobs:
        return AsyncJobs(self._client)
