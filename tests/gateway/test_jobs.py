"""The durable job queue: runs, retries, leases, crashes, customers, several processes."""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from tests.conftest import MASTER_KEY, PLUGINS
from tests.support.server import ROOT

from endpointr.gateway.gateway import Gateway
from endpointr.gateway.jobs import ANY_CUSTOMER, NewJob, default_backoff
from endpointr.gateway.settings import Settings


def _settings(vault: Path, **overrides: object) -> Settings:
    options: dict[str, object] = {"jobs_concurrency": 0, **overrides}
    return Settings.from_env(
        {}, vault=str(vault), master_key=MASTER_KEY, handler_modules=PLUGINS, **options
    )


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[Gateway]:
    gw = await Gateway.open(_settings(tmp_path / "vault.db"))
    yield gw
    await gw.aclose()


async def _customer(gw: Gateway, name: str = "acme") -> int:
    return (await gw.store.customers.create(name, None)).id


def _lines(path: Path) -> list[list[str]]:
    return [line.split() for line in path.read_text().splitlines()] if path.exists() else []


async def test_a_job_runs_once_and_its_attempt_is_recorded(
    gateway: Gateway, tmp_path: Path
) -> None:
    cid = await _customer(gateway)
    log = tmp_path / "log"
    job_id = await gateway.jobs.enqueue(
        "testing.record", {"path": str(log)}, customer_id=cid, ref="thing:1", label="a test"
    )
    run = await gateway.jobs.run_pending()
    assert (run.ran, run.succeeded, run.remaining) == (1, 1, 0)
    assert [(w, j) for w, j, *_ in _lines(log)] == [("run", job_id)]
    record = await gateway.store.jobs.get(job_id)
    assert record is not None
    assert (record.state, record.attempts, record.ref, record.last_status) == (
        "succeeded", 1, "thing:1", 200,
    )  # fmt: skip
    [attempt] = (await gateway.store.jobs.attempts([job_id]))[job_id]
    assert (attempt.outcome, attempt.status, attempt.error) == ("succeeded", 200, None)
    assert (await gateway.jobs.run_pending()).ran == 0  # nothing runs twice


async def test_payloads_are_sealed_at_rest(gateway: Gateway, tmp_path: Path) -> None:
    cid = await _customer(gateway)
    marker = "plaintext-marker-4f1c9a"
    await gateway.jobs.enqueue(
        "testing.record", {"path": str(tmp_path / "log"), "note": marker}, customer_id=cid
    )
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("vault.db*"))  # noqa: ASYNC240
    assert marker.encode() not in raw


async def test_a_failed_attempt_is_retried_after_a_backoff(
    gateway: Gateway, tmp_path: Path
) -> None:
    cid = await _customer(gateway)
    log = tmp_path / "log"
    job_id = await gateway.jobs.enqueue(
        "testing.record", {"path": str(log), "fail_until": 1}, customer_id=cid
    )
    before = time.time()
    run = await gateway.jobs.run_pending()
    assert (run.ran, run.retrying, run.remaining) == (1, 1, 0)
    assert run.next_run_at is not None
    assert 15 <= run.next_run_at - before <= 26
    record = await gateway.store.jobs.get(job_id)
    assert record is not None
    assert record.state == "queued"
    assert record.last_error == "RuntimeError: failing attempt 1 as asked"
    assert (await gateway.jobs.run_pending()).ran == 0  # not due yet
    assert await gateway.jobs.retry_now(job_id, customer_id=cid)
    assert (await gateway.jobs.run_pending()).succeeded == 1
    history = (await gateway.store.jobs.attempts([job_id]))[job_id]
    assert [a.outcome for a in history] == ["retry", "succeeded"]
    assert history[0].next_run_at is not None


def test_the_backoff_starts_within_30_seconds_and_grows_to_a_day_at_most() -> None:
    first = [default_backoff(1) for _ in range(500)]
    assert min(first) >= 15
    assert max(first) <= 30
    medians = [statistics.median(default_backoff(n) for _ in range(201)) for n in range(1, 12)]
    assert medians == sorted(medians)
    assert medians[1] > 2 * medians[0]
    assert medians[-1] == 86_400
    assert max(default_backoff(n) for n in range(1, 40) for _ in range(20)) <= 86_400


async def test_permanent_errors_and_exhausted_attempts_fail_for_good(
    gateway: Gateway, tmp_path: Path
) -> None:
    cid = await _customer(gateway)
    log = tmp_path / "log"
    permanent = await gateway.jobs.enqueue(
        "testing.record", {"path": str(log), "permanent": True}, customer_id=cid
    )
    exhausted = await gateway.jobs.enqueue(
        "testing.record", {"path": str(log), "fail_until": 9}, customer_id=cid, max_attempts=2
    )
    run = await gateway.jobs.run_pending()
    assert (run.ran, run.failed, run.retrying) == (2, 1, 1)
    await gateway.jobs.retry_now(exhausted)
    assert (await gateway.jobs.run_pending()).failed == 1
    for job_id, error in (
        (permanent, "the payload asked for a permanent failure"),
        (exhausted, "RuntimeError: failing attempt 2 as asked (gave up after 2 attempts)"),
    ):
        record = await gateway.store.jobs.get(job_id)
        assert record is not None
        assert (record.state, record.last_error) == ("failed", error)
    assert (await gateway.store.jobs.get(permanent)).last_status == 422  # type: ignore[union-attr]


async def test_a_runner_may_ask_to_come_back_later(gateway: Gateway, tmp_path: Path) -> None:
    cid = await _customer(gateway)
    await gateway.jobs.enqueue(
        "testing.record", {"path": str(tmp_path / "log"), "retry_in": 3600}, customer_id=cid
    )
    before = time.time()
    run = await gateway.jobs.run_pending()
    assert run.retrying == 1
    assert run.next_run_at is not None
    assert 3599 <= run.next_run_at - before <= 3601


async def test_recorded_errors_do_not_carry_credentials(gateway: Gateway, tmp_path: Path) -> None:
    cid = await _customer(gateway)
    error = (
        "Client error '400 Bad Request' for url "
        "'https://graph.facebook.com/v24.0/me?fields=id&access_token=EAAB-secret-1'; "
        "sent Authorization: Bearer sk-secret-2"
    )
    job_id = await gateway.jobs.enqueue(
        "testing.record", {"path": str(tmp_path / "log"), "error": error}, customer_id=cid
    )
    await gateway.jobs.run_pending()
    record = await gateway.store.jobs.get(job_id)
    assert record is not None
    assert record.last_error == (
        "RuntimeError: Client error '400 Bad Request' for url "
        "'https://graph.facebook.com/v24.0/me?fields=id&access_token=[REDACTED]'; "
        "sent Authorization: Bearer [REDACTED]"
    )


async def test_an_idempotency_key_enqueues_once(gateway: Gateway, tmp_path: Path) -> None:
    cid = await _customer(gateway)
    payload = {"path": str(tmp_path / "log")}
    first = await gateway.jobs.enqueue("testing.record", payload, customer_id=cid, key="k-1")
    again = await gateway.jobs.enqueue("testing.record", payload, customer_id=cid, key="k-1")
    assert first == again
    assert (await gateway.jobs.run_pending()).ran == 1


async def test_unknown_kinds_are_refused_at_enqueue(gateway: Gateway) -> None:
    with pytest.raises(ValueError, match="no runner is registered for job kind 'nope'"):
        await gateway.jobs.enqueue("nope", {}, customer_id=None)


async def test_run_pending_for_a_customer_runs_only_its_jobs(
    gateway: Gateway, tmp_path: Path
) -> None:
    mine, theirs = await _customer(gateway, "mine"), await _customer(gateway, "theirs")
    log = tmp_path / "log"
    own = await gateway.jobs.enqueue("testing.record", {"path": str(log)}, customer_id=mine)
    other = await gateway.jobs.enqueue("testing.record", {"path": str(log)}, customer_id=theirs)
    run = await gateway.jobs.run_pending(customer_id=mine)
    assert run.ran == 1
    assert [j for _, j, *_ in _lines(log)] == [own]
    assert not await gateway.jobs.retry_now(other, customer_id=mine)  # not yours
    assert (await gateway.jobs.run_pending(customer_id=ANY_CUSTOMER)).ran == 1


async def test_an_expired_lease_is_taken_over_and_the_lost_attempt_recorded(
    gateway: Gateway, tmp_path: Path
) -> None:
    cid = await _customer(gateway)
    log = tmp_path / "log"
    job_id = await gateway.jobs.enqueue("testing.record", {"path": str(log)}, customer_id=cid)
    # A worker claims it and dies: nobody renews the lease.
    [claimed] = await gateway.store.jobs.claim(
        leases={"testing.record": 0.2}, limit=1, customer_id=cid, now=time.time()
    )
    assert (await gateway.jobs.run_pending(budget=0.1)).ran == 0  # leased: not taken
    await asyncio.sleep(0.3)
    assert (await gateway.jobs.run_pending()).succeeded == 1
    history = (await gateway.store.jobs.attempts([job_id]))[job_id]
    assert [(a.attempt, a.outcome) for a in history] == [(1, "lost"), (2, "succeeded")]
    # The dead worker's late result is refused: its lease is gone.
    from endpointr.gateway.store.base import AttemptRecord, JobOutcome

    late = AttemptRecord(job_id, 1, None, time.time(), "succeeded")
    outcome = JobOutcome(job_id, claimed.lease_token, "succeeded", late)
    assert await gateway.store.jobs.finish([outcome]) == [False]


async def test_deferred_jobs_are_stored_by_flush(gateway: Gateway, tmp_path: Path) -> None:
    cid = await _customer(gateway)
    payload = {"path": str(tmp_path / "log")}

    async def produce() -> list[NewJob]:
        return [NewJob("testing.record", payload, cid) for _ in range(3)]

    gateway.jobs.defer(produce)
    await gateway.jobs.flush()
    assert len(await gateway.store.jobs.list(customer_id=cid)) == 3


async def test_the_background_worker_runs_due_jobs(tmp_path: Path) -> None:
    gw = await Gateway.open(_settings(tmp_path / "vault.db", jobs_concurrency=2))
    try:
        cid = await _customer(gw)
        log = tmp_path / "log"
        ids = [
            await gw.jobs.enqueue("testing.record", {"path": str(log)}, customer_id=cid)
            for _ in range(5)
        ]
        for _ in range(100):
            if len(_lines(log)) == 5:
                break
            await asyncio.sleep(0.05)
        assert sorted(j for _, j, *_ in _lines(log)) == sorted(ids)
    finally:
        await gw.aclose()


# -- separate worker processes ------------------------------------------------------------------


class Workers:
    def __init__(self, vault: Path, root: Path) -> None:
        self.vault = vault
        self.root = root
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, concurrency: int = 4) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ENDPOINTR_MASTER_KEY": MASTER_KEY,
            "ENDPOINTR_HANDLER_MODULES": PLUGINS,
            "ENDPOINTR_JOB_POLL_INTERVAL": "0.1",
        }
        log = (self.root / f"worker-{len(self.procs)}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "endpointr.cli", "worker", "--vault", str(self.vault),
             "--concurrency", str(concurrency)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    w = Workers(tmp_path / "vault.db", tmp_path)
    yield w
    w.stop()


def _wait_for(predicate: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


async def test_a_worker_killed_mid_job_leaves_it_to_another(
    gateway: Gateway, workers: Workers, tmp_path: Path
) -> None:
    cid = await _customer(gateway)
    log = tmp_path / "log"
    job_id = await gateway.jobs.enqueue(
        "testing.slow", {"path": str(log), "seconds": 120}, customer_id=cid
    )
    first = workers.start()
    await asyncio.to_thread(_wait_for, lambda: any(w == "start" for w, *_ in _lines(log)))
    first.kill()  # SIGKILL: no clean-up, the lease is left behind
    first.wait()
    second = workers.start()
    await asyncio.to_thread(_wait_for, lambda: any(w == "done" for w, *_ in _lines(log)))
    lines = _lines(log)
    assert [(w, int(a), int(pid)) for w, _, a, pid in lines] == [
        ("start", 1, first.pid), ("start", 2, second.pid), ("done", 2, second.pid),
    ]  # fmt: skip
    record = await gateway.store.jobs.get(job_id)
    assert record is not None
    assert record.state == "succeeded"
    history = (await gateway.store.jobs.attempts([job_id]))[job_id]
    assert [a.outcome for a in history] == ["lost", "succeeded"]


async def test_four_worker_processes_share_one_queue_without_loss_or_duplicates(
    gateway: Gateway, workers: Workers, tmp_path: Path
) -> None:
    cid = await _customer(gateway)
    log = tmp_path / "log"
    payload = {"path": str(log)}
    ids = await gateway.jobs.enqueue_many(
        [NewJob("testing.record", payload, cid) for _ in range(400)]
    )
    procs = [workers.start() for _ in range(4)]
    await asyncio.to_thread(_wait_for, lambda: len(_lines(log)) >= 400, 60)
    await asyncio.sleep(0.3)  # a duplicate would show up now
    runs = Counter(j for _, j, *_ in _lines(log))
    assert set(runs) == set(ids)
    assert max(runs.values()) == 1
    by_worker = Counter(int(pid) for *_, pid in _lines(log))
    assert set(by_worker) <= {p.pid for p in procs}


async def test_closing_while_the_worker_is_being_woken_never_hangs() -> None:
    """A wake-up landing together with the stop must not swallow the stop (asyncio.wait_for
    on Python < 3.12 does exactly that, and closing the gateway then waits forever)."""
    import asyncio

    from endpointr.gateway.gateway import Gateway
    from endpointr.gateway.settings import Settings

    for _ in range(30):
        gateway = await Gateway.open(Settings.from_env({}, vault=":memory:"))
        await asyncio.sleep(0.05)  # the worker has claimed nothing and waits for work
        gateway.jobs.notify()
        await asyncio.wait_for(gateway.aclose(), 10)
