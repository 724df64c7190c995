"""The embedded store: one SQLite file (see ``db.py`` for how it is opened and locked)."""

from __future__ import annotations

from .core import (
    SQLiteCustomers,
    SQLiteDataKeys,
    SQLiteMeta,
    SQLitePublicKeys,
    SQLiteRevokedTokens,
    SQLiteSecrets,
)
from .db import Database


class SQLiteStore:
    """Implements :class:`~endpointr.gateway.store.base.Store` over one SQLite file.

    Repository methods are ``async`` for the sake of the interface (a networked database
    plugs in behind it) but run inline: each is one short transaction that never awaits.
    """

    def __init__(self, path: str) -> None:
        self.db = Database(path)
        self.db.migrate()
        self.meta = SQLiteMeta(self.db)
        self.data_keys = SQLiteDataKeys(self.db)
        self.customers = SQLiteCustomers(self.db)
        self.secrets = SQLiteSecrets(self.db)
        self.public_keys = SQLitePublicKeys(self.db)
        self.revoked_tokens = SQLiteRevokedTokens(self.db)

    @property
    def location(self) -> str:
        return self.db.path

    def close(self) -> None:
        self.db.close()
