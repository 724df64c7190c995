"""Every event name the gateway can fire, derived from what is registered (never a hand-kept list).

* Handler events: ``<HandlerClass>.<op>`` for every route (``getAll`` routes also fire
  ``getByParam`` when called with a query), and every handler's ``sub_verbs``.
* Inbound event families: events that arrive from outside, named ``<family>.<type>``
  (``stripe.payment_intent.succeeded``, ``MetaAds.page.leadgen``). Each inbound signature scheme
  registers its family; other modules register theirs with :func:`register_family`.

Subscriptions (webhooks, binding triggers) name an event exactly, or a pattern: ``Prefix.*``
(every event whose name starts with ``Prefix.``) or ``*`` (every event).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import BadRequest

if TYPE_CHECKING:
    from .router import Router

_FAMILIES: dict[str, str] = {}
#: A lower-case first segment names an inbound provider (any provider can deliver through the
#: generic ``sha256=`` scheme), so ``shopify.orders.create`` is a valid name before it is seen.
_INBOUND = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}(\.[^\s.*]+)*\.([^\s.*]+|\*)$")


def register_family(prefix: str, description: str = "") -> None:
    """Declare an inbound event family: events named ``<prefix>.<something>``."""
    _FAMILIES[prefix] = description


def families() -> dict[str, str]:
    return dict(_FAMILIES)


@functools.lru_cache(maxsize=8)
def handler_events(router: Router) -> tuple[str, ...]:
    names: set[str] = set()
    handlers = set()
    for route in router.routes:
        names.add(route.event)
        if route.op == "getAll":
            names.add(f"{route.handler.event_prefix()}.getByParam")
        handlers.add(route.handler)
    for handler in handlers:
        names.update(f"{handler.event_prefix()}.{verb}" for verb in handler.sub_verbs)
    return tuple(sorted(names))


def event_names(router: Router, providers: Iterable[str] = ()) -> list[str]:
    """Handler events, then a ``<family>.*`` pattern per inbound family (the registered ones
    and ``providers``, e.g. those a customer has inbound webhooks for)."""
    found = sorted({*_FAMILIES, *providers})
    return [*handler_events(router), *(f"{family}.*" for family in found)]


def patterns(name: str) -> list[str]:
    """The subscription patterns that match ``name``: itself, each ``Prefix.*``, and ``*``."""
    out = [name, "*"]
    dot = name.find(".")
    while dot != -1:
        out.append(name[:dot] + ".*")
        dot = name.find(".", dot + 1)
    return out


def check_subscription(name: str, router: Router, field: str = "event") -> str:
    """``name`` if something can fire it (or it is a pattern that can match); else a 400."""
    known = handler_events(router)
    if name == "*" or name in known or _INBOUND.match(name):
        return name
    head = name.split(".", 1)[0]
    if head in _FAMILIES and "." in name:
        return name
    if name.endswith(".*") and any(k.startswith(name[:-1]) for k in known):
        return name
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise BadRequest(
        f"{field} {name!r} is not an event the gateway fires{hint} GET /v1/webhooks/events lists "
        "them; inbound events are named <provider>.<type> (e.g. stripe.payment_intent.succeeded)",
        code="unknown_event",
    )
