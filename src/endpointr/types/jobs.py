"""The job queue as the SDK sees it: ``client.admin.jobs``."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from ._base import Model, Params

JobState = Literal["queued", "running", "succeeded", "failed"]
AttemptOutcome = Literal["succeeded", "retry", "failed", "lost"]


class JobAttempt(Model):
    attempt: int
    outcome: AttemptOutcome = Field(
        description="succeeded; retry (failed, will run again); failed (for good); lost (the"
        " worker running it stopped)"
    )
    status: int | None = Field(default=None, description="e.g. the HTTP status the job got")
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime
    next_run_at: datetime | None = None


class Job(Model):
    id: str
    kind: str
    state: JobState
    ref: str | None = Field(default=None, description="What the job is about, e.g. webhook:wh_…")
    label: str | None = None
    attempts: int
    max_attempts: int
    last_status: int | None = None
    last_error: str | None = None
    run_at: datetime | None = Field(
        default=None, description="When a queued job runs next (None once it has finished)."
    )
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    history: list[JobAttempt] = Field(default_factory=list)


class EventJob(Model):
    """A job an event caused (a webhook delivery, a binding run), with every attempt."""

    id: str
    event: str
    event_id: str
    state: JobState
    attempts: int
    last_status: int | None = Field(
        default=None, description="The status of the latest attempt (e.g. the receiver's)."
    )
    last_error: str | None = None
    next_retry_at: datetime | None = Field(
        default=None, description="When a failed job is retried next."
    )
    created_at: datetime
    finished_at: datetime | None = None
    history: list[JobAttempt] = Field(default_factory=list)


class JobQuery(Params):
    state: JobState | None = None
    limit: int = Field(default=50, ge=1, le=500)


class JobRun(Model):
    """What ``run_pending`` did."""

    ran: int
    succeeded: int
    retrying: int
    failed: int
    remaining: int = Field(description="Jobs still due (or running elsewhere) when it stopped.")
    next_run_at: datetime | None = Field(
        default=None, description="When the earliest job that was not due yet will be."
    )
