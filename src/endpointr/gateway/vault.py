"""The vault: JSON values sealed per (customer, kind, name), and the keys that seal them."""

from __future__ import annotations

import json
import uuid
from typing import Any

from .._errors import VaultKeyError
from . import crypto, masterkey
from .settings import Settings
from .store import Store

SYSTEM = 0  # the customer id under which the gateway keeps its own secrets


class Vault:
    """Seals on write and opens on read; the store only ever sees ciphertext."""

    def __init__(
        self, store: Store, sealer: crypto.Sealer, vault_id: str, master: masterkey.MasterKey
    ):
        self.store = store
        self.vault_id = vault_id
        self.master = master
        self._sealer = sealer

    @classmethod
    async def open(cls, store: Store, settings: Settings, *, ephemeral: bool = False) -> Vault:
        vault_id = await store.meta.set_default("vault_id", uuid.uuid4().hex)
        wrapped = await store.data_keys.all()
        configured = settings.master_key.get_secret_value() if settings.master_key else None
        master = masterkey.resolve(
            vault_id=vault_id,
            configured=configured,
            key_dir=settings.key_dir,
            ephemeral=ephemeral,
            create=not wrapped,
        )
        if not wrapped:
            first = crypto.new_key()
            sealed = crypto.wrap_data_key(master.key, first, key_id=1, vault_id=vault_id)
            if await store.data_keys.add_first(1, sealed):
                return cls(store, crypto.Sealer({1: first}, 1), vault_id, master)
            wrapped = await store.data_keys.all()  # another process initialised it first
        keys = _unwrap_all(master, wrapped, vault_id)
        return cls(store, crypto.Sealer(keys, max(keys)), vault_id, master)

    def seal(self, customer_id: int, kind: str, name: str, value: Any) -> bytes:
        """``value`` as JSON, sealed to (customer, kind, name): for a repository column."""
        plain = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
        return self._sealer.seal(plain, customer=customer_id, kind=kind, name=name)

    def unseal(self, customer_id: int, kind: str, name: str, sealed: bytes) -> Any:
        """The value :meth:`seal` sealed to the same (customer, kind, name)."""
        return json.loads(self._sealer.open(sealed, customer=customer_id, kind=kind, name=name))

    async def put(self, customer_id: int, kind: str, name: str, value: Any) -> float:
        sealed = self.seal(customer_id, kind, name, value)
        return await self.store.secrets.put(customer_id, kind, name, sealed)

    async def get_or_add(self, customer_id: int, kind: str, name: str, value: Any) -> Any:
        """The stored value, storing ``value`` first if there is none (safe across processes)."""
        await self.store.secrets.add(
            customer_id, kind, name, self.seal(customer_id, kind, name, value)
        )
        stored = await self.get(customer_id, kind, name)
        assert stored is not None
        return stored[0]

    async def get(self, customer_id: int, kind: str, name: str) -> tuple[Any, float] | None:
        record = await self.store.secrets.get(customer_id, kind, name)
        if record is None:
            return None
        return self.unseal(customer_id, kind, name, record.sealed), record.updated_at

    async def names(self, customer_id: int, kind: str) -> list[tuple[str, float]]:
        return [(r.name, r.updated_at) for r in await self.store.secrets.list(customer_id, kind)]

    async def delete(self, customer_id: int, kind: str, name: str) -> bool:
        return await self.store.secrets.delete(customer_id, kind, name)

    async def rotate_master_key(self, new_key: bytes | None = None) -> bytes:
        """Re-wrap every data key under a new master key; sealed values are untouched.

        The new key is staged where the old one lives (key file or keyring) before the vault
        switches, so an interruption at any point leaves a key that opens the vault.
        """
        new = new_key or crypto.new_key()
        if len(new) != crypto.KEY_SIZE:
            raise VaultKeyError(f"a master key is {crypto.KEY_SIZE} bytes")
        current = await self.store.data_keys.all()
        keys = _unwrap_all(self.master, current, self.vault_id)
        rewrapped = {
            kid: crypto.wrap_data_key(new, key, key_id=kid, vault_id=self.vault_id)
            for kid, key in keys.items()
        }
        self.master.stage(new)
        await self.store.data_keys.rewrap(rewrapped, expected=current)
        self.master.commit(new)
        return new


def _unwrap_all(
    master: masterkey.MasterKey, wrapped: dict[int, bytes], vault_id: str
) -> dict[int, bytes]:
    try:
        return {
            kid: crypto.unwrap_data_key(master.key, w, key_id=kid, vault_id=vault_id)
            for kid, w in wrapped.items()
        }
    except VaultKeyError:
        staged = master.staged()  # a rotation interrupted after the vault switched keys
        if staged is None:
            raise
        keys = {
            kid: crypto.unwrap_data_key(staged, w, key_id=kid, vault_id=vault_id)
            for kid, w in wrapped.items()
        }
        master.commit(staged)
        return keys
