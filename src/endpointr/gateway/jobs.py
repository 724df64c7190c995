"""The durable job queue: work that runs later, survives crashes and is never run twice at once.

A job kind is a coroutine registered at import time (in a module under ``gateway/handlers``, or
one named by the ``handler_modules`` setting), like a handler::

    from endpointr.gateway.jobs import Job, PermanentJobError, job

    @job("marketing.leadgen_fetch")
    async def fetch_lead(gateway: Gateway, job: Job) -> None:
        ...  # return: done. Raise: retried with backoff. PermanentJobError: failed for good.

    job_id = await gateway.jobs.enqueue(
        "marketing.leadgen_fetch", {"leadgen_id": "..."}, customer_id=customer.id
    )

Jobs live in the store with their payload sealed. A worker *claims* a job by leasing it; it keeps
the lease alive while the job runs, and a worker that dies leaves a lease that expires, after
which another worker runs the job again (the lost attempt is recorded). Every attempt is
recorded with its outcome.

Who runs jobs: a background worker in every process that opens a gateway with
``jobs_concurrency > 0`` (``endpointr serve``, ``endpointr worker``, a local-mode client while it
is open), and :meth:`JobQueue.run_pending`, which drains due jobs now (tests, scripts,
``client.admin.jobs.run_pending()``).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import random
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anyio

from .._errors import VaultError
from . import extensions
from .events import REDACTED, is_sensitive
from .store.base import (
    ANY_CUSTOMER,
    AttemptOutcome,
    AttemptRecord,
    ClaimedJob,
    JobOutcome,
    JobRepo,
    JobState,
    NewJobRecord,
)
from .vault import SYSTEM

if TYPE_CHECKING:
    from .extensions import Closer
    from .gateway import Gateway

__all__ = [
    "ANY_CUSTOMER",
    "Job",
    "JobQueue",
    "NewJob",
    "PermanentJobError",
    "RetryJob",
    "RunSummary",
    "default_backoff",
    "job",
]

log = logging.getLogger("endpointr.jobs")

DAY = 86_400.0
DEFAULT_MAX_ATTEMPTS = 10
DEFAULT_LEASE = 60.0
RETENTION = 7 * DAY  # finished jobs (and their attempts) are kept this long
SHUTDOWN_GRACE = 5.0  # seconds running jobs get to finish when a worker stops
_PRUNE_EVERY = 600.0
_MAX_ERROR = 2000


_CREDENTIAL_IN_TEXT = re.compile(r"([\w.-]+)=([^&\s'\"]+)|(bearer|basic)\s+[\w.~+/=-]+", re.I)


def scrub(text: str) -> str:
    """``text`` with credentials that errors tend to carry (``access_token=…`` in a URL,
    ``Bearer …``) replaced: recorded errors are shown to customers and logged."""

    def hide(m: re.Match[str]) -> str:
        if m.group(3):
            return f"{m.group(3)} {REDACTED}"
        return f"{m.group(1)}={REDACTED}" if is_sensitive(m.group(1)) else m.group(0)

    return _CREDENTIAL_IN_TEXT.sub(hide, text)


def default_backoff(retry: int) -> float:
    """Seconds before retry number ``retry`` (1 = the first): 15-25 s, then about four times
    longer each time (±25 % jitter), never more than a day."""
    return min(DAY, 20.0 * 4.0 ** (retry - 1) * (0.75 + 0.5 * random.random()))


class PermanentJobError(Exception):
    """Raised by a runner: the job failed for good (retrying cannot help); it is not retried."""


class RetryJob(Exception):
    """Raised by a runner: retry after ``delay`` seconds (e.g. a ``Retry-After``) rather than
    after the kind's backoff."""

    def __init__(self, message: str, *, delay: float) -> None:
        super().__init__(message)
        self.delay = max(0.0, delay)


@dataclass
class Job:
    """What a runner gets: the job's identity and its (unsealed) payload."""

    id: str
    kind: str
    customer_id: int | None
    payload: dict[str, Any]
    attempts: int  # including this one
    max_attempts: int
    ref: str | None = None
    label: str | None = None
    created_at: float = 0.0
    #: A runner may set this (e.g. the HTTP status it got); it is recorded with the attempt.
    status: int | None = None

    @property
    def last_attempt(self) -> bool:
        return self.attempts >= self.max_attempts


Runner = Callable[["Gateway", Job], Awaitable[object]]


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Runner
    max_attempts: int
    lease: float
    backoff: Callable[[int], float]


_KINDS: dict[str, JobKind] = {}


def job(
    kind: str,
    *,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    lease: float = DEFAULT_LEASE,
    backoff: Callable[[int], float] = default_backoff,
) -> Callable[[Runner], Runner]:
    """Register the decorated coroutine as the runner of ``kind``.

    ``lease``: seconds a worker holds the job before another may take it over; it is renewed
    while the runner runs, so it bounds how long a crashed worker delays the job, not how long
    the job may take. ``backoff(n)``: seconds before the n-th retry.
    """
    if max_attempts < 1 or lease <= 0:
        raise ValueError("max_attempts must be >= 1 and lease > 0")

    def register(fn: Runner) -> Runner:
        _KINDS[kind] = JobKind(kind, fn, max_attempts, lease, backoff)
        return fn

    return register


def kinds() -> dict[str, JobKind]:
    """Every registered job kind."""
    return dict(_KINDS)


@dataclass(frozen=True)
class NewJob:
    """A job to enqueue (see :meth:`JobQueue.enqueue` for the fields)."""

    kind: str
    payload: dict[str, Any]
    customer_id: int | None
    delay: float = 0.0
    max_attempts: int | None = None
    ref: str | None = None
    label: str | None = None
    key: str | None = None


#: A deferred producer (see :meth:`JobQueue.defer`): returns the jobs to enqueue.
Producer = Callable[[], Awaitable[Sequence[NewJob]]]


@dataclass
class RunSummary:
    ran: int = 0
    succeeded: int = 0
    retrying: int = 0
    failed: int = 0
    remaining: int = 0  # due (or running elsewhere) when the run stopped
    next_run_at: float | None = None  # the earliest job that was not due yet


@dataclass
class _Worker:
    concurrency: int
    task: asyncio.Task[None] | None = None
    running: set[asyncio.Task[str]] = field(default_factory=set)
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    def finished(self, task: asyncio.Task[str]) -> None:
        self.running.discard(task)
        self.wake.set()


class _GroupCommit:
    """Outcomes of jobs that finish while a commit is under way are stored together in the
    next one: one disk flush for many jobs (a commit waits for the disk)."""

    def __init__(self, store: JobRepo) -> None:
        self._store = store
        self._pending: list[tuple[JobOutcome, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def finish(self, outcome: JobOutcome) -> bool:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[bool] = loop.create_future()
        self._pending.append((outcome, done))
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._write())
        return await done

    async def wait(self) -> None:
        """Until every outcome handed in so far is stored."""
        if self._writer is not None:
            await asyncio.wait([self._writer])

    async def _write(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                stored = await self._store.finish([outcome for outcome, _ in batch])
            except BaseException as exc:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                if not isinstance(exc, Exception):
                    raise
                continue
            for (_, done), ok in zip(batch, stored, strict=True):
                if not done.done():
                    done.set_result(ok)


class JobQueue:
    """``gateway.jobs``: enqueue jobs, run them in the background, drain them on demand."""

    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway
        self._store = gateway.store.jobs
        self._deferred: list[Producer] = []
        self._drain_lock = asyncio.Lock()
        self._flusher: asyncio.Task[None] | None = None
        self._flush_wake = asyncio.Event()
        self._worker: _Worker | None = None
        self._finisher = _GroupCommit(self._store)

    # -- enqueueing ---------------------------------------------------------------------------

    async def enqueue(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        customer_id: int | None,
        delay: float = 0.0,
        max_attempts: int | None = None,
        ref: str | None = None,
        label: str | None = None,
        key: str | None = None,
    ) -> str:
        """Store a job and return its id; it runs ``delay`` seconds from now or later.

        ``payload`` is JSON, sealed at rest. ``customer_id``: whose job it is (``None``: the
        gateway's own); a customer sees and drains only its own jobs. ``ref`` and ``label``
        (not secret) say what it is about, for listings. ``key``: an idempotency key; while a
        job with that key is kept, enqueueing it again returns the existing job's id.
        """
        new = NewJob(kind, payload, customer_id, delay, max_attempts, ref, label, key)
        return (await self.enqueue_many([new]))[0]

    async def enqueue_many(self, jobs: Sequence[NewJob]) -> list[str]:
        """Store several jobs in one transaction. Jobs that share one payload object share
        one sealed copy of it."""
        ids = await self._store.add(self.prepare(jobs))
        if any(j.delay <= 0 for j in jobs):
            self.notify()
        return ids

    def prepare(self, jobs: Sequence[NewJob]) -> list[NewJobRecord]:
        """The store records of ``jobs`` (ids given, payloads sealed), for a repository that
        stores jobs in the same transaction as its own rows; call :meth:`notify` after."""
        now = time.time()
        sealed: dict[tuple[int, int | None, str], bytes] = {}
        records = []
        for j in jobs:
            spec = _KINDS.get(j.kind)
            if spec is None:
                raise ValueError(f"no runner is registered for job kind {j.kind!r}")
            ident = (id(j.payload), j.customer_id, j.kind)
            if ident not in sealed:
                sealed[ident] = self._gateway.vault.seal(
                    _owner(j.customer_id), "job", j.kind, j.payload
                )
            records.append(
                NewJobRecord(
                    id="job_" + os.urandom(16).hex(),
                    kind=j.kind,
                    customer_id=j.customer_id,
                    payload=sealed[ident],
                    run_at=now + max(0.0, j.delay),
                    max_attempts=j.max_attempts or spec.max_attempts,
                    ref=j.ref,
                    label=j.label,
                    key=j.key,
                )
            )
        return records

    def notify(self) -> None:
        """Tell this process's worker that jobs are due now."""
        if self._worker is not None:
            self._worker.wake.set()

    def defer(self, producer: Producer) -> None:
        """Enqueue, off the caller's path: ``producer`` runs soon in the background and the jobs
        it returns are stored in a batch. For code on a request's path (event subscribers)
        that must not wait for a disk write. :meth:`flush` waits until everything deferred so
        far is stored; closing the gateway flushes too."""
        self._deferred.append(producer)
        self._flush_wake.set()

    async def flush(self) -> None:
        """Store every job deferred so far."""
        async with self._drain_lock:
            while self._deferred:
                batch, self._deferred = self._deferred, []
                jobs: list[NewJob] = []
                for produce in batch:
                    try:
                        jobs.extend(await produce())
                    except Exception:
                        log.exception("a deferred job producer failed; its jobs were not queued")
                try:
                    await self.enqueue_many(jobs)
                except BaseException:
                    self._deferred.insert(0, functools.partial(_ready, jobs))  # retried next flush
                    raise

    async def _flush_forever(self) -> None:
        while True:
            await self._flush_wake.wait()
            self._flush_wake.clear()
            try:
                await self.flush()
            except Exception:
                log.exception("storing deferred jobs failed; retrying in a second")
                await asyncio.sleep(1.0)
                self._flush_wake.set()

    # -- running ------------------------------------------------------------------------------

    async def _claim(self, limit: int, customer_id: int | None) -> list[ClaimedJob]:
        leases = {name: k.lease for name, k in _KINDS.items()}
        return await self._store.claim(
            leases=leases, limit=limit, customer_id=customer_id, now=time.time()
        )

    async def _keep_lease(self, claimed: ClaimedJob, lease: float) -> None:
        while True:
            await asyncio.sleep(lease / 3)
            until = time.time() + lease
            if not await self._store.extend(claimed.record.id, claimed.lease_token, until):
                return

    async def _execute(self, claimed: ClaimedJob) -> str:
        """Run one claimed job and record the attempt; its outcome."""
        record = claimed.record
        spec = _KINDS[record.kind]
        started = time.time()
        keeper = asyncio.ensure_future(self._keep_lease(claimed, spec.lease))
        state: JobState = "succeeded"
        error: str | None = None
        retry_in: float | None = None
        current: Job | None = None
        try:
            payload = self._gateway.vault.unseal(
                _owner(record.customer_id), "job", record.kind, claimed.payload
            )
            current = Job(
                record.id, record.kind, record.customer_id, payload, record.attempts,
                record.max_attempts, record.ref, record.label, record.created_at,
            )  # fmt: skip
            await spec.run(self._gateway, current)
        except (PermanentJobError, VaultError) as exc:
            state, error = "failed", str(exc)
        except RetryJob as exc:
            state, error, retry_in = "queued", str(exc), exc.delay
        except asyncio.CancelledError:  # shutting down: the job goes back, due now
            await self._store.release(record.id, claimed.lease_token)
            raise
        except Exception as exc:
            state, error = "queued", f"{type(exc).__name__}: {exc}"
            retry_in = spec.backoff(record.attempts)
        finally:
            await _stop(keeper)
        if state == "queued" and record.attempts >= record.max_attempts:
            state = "failed"
            error = f"{error} (gave up after {record.attempts} attempts)"
        if error is not None:
            error = scrub(error)[:_MAX_ERROR]
            log.info("job %s (%s) attempt %d: %s", record.id, record.kind, record.attempts, error)
        now = time.time()
        outcome: AttemptOutcome = (
            "retry" if state == "queued" else "failed" if state == "failed" else "succeeded"
        )
        attempt = AttemptRecord(
            record.id, record.attempts, started, now, outcome,
            current.status if current else None,
            error,
            now + retry_in if state == "queued" and retry_in is not None else None,
        )  # fmt: skip
        try:  # the jobs it caused (its events' deliveries …) are stored before it is done
            await self.flush()
        except Exception:
            log.exception("job %s: storing the jobs it caused failed; they stay queued", record.id)
        if not await self._finisher.finish(
            JobOutcome(record.id, claimed.lease_token, state, attempt)
        ):
            log.warning("job %s: the lease was lost before it finished; outcome dropped", record.id)
        return outcome

    async def run_pending(
        self, *, customer_id: int | None = ANY_CUSTOMER, budget: float = 30.0
    ) -> RunSummary:
        """Run due jobs now, one at a time, until none is due (jobs that other workers are
        running are waited for), or ``budget`` seconds have passed. ``customer_id`` limits it
        to one customer's jobs (``None``: the gateway's own; default: everyone's)."""
        deadline = time.monotonic() + budget
        tally: Counter[str] = Counter()
        while time.monotonic() < deadline:
            await self.flush()
            claimed = await self._claim(1, customer_id)
            if claimed:
                tally[await self._execute(claimed[0])] += 1
                continue
            stats = await self._store.stats(
                customer_id=customer_id, kinds=list(_KINDS), now=time.time()
            )
            if stats.due == 0 and stats.running == 0:
                break
            await asyncio.sleep(0.05)  # running in another worker: wait for it
        await self.flush()
        stats = await self._store.stats(
            customer_id=customer_id, kinds=list(_KINDS), now=time.time()
        )
        return RunSummary(
            ran=sum(tally.values()),
            succeeded=tally["succeeded"],
            retrying=tally["retry"],
            failed=tally["failed"],
            remaining=stats.due + stats.running,
            next_run_at=stats.next_run_at,
        )

    async def retry_now(self, job_id: str, *, customer_id: int | None = ANY_CUSTOMER) -> bool:
        """Make a queued or failed job due now; False if there is no such job (of the customer)."""
        done = await self._store.retry_now(job_id, customer_id, time.time())
        if done:
            self.notify()
        return done

    # -- background worker --------------------------------------------------------------------

    def start(self, concurrency: int) -> None:
        """Start storing deferred jobs and, when ``concurrency`` > 0, running due jobs (at most
        ``concurrency`` at once) on the running event loop until :meth:`aclose`."""
        loop = asyncio.get_running_loop()
        if self._flusher is None:
            self._flusher = loop.create_task(self._flush_forever())
        if concurrency > 0 and self._worker is None:
            self._worker = _Worker(concurrency)
            self._worker.task = loop.create_task(self._work(self._worker))

    async def _work(self, worker: _Worker) -> None:
        poll = self._gateway.settings.job_poll_interval
        pruned = 0.0
        while True:
            free = worker.concurrency - len(worker.running)
            # Claim in batches (half the slots at least): a claim is a commit, which waits
            # for the disk.
            batch = free >= max(1, worker.concurrency // 2) or not worker.running
            try:
                claimed = await self._claim(free, ANY_CUSTOMER) if batch else []
                if time.monotonic() - pruned > _PRUNE_EVERY:
                    pruned = time.monotonic()
                    await self._store.prune(time.time() - RETENTION)
            except Exception:
                log.exception("the job worker could not reach the queue; retrying")
                claimed = []
            for c in claimed:
                task = asyncio.ensure_future(self._execute(c))
                worker.running.add(task)
                task.add_done_callback(worker.finished)
            if claimed and len(claimed) == free:
                continue  # there may be more due right now
            worker.wake.clear()
            # Not asyncio.wait_for: on Python < 3.12 it can swallow the cancellation that
            # stops this worker when a wake-up lands at the same moment (then close hangs).
            with anyio.move_on_after(poll):
                await worker.wake.wait()

    async def aclose(self) -> None:
        """Stop the worker (running jobs get a few seconds, then go back to the queue) and
        store what was deferred."""
        worker, self._worker = self._worker, None
        if worker is not None and worker.task is not None:
            await _stop(worker.task)
            if worker.running:
                _, pending = await asyncio.wait(worker.running, timeout=SHUTDOWN_GRACE)
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
        if self._flusher is not None:
            await _stop(self._flusher)
            self._flusher = None
        await self.flush()
        await self._finisher.wait()


async def _stop(task: asyncio.Future[Any]) -> None:
    """Cancel ``task`` and wait until it has stopped."""
    task.cancel()
    await asyncio.wait([task])


def _owner(customer_id: int | None) -> int:
    return SYSTEM if customer_id is None else customer_id


async def _ready(jobs: list[NewJob]) -> list[NewJob]:
    return jobs


@extensions.on_open
async def _start(gateway: Gateway) -> Closer:
    queue = gateway.jobs
    queue.start(gateway.settings.jobs_concurrency)
    return queue.aclose
