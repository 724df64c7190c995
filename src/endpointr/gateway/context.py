"""What a handler sees of the gateway for one request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

    from .events import EventBus
    from .gateway import Gateway
    from .http import Request
    from .settings import Settings
    from .store import CustomerRecord, Store
    from .vault import Vault


@dataclass(slots=True)
class Context:
    gateway: Gateway
    request: Request
    request_id: str
    customer: CustomerRecord | None = None
    claims: dict[str, Any] | None = None

    @property
    def settings(self) -> Settings:
        return self.gateway.settings

    @property
    def store(self) -> Store:
        return self.gateway.store

    @property
    def vault(self) -> Vault:
        return self.gateway.vault

    @property
    def events(self) -> EventBus:
        return self.gateway.events

    @property
    def http(self) -> httpx.AsyncClient:
        """The gateway's shared upstream client (pooled, ``trust_env=False``)."""
        return self.gateway.http
