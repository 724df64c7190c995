"""Meta Marketing tables: the object mirror, the lead inbox, inbound webhook deliveries and the
subscription map, insights snapshots, and upload assets."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from ..base import (
    AssetRecord,
    DeliveryRecord,
    LeadRow,
    MirrorRecord,
    MirrorRow,
    MirrorScope,
    SubscriptionRecord,
)
from .db import Database, register_schema

register_schema(
    "marketing",
    [
        "CREATE TABLE meta_ad_objects (customer_id INTEGER NOT NULL, level TEXT NOT NULL,"
        " id TEXT NOT NULL, account_id TEXT, campaign_id TEXT, adset_id TEXT,"
        " data TEXT NOT NULL, synced_at REAL NOT NULL, deleted_at REAL,"
        " PRIMARY KEY (customer_id, level, id)) WITHOUT ROWID",
        "CREATE INDEX meta_ad_objects_account ON meta_ad_objects (customer_id, level, account_id)",
        "CREATE INDEX meta_ad_objects_campaign ON meta_ad_objects"
        " (customer_id, level, campaign_id) WHERE campaign_id IS NOT NULL",
        "CREATE INDEX meta_ad_objects_adset ON meta_ad_objects"
        " (customer_id, level, adset_id) WHERE adset_id IS NOT NULL",
        "CREATE TABLE meta_ad_sync_state (customer_id INTEGER NOT NULL, level TEXT NOT NULL,"
        " scope TEXT NOT NULL, synced_at REAL NOT NULL,"
        " PRIMARY KEY (customer_id, level, scope)) WITHOUT ROWID",
        "CREATE TABLE meta_ad_leads (customer_id INTEGER NOT NULL, id TEXT NOT NULL,"
        " form_id TEXT, created_time REAL NOT NULL, data TEXT NOT NULL,"
        " received_at REAL NOT NULL, PRIMARY KEY (customer_id, id)) WITHOUT ROWID",
        "CREATE INDEX meta_ad_leads_form ON meta_ad_leads (customer_id, form_id, created_time)",
        "CREATE INDEX meta_ad_leads_time ON meta_ad_leads (customer_id, created_time)",
        "CREATE TABLE meta_ad_webhook_events (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " customer_id INTEGER, object TEXT, status TEXT NOT NULL, received_at REAL NOT NULL,"
        " body BLOB NOT NULL)",
        "CREATE INDEX meta_ad_webhook_events_customer ON meta_ad_webhook_events (customer_id, id)",
        "CREATE TABLE meta_ad_webhook_subs (object TEXT NOT NULL, object_id TEXT NOT NULL,"
        " customer_id INTEGER NOT NULL, fields TEXT NOT NULL, callback_url TEXT,"
        " updated_at REAL NOT NULL, PRIMARY KEY (object, object_id)) WITHOUT ROWID",
        "CREATE INDEX meta_ad_webhook_subs_customer ON meta_ad_webhook_subs (customer_id)",
        "CREATE TABLE meta_ad_insights_snapshots (customer_id INTEGER NOT NULL,"
        " key TEXT NOT NULL, level TEXT NOT NULL, rows TEXT NOT NULL,"
        " fetched_at REAL NOT NULL, PRIMARY KEY (customer_id, key)) WITHOUT ROWID",
        "CREATE TABLE meta_ad_assets (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " customer_id INTEGER NOT NULL, kind TEXT NOT NULL, account_id TEXT NOT NULL,"
        " name TEXT, size INTEGER NOT NULL, state TEXT NOT NULL,"
        " progress INTEGER NOT NULL DEFAULT 0, remote_id TEXT, job_id TEXT, error TEXT,"
        " raw TEXT, created_at REAL NOT NULL, updated_at REAL NOT NULL)",
        "CREATE TABLE meta_ad_upload_parts (asset_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
        " data BLOB NOT NULL, PRIMARY KEY (asset_id, seq))",
    ],
)

#: Staged uploads are kept in parts of this size (a job reads only the parts it sends).
PART_BYTES = 4 * 1024 * 1024

_UPSERT_OBJECT = (
    "INSERT INTO meta_ad_objects (customer_id, level, id, account_id, campaign_id, adset_id,"
    " data, synced_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)"
    " ON CONFLICT (customer_id, level, id) DO UPDATE SET"
    " account_id = coalesce(excluded.account_id, account_id),"
    " campaign_id = coalesce(excluded.campaign_id, campaign_id),"
    " adset_id = coalesce(excluded.adset_id, adset_id),"
    " data = excluded.data, synced_at = excluded.synced_at, deleted_at = NULL"
)


def _where(scope: MirrorScope) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for column in ("account_id", "campaign_id", "adset_id"):
        value = getattr(scope, column)
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    return "".join(f" AND {c}" for c in clauses), params


def _limit(limit: int | None) -> str:
    return f" LIMIT {int(limit)}" if limit is not None else ""


class SQLiteMetaAdsObjects:
    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def _rows(customer_id: int, rows: Sequence[MirrorRow], now: float) -> list[tuple[Any, ...]]:
        return [
            (
                customer_id, r.level, r.id, r.scope.account_id, r.scope.campaign_id,
                r.scope.adset_id, r.data, now,
            )
            for r in rows
        ]  # fmt: skip

    async def upsert(self, customer_id: int, rows: Sequence[MirrorRow]) -> None:
        if rows:
            with self._db.write() as conn:
                conn.executemany(_UPSERT_OBJECT, self._rows(customer_id, rows, time.time()))

    async def complete(
        self, customer_id: int, level: str, scope: MirrorScope, started: float
    ) -> int:
        where, params = _where(scope)
        with self._db.write() as conn:
            gone = conn.execute(
                "UPDATE meta_ad_objects SET deleted_at = ? WHERE customer_id = ? AND level = ?"  # noqa: S608
                f" AND deleted_at IS NULL AND synced_at < ?{where}",
                (time.time(), customer_id, level, started, *params),
            ).rowcount
            conn.execute(
                "INSERT INTO meta_ad_sync_state VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE"
                " SET synced_at = excluded.synced_at",
                (customer_id, level, scope.key, started),
            )
        return int(gone)

    async def get(self, customer_id: int, level: str, id: str) -> MirrorRecord | None:
        row = self._db.one(
            "SELECT data, account_id, campaign_id, adset_id, synced_at, deleted_at"
            " FROM meta_ad_objects WHERE customer_id = ? AND level = ? AND id = ?",
            (customer_id, level, id),
        )
        if row is None:
            return None
        return MirrorRecord(str(row[0]), MirrorScope(row[1], row[2], row[3]), row[4], row[5])

    async def list_json(
        self, customer_id: int, level: str, scope: MirrorScope, limit: int | None = None
    ) -> list[str]:
        where, params = _where(scope)
        sql = (
            "SELECT data FROM meta_ad_objects WHERE customer_id = ? AND level = ?"  # noqa: S608
            f" AND deleted_at IS NULL{where} ORDER BY length(id) DESC, id DESC{_limit(limit)}"
        )
        return [r[0] for r in self._db.all(sql, (customer_id, level, *params))]

    async def soft_delete(self, customer_id: int, level: str, id: str) -> bool:
        with self._db.write() as conn:
            cur = conn.execute(
                "UPDATE meta_ad_objects SET deleted_at = ? WHERE customer_id = ? AND level = ?"
                " AND id = ? AND deleted_at IS NULL",
                (time.time(), customer_id, level, id),
            )
            return cur.rowcount > 0

    async def synced(self, customer_id: int, level: str, keys: Sequence[str]) -> bool:
        wanted = [k for k in keys if k]
        if not wanted:
            return False
        marks = ", ".join("?" * len(wanted))
        row = self._db.one(
            "SELECT 1 FROM meta_ad_sync_state WHERE customer_id = ? AND level = ?"  # noqa: S608
            f" AND scope IN ({marks})",
            (customer_id, level, *wanted),
        )
        return row is not None


class SQLiteMetaAdsLeads:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert(self, customer_id: int, rows: Sequence[LeadRow]) -> None:
        if not rows:
            return
        now = time.time()
        with self._db.write() as conn:
            conn.executemany(
                "INSERT INTO meta_ad_leads VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE"
                " SET form_id = coalesce(excluded.form_id, form_id),"
                " created_time = excluded.created_time, data = excluded.data",
                [(customer_id, r.id, r.form_id, r.created_time, r.data, now) for r in rows],
            )

    async def get(self, customer_id: int, id: str) -> str | None:
        row = self._db.one(
            "SELECT data FROM meta_ad_leads WHERE customer_id = ? AND id = ?", (customer_id, id)
        )
        return None if row is None else str(row[0])

    async def list_json(
        self,
        customer_id: int,
        *,
        form_id: str | None = None,
        since: float | None = None,
        limit: int | None = None,
    ) -> list[str]:
        where, params = "", list[Any]()
        if form_id is not None:
            where += " AND form_id = ?"
            params.append(form_id)
        if since is not None:
            where += " AND created_time >= ?"
            params.append(since)
        sql = (
            "SELECT data FROM meta_ad_leads WHERE customer_id = ?"  # noqa: S608
            f"{where} ORDER BY created_time DESC, id DESC{_limit(limit)}"
        )
        return [r[0] for r in self._db.all(sql, (customer_id, *params))]


_DELIVERY_COLUMNS = "id, customer_id, object, status, received_at, body"


def _subscription(row: Any) -> SubscriptionRecord:
    return SubscriptionRecord(
        customer_id=int(row[0]),
        object=str(row[1]),
        object_id=str(row[2]),
        fields=tuple(json.loads(row[3])),
        callback_url=row[4],
        updated_at=float(row[5]),
    )


class SQLiteMetaAdsWebhooks:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, object: str | None, body: bytes, status: str) -> int:
        with self._db.write() as conn:
            cur = conn.execute(
                "INSERT INTO meta_ad_webhook_events (customer_id, object, status, received_at,"
                " body) VALUES (NULL, ?, ?, ?, ?)",
                (object, status, time.time(), body),
            )
            return int(cur.lastrowid or 0)

    async def attribute(self, delivery_id: int, customer_id: int | None, status: str) -> None:
        with self._db.write() as conn:
            conn.execute(
                "UPDATE meta_ad_webhook_events SET customer_id = ?, status = ? WHERE id = ?",
                (customer_id, status, delivery_id),
            )

    async def deliveries(
        self, *, customer_id: int | None = None, unattributed: bool = False, limit: int = 100
    ) -> list[DeliveryRecord]:
        where, params = "", []
        if unattributed:
            where = " WHERE customer_id IS NULL"
        elif customer_id is not None:
            where = " WHERE customer_id = ?"
            params.append(customer_id)
        rows = self._db.all(
            f"SELECT {_DELIVERY_COLUMNS} FROM meta_ad_webhook_events{where}"  # noqa: S608
            f" ORDER BY id DESC{_limit(limit)}",
            params,
        )
        return [DeliveryRecord(r[0], r[1], r[2], r[3], r[4], bytes(r[5])) for r in rows]

    async def subscribe(self, record: SubscriptionRecord) -> SubscriptionRecord:
        now = time.time()
        with self._db.write() as conn:
            owner = conn.execute(
                "SELECT customer_id FROM meta_ad_webhook_subs WHERE object = ? AND object_id = ?",
                (record.object, record.object_id),
            ).fetchone()
            if owner is not None and owner[0] != record.customer_id:
                raise ValueError(
                    f"{record.object} {record.object_id} is subscribed by another customer"
                )
            conn.execute(
                "INSERT INTO meta_ad_webhook_subs VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT"
                " DO UPDATE SET fields = excluded.fields, callback_url = excluded.callback_url,"
                " updated_at = excluded.updated_at",
                (
                    record.object, record.object_id, record.customer_id,
                    json.dumps(list(record.fields)), record.callback_url, now,
                ),
            )  # fmt: skip
        return SubscriptionRecord(
            record.customer_id,
            record.object,
            record.object_id,
            record.fields,
            record.callback_url,
            now,
        )

    async def subscriptions(self, customer_id: int) -> list[SubscriptionRecord]:
        rows = self._db.all(
            "SELECT customer_id, object, object_id, fields, callback_url, updated_at"
            " FROM meta_ad_webhook_subs WHERE customer_id = ? ORDER BY object, object_id",
            (customer_id,),
        )
        return [_subscription(r) for r in rows]

    async def owners(self, object: str, object_ids: Sequence[str]) -> dict[str, int]:
        if not object_ids:
            return {}
        marks = ", ".join("?" * len(object_ids))
        rows = self._db.all(
            "SELECT object_id, customer_id FROM meta_ad_webhook_subs"  # noqa: S608
            f" WHERE object = ? AND object_id IN ({marks})",
            (object, *object_ids),
        )
        return {str(r[0]): int(r[1]) for r in rows}

    async def unsubscribe(self, customer_id: int, object: str) -> int:
        with self._db.write() as conn:
            cur = conn.execute(
                "DELETE FROM meta_ad_webhook_subs WHERE customer_id = ? AND object = ?",
                (customer_id, object),
            )
            return int(cur.rowcount)


class SQLiteMetaAdsInsights:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, customer_id: int, key: str) -> tuple[str, float] | None:
        row = self._db.one(
            "SELECT rows, fetched_at FROM meta_ad_insights_snapshots"
            " WHERE customer_id = ? AND key = ?",
            (customer_id, key),
        )
        return None if row is None else (str(row[0]), float(row[1]))

    async def put(self, customer_id: int, key: str, level: str, rows: str) -> float:
        now = time.time()
        with self._db.write() as conn:
            conn.execute(
                "INSERT INTO meta_ad_insights_snapshots VALUES (?, ?, ?, ?, ?) ON CONFLICT"
                " DO UPDATE SET rows = excluded.rows, fetched_at = excluded.fetched_at",
                (customer_id, key, level, rows, now),
            )
        return now


_ASSET_COLUMNS = (
    "id, customer_id, kind, account_id, name, size, state, progress, remote_id, job_id, error,"
    " raw, updated_at"
)


class SQLiteMetaAdsAssets:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _one(self, asset_id: int) -> AssetRecord:
        row = self._db.one(
            f"SELECT {_ASSET_COLUMNS} FROM meta_ad_assets WHERE id = ?",  # noqa: S608
            (asset_id,),
        )
        return AssetRecord(*row)

    async def create(
        self, customer_id: int, kind: str, account_id: str, *, name: str | None, size: int,
        state: str,
    ) -> AssetRecord:  # fmt: skip
        now = time.time()
        with self._db.write() as conn:
            cur = conn.execute(
                "INSERT INTO meta_ad_assets (customer_id, kind, account_id, name, size, state,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (customer_id, kind, account_id, name, size, state, now, now),
            )
            asset_id = int(cur.lastrowid or 0)
        return self._one(asset_id)

    async def get(self, customer_id: int, asset_id: int) -> AssetRecord | None:
        row = self._db.one(
            f"SELECT {_ASSET_COLUMNS} FROM meta_ad_assets"  # noqa: S608
            " WHERE customer_id = ? AND id = ?",
            (customer_id, asset_id),
        )
        return None if row is None else AssetRecord(*row)

    async def update(
        self,
        asset_id: int,
        *,
        state: str | None = None,
        progress: int | None = None,
        remote_id: str | None = None,
        job_id: str | None = None,
        error: str | None = None,
        raw: str | None = None,
    ) -> AssetRecord:
        changes = {
            "state": state,
            "progress": progress,
            "remote_id": remote_id,
            "job_id": job_id,
            "error": error,
            "raw": raw,
        }
        given = {k: v for k, v in changes.items() if v is not None}
        sets = "".join(f"{k} = ?, " for k in given)
        with self._db.write() as conn:
            conn.execute(
                f"UPDATE meta_ad_assets SET {sets}updated_at = ? WHERE id = ?",  # noqa: S608
                (*given.values(), time.time(), asset_id),
            )
        return self._one(asset_id)

    async def stage(self, asset_id: int, data: bytes) -> None:
        view = memoryview(data)
        with self._db.write() as conn:
            conn.execute("DELETE FROM meta_ad_upload_parts WHERE asset_id = ?", (asset_id,))
            conn.executemany(
                "INSERT INTO meta_ad_upload_parts VALUES (?, ?, ?)",
                (
                    (asset_id, seq, bytes(view[start : start + PART_BYTES]))
                    for seq, start in enumerate(range(0, len(data), PART_BYTES))
                ),
            )

    async def staged(self, asset_id: int, start: int, end: int) -> bytes:
        first, last = start // PART_BYTES, (end - 1) // PART_BYTES
        rows = self._db.all(
            "SELECT data FROM meta_ad_upload_parts WHERE asset_id = ? AND seq BETWEEN ? AND ?"
            " ORDER BY seq",
            (asset_id, first, last),
        )
        joined = b"".join(bytes(r[0]) for r in rows)
        offset = first * PART_BYTES
        return joined[start - offset : end - offset]

    async def unstage(self, asset_id: int) -> None:
        with self._db.write() as conn:
            conn.execute("DELETE FROM meta_ad_upload_parts WHERE asset_id = ?", (asset_id,))
