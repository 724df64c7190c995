"""The event bus: every handler operation fires ``<HandlerClass>.<op>``.

Subscribers (outbound webhooks, bindings, the audit log, a test) see payloads only after
:func:`redact` has removed every sensitive value, so a per-request credential override never
reaches them.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger("endpointr.events")

REDACTED = "[REDACTED]"
_SENSITIVE = frozenset(
    {
        "api_key", "apikey", "x-api-key", "authorization", "password", "passwd", "secret",
        "token", "oauth_token", "access_token", "refresh_token", "id_token", "client_secret",
        "app_secret", "webhook_secret", "private_key", "secret_key", "signing_key",
        "session_token", "cookie", "set-cookie", "master_key", "smtp_pass",
    }
)  # fmt: skip
_SENSITIVE_SUFFIXES = ("_secret", "_password", "_token", "_api_key", "_apikey", "_private_key")


def is_sensitive(key: str) -> bool:
    k = key.lower().replace("-", "_") if "-" in key else key.lower()
    return k in _SENSITIVE or k.endswith(_SENSITIVE_SUFFIXES)


def redact(value: Any) -> Any:
    """A copy of ``value`` with every sensitive key's value replaced by ``[REDACTED]``."""
    if isinstance(value, dict):
        return {
            k: REDACTED if isinstance(k, str) and is_sensitive(k) else redact(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    return value


def mask(value: Any) -> Any:
    """Keep the shape (keys, list lengths) and hide every value: for maps that are all secret."""
    if isinstance(value, dict):
        return {k: mask(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask(v) for v in value]
    return REDACTED


class Event:
    """A named occurrence for a customer. ``data`` may be computed on first use
    (:meth:`deferred`), so an event no subscriber reads costs almost nothing to fire."""

    __slots__ = ("_data", "_make", "created_at", "customer_id", "id", "name")

    def __init__(
        self,
        name: str,
        customer_id: int,
        data: Any = None,
        *,
        id: str | None = None,
        created_at: float | None = None,
    ) -> None:
        self.name = name
        self.customer_id = customer_id
        self.id = id or "evt_" + os.urandom(16).hex()
        self.created_at = time.time() if created_at is None else created_at
        self._data = data
        self._make: Callable[[], Any] | None = None

    @classmethod
    def deferred(cls, name: str, customer_id: int, make: Callable[[], Any]) -> Event:
        event = cls(name, customer_id)
        event._make = make
        return event

    @property
    def data(self) -> Any:
        if self._make is not None:
            self._data, self._make = self._make(), None
        return self._data

    def __repr__(self) -> str:
        return f"Event({self.name!r}, customer_id={self.customer_id}, id={self.id!r})"


Subscriber = Callable[[Event], Awaitable[None]]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def __bool__(self) -> bool:
        return bool(self._subscribers)

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber`` for every event; returns a function that unsubscribes."""
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber)

    async def emit(self, event: Event) -> None:
        """Deliver to every subscriber; one failing never stops the others or the caller."""
        for subscriber in tuple(self._subscribers):
            try:
                await subscriber(event)
            except Exception:
                log.exception("event subscriber failed on %s", event.name)
