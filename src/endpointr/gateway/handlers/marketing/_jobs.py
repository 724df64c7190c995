"""What the marketing job kinds share: the customer's Graph client, and what a Graph error
means for a job (wait as Meta asks, retry a transient failure, give up on a bad request)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import HTTPError
from ...jobs import Job, PermanentJobError, RetryJob
from ...providers.meta_graph import GraphClient, graph_for

if TYPE_CHECKING:
    from ...gateway import Gateway


def customer_of(job: Job) -> int:
    if job.customer_id is None:
        raise PermanentJobError(f"{job.kind} jobs belong to a customer")
    return job.customer_id


async def job_graph(gateway: Gateway, job: Job) -> GraphClient:
    """The job's customer's Graph client; their credentials gone, retrying cannot help."""
    try:
        return await graph_for(gateway, customer_of(job))
    except HTTPError as exc:
        raise PermanentJobError(exc.message) from None


def job_error(exc: HTTPError) -> Exception:
    """The exception a job raises for a Graph error."""
    if exc.status_code == 429:
        wait = next((float(v) for k, v in exc.headers if k == "retry-after"), 60.0)
        return RetryJob(exc.message, delay=wait)
    if exc.status_code < 500:
        return PermanentJobError(exc.message)
    return exc
