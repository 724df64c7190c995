"""The job queue's tables: jobs (sealed payloads, leases) and the record of every attempt.

Writes run in a worker thread (``anyio.to_thread``): a ``synchronous=FULL`` commit waits for the
disk, and the event loop that serves requests must not wait with it.
"""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import anyio.to_thread

from ..base import (
    ANY_CUSTOMER,
    AttemptRecord,
    ClaimedJob,
    JobOutcome,
    JobRecord,
    JobState,
    NewJobRecord,
    QueueStats,
)
from .db import Database, register_schema

T = TypeVar("T")

register_schema(
    "jobs",
    [
        "CREATE TABLE jobs (id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
        " customer_id INTEGER REFERENCES customers(id) ON DELETE CASCADE,"
        " ref TEXT, label TEXT, key TEXT UNIQUE, payload BLOB NOT NULL, state TEXT NOT NULL,"
        " available_at REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
        " max_attempts INTEGER NOT NULL, lease_token TEXT, last_error TEXT, last_status INTEGER,"
        " created_at REAL NOT NULL, updated_at REAL NOT NULL, finished_at REAL)",
        "CREATE INDEX jobs_due ON jobs (available_at) WHERE state IN ('queued', 'running')",
        "CREATE INDEX jobs_customer ON jobs (customer_id, state, available_at)",
        "CREATE INDEX jobs_ref ON jobs (customer_id, ref, created_at)",
        "CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL",
        "CREATE TABLE job_attempts (job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
        " attempt INTEGER NOT NULL, started_at REAL, finished_at REAL NOT NULL,"
        " outcome TEXT NOT NULL, status INTEGER, error TEXT, next_run_at REAL,"
        " PRIMARY KEY (job_id, attempt)) WITHOUT ROWID",
    ],
)

_COLUMNS = (
    "id, kind, customer_id, ref, label, state, available_at, attempts, max_attempts,"
    " last_error, last_status, created_at, updated_at, finished_at"
)
_ACTIVE = "state IN ('queued', 'running')"


def _job(row: Sequence[Any]) -> JobRecord:
    return JobRecord(*row)


def _customer_filter(customer_id: int | None) -> tuple[str, tuple[Any, ...]]:
    if customer_id == ANY_CUSTOMER:
        return "", ()
    if customer_id is None:
        return " AND customer_id IS NULL", ()
    return " AND customer_id = ?", (customer_id,)


def insert_jobs(conn: sqlite3.Connection, jobs: Sequence[NewJobRecord]) -> list[str]:
    """Insert inside the caller's write transaction (other repositories queue jobs atomically
    with their own rows this way)."""
    now = time.time()
    ids = []
    for j in jobs:
        cur = conn.execute(
            "INSERT INTO jobs (id, kind, customer_id, ref, label, key, payload, state,"
            " available_at, max_attempts, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
            (j.id, j.kind, j.customer_id, j.ref, j.label, j.key, j.payload, j.run_at,
             j.max_attempts, now, now),
        )  # fmt: skip
        if cur.rowcount == 0:
            row = conn.execute("SELECT id FROM jobs WHERE key = ?", (j.key,)).fetchone()
            ids.append(str(row[0]))
        else:
            ids.append(j.id)
    return ids


def _insert_attempt(conn: sqlite3.Connection, a: AttemptRecord) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO job_attempts VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (a.job_id, a.attempt, a.started_at, a.finished_at, a.outcome, a.status, a.error,
         a.next_run_at),
    )  # fmt: skip


class SQLiteJobs:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        def run() -> T:
            with self._db.write() as conn:
                return fn(conn)

        # A caller cancelled mid-write still waits for the thread: the transaction completes
        # (or rolls back) before anyone may close the database under it.
        work = asyncio.ensure_future(anyio.to_thread.run_sync(run))
        try:
            return await asyncio.shield(work)
        except asyncio.CancelledError:
            await asyncio.wait([work])
            raise

    async def add(self, jobs: Sequence[NewJobRecord]) -> list[str]:
        if not jobs:
            return []
        return await self._write(lambda conn: insert_jobs(conn, jobs))

    async def claim(
        self, *, leases: Mapping[str, float], limit: int, customer_id: int | None, now: float
    ) -> list[ClaimedJob]:
        if not leases or limit <= 0:
            return []
        kinds = list(leases)
        where, params = _customer_filter(customer_id)
        sql = (
            f"SELECT {_COLUMNS}, payload FROM jobs WHERE {_ACTIVE} AND available_at <= ?"  # noqa: S608
            f" AND kind IN ({', '.join('?' * len(kinds))}){where}"
            " ORDER BY available_at, rowid LIMIT ?"
        )

        def claim(conn: sqlite3.Connection) -> list[ClaimedJob]:
            claimed = []
            for row in conn.execute(sql, (now, *kinds, *params, limit)).fetchall():
                job, payload = _job(row[:-1]), bytes(row[-1])
                if job.state == "running":  # its worker died (or hung) holding the lease
                    failed = job.attempts >= job.max_attempts
                    _insert_attempt(
                        conn,
                        AttemptRecord(
                            job.id, job.attempts, None, now, "failed" if failed else "lost",
                            error="the worker running it stopped answering (lease expired)",
                        ),
                    )  # fmt: skip
                    if failed:
                        conn.execute(
                            "UPDATE jobs SET state = 'failed', lease_token = NULL,"
                            " last_error = ?, updated_at = ?, finished_at = ? WHERE id = ?",
                            ("its last attempt was lost (the worker stopped)", now, now, job.id),
                        )
                        continue
                token = secrets.token_hex(8)
                until = now + leases[job.kind]
                conn.execute(
                    "UPDATE jobs SET state = 'running', available_at = ?, lease_token = ?,"
                    " attempts = attempts + 1, updated_at = ? WHERE id = ?",
                    (until, token, now, job.id),
                )
                record = JobRecord(
                    job.id, job.kind, job.customer_id, job.ref, job.label, "running", until,
                    job.attempts + 1, job.max_attempts, job.last_error, job.last_status,
                    job.created_at, now, None,
                )  # fmt: skip
                claimed.append(ClaimedJob(record, payload, token))
            return claimed

        return await self._write(claim)

    async def extend(self, job_id: str, lease_token: str, until: float) -> bool:
        def extend(conn: sqlite3.Connection) -> bool:
            cur = conn.execute(
                "UPDATE jobs SET available_at = ? WHERE id = ? AND lease_token = ?"
                " AND state = 'running'",
                (until, job_id, lease_token),
            )
            return cur.rowcount > 0

        return await self._write(extend)

    async def finish(self, outcomes: Sequence[JobOutcome]) -> list[bool]:
        def finish(conn: sqlite3.Connection) -> list[bool]:
            done = []
            for o in outcomes:
                a = o.attempt
                over = o.state in ("succeeded", "failed")
                cur = conn.execute(
                    "UPDATE jobs SET state = ?, available_at = ?, lease_token = NULL,"
                    " last_error = ?, last_status = ?, updated_at = ?, finished_at = ?"
                    " WHERE id = ? AND lease_token = ? AND state = 'running'",
                    (o.state, a.finished_at if a.next_run_at is None else a.next_run_at,
                     a.error, a.status, a.finished_at, a.finished_at if over else None,
                     o.job_id, o.lease_token),
                )  # fmt: skip
                done.append(cur.rowcount > 0)
                if cur.rowcount > 0:
                    _insert_attempt(conn, a)
            return done

        return await self._write(finish)

    async def release(self, job_id: str, lease_token: str) -> None:
        now = time.time()
        await self._write(
            lambda conn: conn.execute(
                "UPDATE jobs SET state = 'queued', available_at = ?, lease_token = NULL,"
                " attempts = attempts - 1, updated_at = ?"
                " WHERE id = ? AND lease_token = ? AND state = 'running'",
                (now, now, job_id, lease_token),
            )
        )

    async def get(self, job_id: str) -> JobRecord | None:
        row = self._db.one(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,))  # noqa: S608
        return None if row is None else _job(row)

    async def attempts(self, job_ids: Sequence[str]) -> dict[str, list[AttemptRecord]]:
        out: dict[str, list[AttemptRecord]] = {j: [] for j in job_ids}
        if not job_ids:
            return out
        rows = self._db.all(
            "SELECT * FROM job_attempts WHERE job_id IN"  # noqa: S608
            f" ({', '.join('?' * len(job_ids))}) ORDER BY job_id, attempt",
            tuple(job_ids),
        )
        for row in rows:
            out[row[0]].append(AttemptRecord(*row))
        return out

    async def stats(
        self, *, customer_id: int | None, kinds: Sequence[str], now: float
    ) -> QueueStats:
        where, params = _customer_filter(customer_id)
        marks = ", ".join("?" * len(kinds)) or "NULL"
        row = self._db.one(
            "SELECT"  # noqa: S608
            " SUM(state = 'queued' AND available_at <= ?),"
            " SUM(state = 'running' AND available_at > ?),"
            " MIN(CASE WHEN state = 'queued' AND available_at > ? THEN available_at END)"
            f" FROM jobs WHERE {_ACTIVE} AND kind IN ({marks}){where}",
            (now, now, now, *kinds, *params),
        )
        return QueueStats(int(row[0] or 0), int(row[1] or 0), row[2])

    async def retry_now(self, job_id: str, customer_id: int | None, now: float) -> bool:
        where, params = _customer_filter(customer_id)

        def retry(conn: sqlite3.Connection) -> bool:
            cur = conn.execute(
                "UPDATE jobs SET state = 'queued', available_at = ?, updated_at = ?,"  # noqa: S608
                " finished_at = NULL, max_attempts = MAX(max_attempts, attempts + 1)"
                f" WHERE id = ? AND state IN ('queued', 'failed'){where}",
                (now, now, job_id, *params),
            )
            return cur.rowcount > 0

        return await self._write(retry)

    async def prune(self, finished_before: float) -> int:
        def prune(conn: sqlite3.Connection) -> int:
            return conn.execute(
                "DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ?",
                (finished_before,),
            ).rowcount

        return await self._write(prune)

    async def list(
        self,
        *,
        customer_id: int | None,
        state: JobState | None = None,
        ref: str | None = None,
        limit: int = 50,
    ) -> list[JobRecord]:
        where, params = _customer_filter(customer_id)
        if state is not None:
            where, params = f"{where} AND state = ?", (*params, state)
        if ref is not None:
            where, params = f"{where} AND ref = ?", (*params, ref)
        rows = self._db.all(
            f"SELECT {_COLUMNS} FROM jobs WHERE 1 = 1{where}"  # noqa: S608
            " ORDER BY created_at DESC, rowid DESC LIMIT ?",
            (*params, limit),
        )
        return [_job(r) for r in rows]
