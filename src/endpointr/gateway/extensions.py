"""Start-up hooks: features that live beside the handlers (webhook delivery, job workers)
attach to a gateway when it opens and detach when it closes."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .events import Event
    from .gateway import Gateway

Closer = Callable[[], Awaitable[None]]
Hook = Callable[["Gateway"], Awaitable[Closer | None]]

_HOOKS: list[Hook] = []


def on_open(hook: Hook) -> Hook:
    """Run ``hook(gateway)`` when a gateway opens; it may return an async closer."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)
    return hook


def hooks() -> tuple[Hook, ...]:
    return tuple(_HOOKS)


def on_event(subscriber: Callable[[Gateway, Event], Awaitable[None]]) -> None:
    """Subscribe ``subscriber(gateway, event)`` to the event bus of every gateway, while open."""

    async def attach(gateway: Gateway) -> Closer:
        unsubscribe = gateway.events.subscribe(functools.partial(subscriber, gateway))

        async def detach() -> None:
            unsubscribe()

        return detach

    on_open(attach)
