"""Job kinds for tests, loaded through ``handler_modules`` like the faults handlers, so this
process, the ``endpointr serve`` subprocess and ``endpointr worker`` processes all know them.
They write what they do to a file named in the payload, which every process can read."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from endpointr.gateway.jobs import Job, PermanentJobError, RetryJob, job


def _log(job: Job, what: str) -> None:
    with Path(job.payload["path"]).open("a") as f:
        f.write(f"{what} {job.id} {job.attempts} {os.getpid()}\n")


@job("testing.record", max_attempts=3)
async def record(gateway: Any, job: Job) -> None:
    """Log the attempt; fail as the payload asks."""
    _log(job, "run")
    if "error" in job.payload:
        raise RuntimeError(job.payload["error"])
    if job.attempts <= job.payload.get("fail_until", 0):
        raise RuntimeError(f"failing attempt {job.attempts} as asked")
    if job.payload.get("permanent"):
        job.status = 422
        raise PermanentJobError("the payload asked for a permanent failure")
    if "retry_in" in job.payload and job.attempts == 1:
        raise RetryJob("asked to come back later", delay=job.payload["retry_in"])
    job.status = 200


@job("testing.slow", lease=1.0, max_attempts=3)
async def slow(gateway: Any, job: Job) -> None:
    """The first attempt hangs for ``seconds`` (long enough to be killed in)."""
    _log(job, "start")
    if job.attempts == 1:
        await asyncio.sleep(job.payload["seconds"])
    _log(job, "done")
