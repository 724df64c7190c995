"""The store interface: what handlers may ask of persistence, independent of the database.

Handlers and services depend only on these protocols. ``SQLiteStore`` is the embedded
implementation; a PostgreSQL one plugs in behind the same names. Values arrive here already
sealed: the store never sees a plaintext secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    id: int
    name: str
    provider_priority: tuple[str, ...]
    created_at: float
    has_api_key: bool


@dataclass(frozen=True, slots=True)
class SealedRecord:
    name: str
    sealed: bytes
    updated_at: float


@dataclass(frozen=True, slots=True)
class PublicKeyRecord:
    pem: str
    updated_at: float


class MetaRepo(Protocol):
    async def get(self, key: str) -> str | None: ...
    async def set_default(self, key: str, value: str) -> str:
        """Store ``value`` unless the key exists; return what is stored (race-safe)."""
        ...


class DataKeyRepo(Protocol):
    async def all(self) -> dict[int, bytes]: ...
    async def add_first(self, key_id: int, wrapped: bytes) -> bool:
        """Insert the vault's first data key; False if another process got there first."""
        ...

    async def rewrap(self, wrapped: dict[int, bytes], expected: dict[int, bytes]) -> None:
        """Replace every wrapped key at once; fail if the stored set is not ``expected``."""
        ...


class CustomerRepo(Protocol):
    async def create(self, name: str, api_key_hash: str | None) -> CustomerRecord: ...
    async def get(self, customer_id: int) -> CustomerRecord | None: ...
    async def by_name(self, name: str) -> CustomerRecord | None: ...
    async def by_api_key_hash(self, api_key_hash: str) -> CustomerRecord | None: ...
    async def list(self) -> list[CustomerRecord]: ...
    async def delete(self, customer_id: int) -> bool: ...
    async def set_api_key_hash(self, customer_id: int, api_key_hash: str) -> None: ...
    async def set_priority(self, customer_id: int, priority: tuple[str, ...]) -> None: ...
    async def add_to_priority(self, customer_id: int, slug: str) -> None:
        """Append ``slug`` to the priority list unless it is already there (atomic)."""
        ...

    async def remove_from_priority(self, customer_id: int, slug: str) -> None: ...


class SecretRepo(Protocol):
    """Sealed values addressed by (customer, kind, name); customer 0 is the gateway itself."""

    async def put(self, customer_id: int, kind: str, name: str, sealed: bytes) -> float: ...
    async def add(self, customer_id: int, kind: str, name: str, sealed: bytes) -> bool:
        """Insert unless the row exists; False if it did (race-safe first write)."""
        ...

    async def get(self, customer_id: int, kind: str, name: str) -> SealedRecord | None: ...
    async def list(self, customer_id: int, kind: str) -> list[SealedRecord]: ...
    async def delete(self, customer_id: int, kind: str, name: str) -> bool: ...


class PublicKeyRepo(Protocol):
    async def put(self, customer_id: int, pem: str) -> float: ...
    async def get(self, customer_id: int) -> PublicKeyRecord | None: ...


class RevokedTokenRepo(Protocol):
    async def revoke(self, jti: str, customer_id: int, expires_at: float) -> None: ...
    async def is_revoked(self, jti: str) -> bool: ...


class Store(Protocol):
    """Every repository the gateway uses, plus lifecycle."""

    meta: MetaRepo
    data_keys: DataKeyRepo
    customers: CustomerRepo
    secrets: SecretRepo
    public_keys: PublicKeyRepo
    revoked_tokens: RevokedTokenRepo

    @property
    def location(self) -> str: ...

    def close(self) -> None: ...
