"""Persistence behind the :class:`Store` interface; SQLite is the embedded implementation."""

from __future__ import annotations

from .base import CustomerRecord, PublicKeyRecord, SealedRecord, Store


def open_store(path: str) -> Store:
    """Open (creating and migrating as needed) the store at ``path``; ``":memory:"``: a temp one."""
    from .sqlite import SQLiteStore

    return SQLiteStore(path)


__all__ = ["CustomerRecord", "PublicKeyRecord", "SealedRecord", "Store", "open_store"]
