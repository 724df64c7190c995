"""Administering a vault from Python: the same operations as the ``endpointr`` CLI.

    from endpointr import Admin

    with Admin() as admin:                       # the default vault (ENDPOINTR_VAULT, …)
        acme = admin.create_customer("acme")     # acme.api_key is shown this once
        admin.set_credentials("openai", {"api_key": "sk-..."}, customer="acme")
        admin.set_priority(["anthropic", "openai"], customer="acme")

Works where an event loop is already running (a notebook): the vault is driven from a private
loop thread, as the sync client does.
"""

from __future__ import annotations

import os
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TypeVar

from ._loop import LoopThread

if TYPE_CHECKING:
    from .gateway.gateway import Gateway
    from .gateway.settings import Settings
    from .types.credentials import CredentialStatus
    from .types.jobs import Job, JobRun, JobState

T = TypeVar("T")


@dataclass(frozen=True)
class Customer:
    id: int
    name: str
    provider_priority: tuple[str, ...]
    created_at: datetime
    has_api_key: bool


@dataclass(frozen=True)
class NewCustomer:
    id: int
    name: str
    api_key: str

    def __repr__(self) -> str:  # the key is shown once, on purpose, not in every repr
        return f"NewCustomer(id={self.id}, name={self.name!r}, api_key='epk_…')"


@dataclass(frozen=True)
class InboundDelivery:
    """An inbound Meta webhook delivery as it arrived, and what became of it (``status``:
    verified, bad_signature, missing_signature, no_app_secret, unknown_object,
    invalid_payload). ``customer`` is None when no customer's ``app_secret`` verified it."""

    id: int
    customer: str | None
    object: str | None
    status: str
    received_at: datetime
    body: bytes


@dataclass(frozen=True)
class RouteInfo:
    method: str
    path: str
    handler: str
    event: str
    auth: str


def routes(handler_modules: tuple[str, ...] = ()) -> list[RouteInfo]:
    """Every route the gateway serves (no vault needed)."""
    from .gateway.router import Router, discover

    router = Router(discover(handler_modules))
    out = [RouteInfo(r.method, r.path, r.handler.__name__, r.event, r.auth) for r in router.routes]
    return sorted(out, key=lambda r: (r.path, r.method))


class Admin:
    """Operator access to one vault (the same one the CLI, a server or a script may share)."""

    def __init__(
        self,
        vault: str | os.PathLike[str] | None = None,
        *,
        master_key: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        from .gateway.gateway import Gateway
        from .gateway.settings import Settings

        overrides: dict[str, Any] = {"vault": os.fspath(vault) if vault else None}
        if master_key:
            overrides["master_key"] = master_key
        if settings is None:
            settings = Settings.from_env(**overrides)
        else:
            settings = settings.model_copy(update={k: v for k, v in overrides.items() if v})
        # An operator's handle runs no background jobs (run_pending_jobs() drains on demand).
        settings = settings.model_copy(update={"jobs_concurrency": 0})
        self.settings = settings
        self._loop = LoopThread("endpointr-admin")
        try:
            self._gateway: Gateway = self._loop.run(Gateway.open(settings))
        except BaseException:
            self._loop.close()
            raise

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self._loop.run(coro)

    @property
    def vault_path(self) -> str:
        return str(self._gateway.store.location)

    @property
    def master_key_source(self) -> str:
        """Where the master key came from: configured, keyring, file or ephemeral."""
        master = self._gateway.vault.master
        return f"{master.source} {master.location}".strip()

    def close(self) -> None:
        try:
            self._run(self._gateway.aclose())
        finally:
            self._loop.close()

    def __enter__(self) -> Admin:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # customers ------------------------------------------------------------------------------

    def create_customer(self, name: str) -> NewCustomer:
        """A new customer; its api_key is returned this once and stored only as a hash."""
        from .gateway import admin

        record, api_key = self._run(admin.create_customer(self._gateway.store, name))
        return NewCustomer(record.id, record.name, api_key)

    def list_customers(self) -> list[Customer]:
        records = self._run(self._gateway.store.customers.list())
        return [
            Customer(
                r.id,
                r.name,
                r.provider_priority,
                datetime.fromtimestamp(r.created_at, timezone.utc),
                r.has_api_key,
            )
            for r in records
        ]

    def delete_customer(self, name: str) -> None:
        """Delete the customer with everything stored for it."""
        from .gateway import admin

        self._run(admin.delete_customer(self._gateway.store, name))

    def rotate_api_key(self, name: str) -> str:
        """A new api_key for the customer (returned once); the old one stops working."""
        from .gateway import admin

        return self._run(admin.rotate_api_key(self._gateway.store, name))

    # credentials and priority -------------------------------------------------------------

    def set_credentials(
        self, service: str, fields: Mapping[str, Any], *, customer: str = "default"
    ) -> CredentialStatus:
        from .gateway import admin

        return self._run(admin.set_credentials(self._gateway, customer, service, dict(fields)))

    def delete_credentials(self, service: str, *, customer: str = "default") -> bool:
        from .gateway import admin

        return self._run(admin.remove_credentials(self._gateway, customer, service))

    def get_priority(self, *, customer: str = "default") -> tuple[str, ...]:
        from .gateway import admin

        return self._run(admin.customer(self._gateway.store, customer)).provider_priority

    def set_priority(self, providers: list[str], *, customer: str = "default") -> tuple[str, ...]:
        from .gateway import admin

        return self._run(admin.set_priority(self._gateway.store, customer, providers))

    # jobs ---------------------------------------------------------------------------------

    def _customer_id(self, customer: str | None) -> int:
        from .gateway import admin
        from .gateway.store.base import ANY_CUSTOMER

        if customer is None:
            return ANY_CUSTOMER
        return self._run(admin.customer(self._gateway.store, customer)).id

    def list_jobs(
        self, *, customer: str | None = None, state: JobState | None = None, limit: int = 50
    ) -> list[Job]:
        """The newest jobs (of one customer, or everyone's), with their attempts."""
        from .gateway.eventjobs import describe

        repo = self._gateway.store.jobs
        records = self._run(
            repo.list(customer_id=self._customer_id(customer), state=state, limit=limit)
        )
        return self._run(describe(repo, records))

    def run_pending_jobs(self, *, customer: str | None = None, budget: float = 600.0) -> JobRun:
        """Run the due jobs (of one customer, or everyone's) now, in this process."""
        from .gateway.eventjobs import summary

        scope = self._customer_id(customer)
        return summary(self._run(self._gateway.jobs.run_pending(customer_id=scope, budget=budget)))

    def retry_job(self, job_id: str) -> bool:
        """Make a queued or failed job due now; False if there is no such job."""
        return self._run(self._gateway.jobs.retry_now(job_id))

    # meta ads -----------------------------------------------------------------------------

    def meta_ads_deliveries(
        self, *, customer: str | None = None, unattributed: bool = False, limit: int = 100
    ) -> list[InboundDelivery]:
        """Inbound Meta webhook deliveries, newest first: every one, one customer's, or only
        those kept for audit because no customer's ``app_secret`` verified them."""
        from .gateway import admin

        store = self._gateway.store
        customer_id = self._run(admin.customer(store, customer)).id if customer else None
        records = self._run(
            store.meta_ads_webhooks.deliveries(
                customer_id=customer_id, unattributed=unattributed, limit=limit
            )
        )
        names = {c.id: c.name for c in self.list_customers()}
        return [
            InboundDelivery(
                r.id,
                names.get(r.customer_id) if r.customer_id is not None else None,
                r.object,
                r.status,
                datetime.fromtimestamp(r.received_at, timezone.utc),
                r.body,
            )
            for r in records
        ]

    # keys ---------------------------------------------------------------------------------

    def rotate_master_key(self, new_key: bytes | None = None) -> bytes:
        """Re-wrap the vault's data keys under a new master key, stored where the old one
        was (keyring or key file). With a configured key (``ENDPOINTR_MASTER_KEY``), the
        caller must put the returned key there: the old one no longer opens the vault."""
        return self._run(self._gateway.vault.rotate_master_key(new_key))
