"""Outbound webhook subscriptions (their signing secrets sealed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..base import WebhookRecord
from .db import Database, register_schema

register_schema(
    "webhooks",
    [
        "CREATE TABLE webhooks (id TEXT PRIMARY KEY,"
        " customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
        " event TEXT NOT NULL, url TEXT NOT NULL, secret BLOB NOT NULL, created_at REAL NOT NULL)",
        "CREATE INDEX webhooks_event ON webhooks (customer_id, event)",
    ],
)

_COLUMNS = "id, customer_id, event, url, secret, created_at"


def _webhook(row: Sequence[Any]) -> WebhookRecord:
    id_, customer_id, event, url, secret, created_at = row
    return WebhookRecord(id_, customer_id, event, url, bytes(secret), created_at)


class SQLiteWebhooks:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, record: WebhookRecord) -> None:
        with self._db.write() as conn:
            conn.execute(
                f"INSERT INTO webhooks ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",  # noqa: S608
                (record.id, record.customer_id, record.event, record.url, record.secret,
                 record.created_at),
            )  # fmt: skip

    async def get(self, customer_id: int, webhook_id: str) -> WebhookRecord | None:
        row = self._db.one(
            f"SELECT {_COLUMNS} FROM webhooks WHERE customer_id = ? AND id = ?",  # noqa: S608
            (customer_id, webhook_id),
        )
        return None if row is None else _webhook(row)

    async def delete(self, customer_id: int, webhook_id: str) -> bool:
        with self._db.write() as conn:
            cur = conn.execute(
                "DELETE FROM webhooks WHERE customer_id = ? AND id = ?", (customer_id, webhook_id)
            )
            return cur.rowcount > 0

    async def matching(self, customer_id: int, patterns: Sequence[str]) -> list[WebhookRecord]:
        rows = self._db.all(
            f"SELECT {_COLUMNS} FROM webhooks WHERE customer_id = ?"  # noqa: S608
            f" AND event IN ({', '.join('?' * len(patterns))}) ORDER BY created_at, id",
            (customer_id, *patterns),
        )
        return [_webhook(r) for r in rows]

    async def list(self, customer_id: int) -> list[WebhookRecord]:
        rows = self._db.all(
            f"SELECT {_COLUMNS} FROM webhooks WHERE customer_id = ?"  # noqa: S608
            " ORDER BY created_at, id",
            (customer_id,),
        )
        return [_webhook(r) for r in rows]
