"""Operator actions on a vault: customers, their keys, credentials and provider priority.

The CLI and the sync :class:`endpointr.admin.Admin` are thin layers over these coroutines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..types.credentials import AI_PROVIDERS
from .auth import hash_api_key, new_api_key
from .handlers.credentials.credentials import delete_credentials, store_credentials

if TYPE_CHECKING:
    from ..types.credentials import CredentialStatus
    from .gateway import Gateway
    from .store import CustomerRecord, Store


class AdminError(ValueError):
    """An operator action that cannot be done as asked (the message says why)."""


async def ensure_customer(store: Store, name: str) -> CustomerRecord:
    """The customer named ``name``, created (without an api_key) if missing."""
    found = await store.customers.by_name(name)
    if found is not None:
        return found
    try:
        return await store.customers.create(name, None)
    except ValueError:  # created by another process in between
        found = await store.customers.by_name(name)
        assert found is not None
        return found


async def customer(store: Store, name: str) -> CustomerRecord:
    found = await store.customers.by_name(name)
    if found is None:
        raise AdminError(f"no customer named {name!r} (endpointr customers list shows them)")
    return found


async def create_customer(store: Store, name: str) -> tuple[CustomerRecord, str]:
    """A new customer and its api_key, which is shown this once and stored only as a hash."""
    if not name or len(name) > 128:
        raise AdminError("a customer name is 1-128 characters")
    api_key = new_api_key()
    try:
        record = await store.customers.create(name, hash_api_key(api_key))
    except ValueError as exc:
        raise AdminError(str(exc)) from None
    return record, api_key


async def rotate_api_key(store: Store, name: str) -> str:
    """A new api_key for the customer; the old one stops working at once."""
    record = await customer(store, name)
    api_key = new_api_key()
    await store.customers.set_api_key_hash(record.id, hash_api_key(api_key))
    return api_key


async def delete_customer(store: Store, name: str) -> None:
    record = await customer(store, name)
    await store.customers.delete(record.id)


async def set_credentials(
    gateway: Gateway, name: str, service: str, fields: dict[str, Any]
) -> CredentialStatus:
    record = await customer(gateway.store, name)
    return await store_credentials(gateway, record.id, service, fields)


async def remove_credentials(gateway: Gateway, name: str, service: str) -> bool:
    record = await customer(gateway.store, name)
    return await delete_credentials(gateway, record.id, service)


async def set_priority(store: Store, name: str, providers: list[str]) -> tuple[str, ...]:
    unknown = [p for p in providers if p not in AI_PROVIDERS]
    if unknown:
        raise AdminError(
            f"unknown provider(s) {', '.join(unknown)}; known: {', '.join(AI_PROVIDERS)}"
        )
    if len(set(providers)) != len(providers):
        raise AdminError("a provider may appear only once in the priority list")
    record = await customer(store, name)
    await store.customers.set_priority(record.id, tuple(providers))
    return tuple(providers)
