"""SQLite plumbing: one connection per thread, WAL, FULL sync, ``BEGIN IMMEDIATE`` writes.

Each component of the schema (``core``, and whatever later features add) owns an ordered list
of migration steps, one SQL statement each; ``schema_migrations`` records how far each
component has got, so features add tables without renumbering anyone else's.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ...._errors import VaultError

BUSY_TIMEOUT_MS = 10_000

_MIGRATIONS: dict[str, Sequence[str]] = {}
_PURGES: dict[str, Sequence[str]] = {}


def register_schema(component: str, steps: Sequence[str], *, purge: Sequence[str] = ()) -> None:
    """Declare a component's migration steps (append new ones; never edit an old one).

    Deleting a customer deletes its rows from every table with a ``customer_id`` column;
    ``purge`` adds statements (no parameters) that then remove rows left dangling, e.g. the
    children of deleted rows in tables that have no ``customer_id`` of their own.
    """
    _MIGRATIONS[component] = steps
    _PURGES[component] = purge


def purge_customer(conn: sqlite3.Connection, customer_id: int) -> None:
    """Remove every row of the customer, in every component's tables (inside a write)."""
    tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in tables:
        columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        if "customer_id" in columns:
            conn.execute(f'DELETE FROM "{table}" WHERE customer_id = ?', (customer_id,))  # noqa: S608
    for statements in _PURGES.values():
        for statement in statements:
            conn.execute(statement)


class Database:
    """A SQLite file shared by threads and processes; a connection never crosses threads."""

    def __init__(self, path: str) -> None:
        self._tmpdir: str | None = None
        if path == ":memory:":
            # A real file in a private temp dir: same WAL semantics as a vault on disk,
            # visible to every thread of this process, deleted on close.
            self._tmpdir = tempfile.mkdtemp(prefix="endpointr-")
            path = str(Path(self._tmpdir) / "vault.db")
        else:
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = str(Path(path).expanduser())
        # Sealed or not, the vault is nobody else's business: 0600 (SQLite gives its -wal and
        # -shm files the same mode).
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise VaultError("the vault is closed")
            try:
                conn = sqlite3.connect(
                    self.path,
                    isolation_level=None,
                    check_same_thread=False,  # only so close() may run on another thread
                    timeout=BUSY_TIMEOUT_MS / 1000,
                )
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute("PRAGMA foreign_keys=ON")
            except sqlite3.DatabaseError as exc:
                raise VaultError(f"cannot open the vault at {self.path}: {exc}") from None
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.connection().execute(sql, params).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self.connection().execute(sql, params).fetchall()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; BEGIN IMMEDIATE takes the lock up front (no upgrade deadlock)."""
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def migrate(self) -> None:
        with self.write() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
            )
            done = dict(conn.execute("SELECT component, version FROM schema_migrations"))
            for component, steps in _MIGRATIONS.items():
                current = done.get(component, 0)
                if current > len(steps):
                    raise VaultError(
                        f"the vault's {component!r} schema (v{current}) is newer than this "
                        f"endpointr (v{len(steps)}); upgrade endpointr"
                    )
                for step in steps[current:]:
                    conn.execute(step)
                conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?) ON CONFLICT(component) "
                    "DO UPDATE SET version = excluded.version",
                    (component, len(steps)),
                )

    def close(self) -> None:
        with self._lock:
            self._closed = True
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
