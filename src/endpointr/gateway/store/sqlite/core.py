"""The core tables: vault metadata, data keys, customers, sealed secrets, keys, revoked tokens."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from ..base import CustomerRecord, PublicKeyRecord, SealedRecord
from .db import Database, purge_customer, register_schema

register_schema(
    "core",
    [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE data_keys (id INTEGER PRIMARY KEY, wrapped BLOB NOT NULL,"
        " created_at REAL NOT NULL)",
        "CREATE TABLE customers (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " name TEXT NOT NULL UNIQUE, api_key_hash TEXT UNIQUE,"
        " provider_priority TEXT NOT NULL DEFAULT '[]', created_at REAL NOT NULL)",
        "CREATE TABLE secrets (customer_id INTEGER NOT NULL, kind TEXT NOT NULL,"
        " name TEXT NOT NULL, sealed BLOB NOT NULL, updated_at REAL NOT NULL,"
        " PRIMARY KEY (customer_id, kind, name)) WITHOUT ROWID",
        "CREATE TABLE public_keys (customer_id INTEGER PRIMARY KEY"
        " REFERENCES customers(id) ON DELETE CASCADE, pem TEXT NOT NULL,"
        " updated_at REAL NOT NULL)",
        "CREATE TABLE revoked_tokens (jti TEXT PRIMARY KEY, customer_id INTEGER NOT NULL,"
        " expires_at REAL NOT NULL) WITHOUT ROWID",
        "CREATE INDEX revoked_tokens_expiry ON revoked_tokens (expires_at)",
    ],
)


class SQLiteMeta:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        row = self._db.one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    async def set_default(self, key: str, value: str) -> str:
        with self._db.write() as conn:
            conn.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, value))
            return str(conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0])


class SQLiteDataKeys:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def all(self) -> dict[int, bytes]:
        return {int(k): bytes(w) for k, w in self._db.all("SELECT id, wrapped FROM data_keys")}

    async def add_first(self, key_id: int, wrapped: bytes) -> bool:
        with self._db.write() as conn:
            if conn.execute("SELECT 1 FROM data_keys LIMIT 1").fetchone():
                return False
            conn.execute("INSERT INTO data_keys VALUES (?, ?, ?)", (key_id, wrapped, time.time()))
            return True

    async def rewrap(self, wrapped: dict[int, bytes], expected: dict[int, bytes]) -> None:
        with self._db.write() as conn:
            current = {
                int(k): bytes(w) for k, w in conn.execute("SELECT id, wrapped FROM data_keys")
            }
            if current != expected:
                raise RuntimeError("the vault's keys changed during rotation; run it again")
            conn.executemany(
                "UPDATE data_keys SET wrapped = ? WHERE id = ?",
                [(w, k) for k, w in wrapped.items()],
            )


def _customer(row: Any) -> CustomerRecord:
    return CustomerRecord(
        id=int(row[0]),
        name=str(row[1]),
        provider_priority=tuple(json.loads(row[2])),
        created_at=float(row[3]),
        has_api_key=row[4] is not None,
    )


_CUSTOMER_COLUMNS = "id, name, provider_priority, created_at, api_key_hash"


class SQLiteCustomers:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _one(self, where: str, param: Any) -> CustomerRecord | None:
        sql = f"SELECT {_CUSTOMER_COLUMNS} FROM customers WHERE {where} = ?"  # noqa: S608
        row = self._db.one(sql, (param,))
        return None if row is None else _customer(row)

    async def create(self, name: str, api_key_hash: str | None) -> CustomerRecord:
        with self._db.write() as conn:
            try:
                cur = conn.execute(
                    "INSERT INTO customers (name, api_key_hash, created_at) VALUES (?, ?, ?)",
                    (name, api_key_hash, time.time()),
                )
            except sqlite3.IntegrityError:
                raise ValueError(f"a customer named {name!r} already exists") from None
            sql = f"SELECT {_CUSTOMER_COLUMNS} FROM customers WHERE id = ?"  # noqa: S608
            row = conn.execute(sql, (cur.lastrowid,)).fetchone()
        return _customer(row)

    async def get(self, customer_id: int) -> CustomerRecord | None:
        return self._one("id", customer_id)

    async def by_name(self, name: str) -> CustomerRecord | None:
        return self._one("name", name)

    async def by_api_key_hash(self, api_key_hash: str) -> CustomerRecord | None:
        return self._one("api_key_hash", api_key_hash)

    async def list(self) -> list[CustomerRecord]:
        rows = self._db.all(f"SELECT {_CUSTOMER_COLUMNS} FROM customers ORDER BY id")  # noqa: S608
        return [_customer(r) for r in rows]

    async def delete(self, customer_id: int) -> bool:
        """Delete the customer and everything any component stores for it."""
        with self._db.write() as conn:
            purge_customer(conn, customer_id)
            return conn.execute("DELETE FROM customers WHERE id = ?", (customer_id,)).rowcount > 0

    async def set_api_key_hash(self, customer_id: int, api_key_hash: str) -> None:
        with self._db.write() as conn:
            conn.execute(
                "UPDATE customers SET api_key_hash = ? WHERE id = ?", (api_key_hash, customer_id)
            )

    async def set_priority(self, customer_id: int, priority: tuple[str, ...]) -> None:
        with self._db.write() as conn:
            conn.execute(
                "UPDATE customers SET provider_priority = ? WHERE id = ?",
                (json.dumps(list(priority)), customer_id),
            )

    def _edit_priority(self, customer_id: int, slug: str, add: bool) -> None:
        with self._db.write() as conn:
            row = conn.execute(
                "SELECT provider_priority FROM customers WHERE id = ?", (customer_id,)
            ).fetchone()
            if row is None:
                return
            current: list[str] = json.loads(row[0])
            edited = [*current, slug] if add and slug not in current else current
            if not add:
                edited = [s for s in current if s != slug]
            if edited != current:
                conn.execute(
                    "UPDATE customers SET provider_priority = ? WHERE id = ?",
                    (json.dumps(edited), customer_id),
                )

    async def add_to_priority(self, customer_id: int, slug: str) -> None:
        self._edit_priority(customer_id, slug, add=True)

    async def remove_from_priority(self, customer_id: int, slug: str) -> None:
        self._edit_priority(customer_id, slug, add=False)


class SQLiteSecrets:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def put(self, customer_id: int, kind: str, name: str, sealed: bytes) -> float:
        now = time.time()
        with self._db.write() as conn:
            conn.execute(
                "INSERT INTO secrets VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE"
                " SET sealed = excluded.sealed, updated_at = excluded.updated_at",
                (customer_id, kind, name, sealed, now),
            )
        return now

    async def add(self, customer_id: int, kind: str, name: str, sealed: bytes) -> bool:
        with self._db.write() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO secrets VALUES (?, ?, ?, ?, ?)",
                (customer_id, kind, name, sealed, time.time()),
            )
            return cur.rowcount > 0

    async def get(self, customer_id: int, kind: str, name: str) -> SealedRecord | None:
        row = self._db.one(
            "SELECT sealed, updated_at FROM secrets"
            " WHERE customer_id = ? AND kind = ? AND name = ?",
            (customer_id, kind, name),
        )
        return None if row is None else SealedRecord(name, bytes(row[0]), float(row[1]))

    async def list(self, customer_id: int, kind: str) -> list[SealedRecord]:
        rows = self._db.all(
            "SELECT name, sealed, updated_at FROM secrets WHERE customer_id = ? AND kind = ?"
            " ORDER BY name",
            (customer_id, kind),
        )
        return [SealedRecord(str(n), bytes(s), float(u)) for n, s, u in rows]

    async def delete(self, customer_id: int, kind: str, name: str) -> bool:
        with self._db.write() as conn:
            cur = conn.execute(
                "DELETE FROM secrets WHERE customer_id = ? AND kind = ? AND name = ?",
                (customer_id, kind, name),
            )
            return cur.rowcount > 0


class SQLitePublicKeys:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def put(self, customer_id: int, pem: str) -> float:
        now = time.time()
        with self._db.write() as conn:
            conn.execute(
                "INSERT INTO public_keys VALUES (?, ?, ?) ON CONFLICT DO UPDATE"
                " SET pem = excluded.pem, updated_at = excluded.updated_at",
                (customer_id, pem, now),
            )
        return now

    async def get(self, customer_id: int) -> PublicKeyRecord | None:
        row = self._db.one(
            "SELECT pem, updated_at FROM public_keys WHERE customer_id = ?", (customer_id,)
        )
        return None if row is None else PublicKeyRecord(str(row[0]), float(row[1]))


class SQLiteRevokedTokens:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def revoke(self, jti: str, customer_id: int, expires_at: float) -> None:
        with self._db.write() as conn:
            conn.execute("DELETE FROM revoked_tokens WHERE expires_at < ?", (time.time(),))
            conn.execute(
                "INSERT OR IGNORE INTO revoked_tokens VALUES (?, ?, ?)",
                (jti, customer_id, expires_at),
            )

    async def is_revoked(self, jti: str) -> bool:
        return self._db.one("SELECT 1 FROM revoked_tokens WHERE jti = ?", (jti,)) is not None
