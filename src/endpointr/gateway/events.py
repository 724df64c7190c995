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
from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class Event:
    name: str
    customer_id: int
    data: Any
    id: str = field(default_factory=lambda: "evt_" + os.urandom(16).hex())
    created_at: float = field(default_factory=time.time)


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
