"""Bindings (event -> action) and inbound webhook endpoints with the events they received."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..base import (
    BindingRecord,
    InboundEndpointRecord,
    InboundEventRecord,
    NewJobRecord,
)
from .db import Database, register_schema
from .jobs import insert_jobs

register_schema(
    "bindings",
    [
        "CREATE TABLE bindings (id TEXT PRIMARY KEY,"
        " customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
        " trigger_event TEXT NOT NULL, action TEXT NOT NULL, enabled INTEGER NOT NULL,"
        " mapping TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL)",
        "CREATE INDEX bindings_trigger ON bindings (customer_id, trigger_event)",
        "CREATE TABLE inbound_endpoints (token TEXT PRIMARY KEY,"
        " customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
        " provider TEXT NOT NULL, label TEXT, secret BLOB NOT NULL, created_at REAL NOT NULL)",
        "CREATE INDEX inbound_endpoints_customer ON inbound_endpoints (customer_id)",
        "CREATE TABLE inbound_events (id TEXT PRIMARY KEY, token TEXT NOT NULL,"
        " customer_id INTEGER REFERENCES customers(id) ON DELETE CASCADE,"
        " provider TEXT NOT NULL, status TEXT NOT NULL, received_at REAL NOT NULL,"
        " event TEXT, event_id TEXT, reason TEXT, payload BLOB, accepted_id TEXT,"
        " UNIQUE (token, accepted_id))",
        "CREATE INDEX inbound_events_token ON inbound_events (token, received_at)",
        "CREATE INDEX inbound_events_received ON inbound_events (received_at)",
    ],
)

DAY = 86_400.0
KEEP_ACCEPTED = 30 * DAY  # verified events (and the replay check on their ids)
KEEP_REFUSED = 7 * DAY  # duplicates and rejected requests

_BINDING = "id, customer_id, trigger_event, action, enabled, mapping, created_at, updated_at"
_ENDPOINT = "token, customer_id, provider, label, secret, created_at"
_EVENT = "id, token, customer_id, provider, status, received_at, event, event_id, reason"


def _binding(row: Sequence[Any]) -> BindingRecord:
    id_, customer_id, trigger, action, enabled, mapping, created_at, updated_at = row
    return BindingRecord(
        id_, customer_id, trigger, action, bool(enabled), json.loads(mapping), created_at,
        updated_at,
    )  # fmt: skip


def _endpoint(row: Sequence[Any]) -> InboundEndpointRecord:
    token, customer_id, provider, label, secret, created_at = row
    return InboundEndpointRecord(token, customer_id, provider, label, bytes(secret), created_at)


def _event(row: Sequence[Any]) -> InboundEventRecord:
    return InboundEventRecord(*row)


class SQLiteBindings:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, record: BindingRecord) -> None:
        with self._db.write() as conn:
            conn.execute(
                f"INSERT INTO bindings ({_BINDING}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
                (record.id, record.customer_id, record.trigger_event, record.action,
                 int(record.enabled), json.dumps(record.mapping), record.created_at,
                 record.updated_at),
            )  # fmt: skip

    async def get(self, customer_id: int, binding_id: str) -> BindingRecord | None:
        row = self._db.one(
            f"SELECT {_BINDING} FROM bindings WHERE customer_id = ? AND id = ?",  # noqa: S608
            (customer_id, binding_id),
        )
        return None if row is None else _binding(row)

    async def replace(self, record: BindingRecord) -> bool:
        with self._db.write() as conn:
            cur = conn.execute(
                "UPDATE bindings SET trigger_event = ?, action = ?, enabled = ?, mapping = ?,"
                " updated_at = ? WHERE customer_id = ? AND id = ?",
                (record.trigger_event, record.action, int(record.enabled),
                 json.dumps(record.mapping), record.updated_at, record.customer_id, record.id),
            )  # fmt: skip
            return cur.rowcount > 0

    async def delete(self, customer_id: int, binding_id: str) -> bool:
        with self._db.write() as conn:
            cur = conn.execute(
                "DELETE FROM bindings WHERE customer_id = ? AND id = ?", (customer_id, binding_id)
            )
            return cur.rowcount > 0

    async def matching(self, customer_id: int, patterns: Sequence[str]) -> list[BindingRecord]:
        rows = self._db.all(
            f"SELECT {_BINDING} FROM bindings WHERE customer_id = ? AND enabled"  # noqa: S608
            f" AND trigger_event IN ({', '.join('?' * len(patterns))}) ORDER BY created_at, id",
            (customer_id, *patterns),
        )
        return [_binding(r) for r in rows]

    async def list(self, customer_id: int) -> list[BindingRecord]:
        rows = self._db.all(
            f"SELECT {_BINDING} FROM bindings WHERE customer_id = ?"  # noqa: S608
            " ORDER BY created_at, id",
            (customer_id,),
        )
        return [_binding(r) for r in rows]


class SQLiteInbound:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_endpoint(self, record: InboundEndpointRecord) -> None:
        with self._db.write() as conn:
            conn.execute(
                f"INSERT INTO inbound_endpoints ({_ENDPOINT}) VALUES (?, ?, ?, ?, ?, ?)",  # noqa: S608
                (record.token, record.customer_id, record.provider, record.label, record.secret,
                 record.created_at),
            )  # fmt: skip

    async def endpoints(self, customer_id: int) -> list[InboundEndpointRecord]:
        rows = self._db.all(
            f"SELECT {_ENDPOINT} FROM inbound_endpoints WHERE customer_id = ?"  # noqa: S608
            " ORDER BY created_at, token",
            (customer_id,),
        )
        return [_endpoint(r) for r in rows]

    async def endpoint(self, token: str) -> InboundEndpointRecord | None:
        row = self._db.one(
            f"SELECT {_ENDPOINT} FROM inbound_endpoints WHERE token = ?",  # noqa: S608
            (token,),
        )
        return None if row is None else _endpoint(row)

    async def delete_endpoint(self, customer_id: int, token: str) -> bool:
        with self._db.write() as conn:
            cur = conn.execute(
                "DELETE FROM inbound_endpoints WHERE customer_id = ? AND token = ?",
                (customer_id, token),
            )
            return cur.rowcount > 0

    def _insert(self, conn: Any, e: InboundEventRecord, payload: bytes | None) -> bool:
        conn.execute(
            "DELETE FROM inbound_events WHERE received_at < ?"
            " AND (status != 'accepted' OR received_at < ?)",
            (e.received_at - KEEP_REFUSED, e.received_at - KEEP_ACCEPTED),
        )
        accepted_id = e.event_id if e.status == "accepted" else None
        cur = conn.execute(
            f"INSERT INTO inbound_events ({_EVENT}, payload, accepted_id)"  # noqa: S608
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (e.id, e.token, e.customer_id, e.provider, e.status, e.received_at, e.event,
             e.event_id, e.reason, payload, accepted_id),
        )  # fmt: skip
        return bool(cur.rowcount > 0)

    async def accept(
        self, event: InboundEventRecord, payload: bytes, dispatch: NewJobRecord
    ) -> bool:
        with self._db.write() as conn:
            if self._insert(conn, event, payload):
                insert_jobs(conn, [dispatch])
                return True
            duplicate = InboundEventRecord(
                event.id, event.token, event.customer_id, event.provider, "duplicate",
                event.received_at, event.event, event.event_id,
                "already received: acknowledged, not dispatched again",
            )  # fmt: skip
            self._insert(conn, duplicate, None)
            return False

    async def record(self, event: InboundEventRecord) -> None:
        with self._db.write() as conn:
            self._insert(conn, event, None)

    async def event(self, event_id: str) -> tuple[InboundEventRecord, bytes] | None:
        row = self._db.one(
            f"SELECT {_EVENT}, payload FROM inbound_events WHERE id = ?",  # noqa: S608
            (event_id,),
        )
        if row is None or row[-1] is None:
            return None
        return _event(row[:-1]), bytes(row[-1])

    async def recent(self, token: str, limit: int = 10) -> list[InboundEventRecord]:
        rows = self._db.all(
            f"SELECT {_EVENT} FROM inbound_events WHERE token = ?"  # noqa: S608
            " ORDER BY received_at DESC, rowid DESC LIMIT ?",
            (token, limit),
        )
        return [_event(r) for r in rows]
