"""Binding actions: handler operations a binding may run, named ``<provider>.<resource>.<verb>``.

A handler method offers itself with one decorator (any group: marketing, payments, …)::

    class CampaignsHandler(Handler):
        @action("meta.campaigns.pause", fixed={"action": "pause"})
        async def update(self, id: str, body: CampaignUpdate) -> Campaign: ...

The registry is derived from the router (each route whose method carries the mark), so an
action exists exactly when its route does. Running one is an in-process request through
``Gateway.handle`` on behalf of the binding's customer: the same validation, stored credentials
(the customer's vault), errors and events as the same call from the SDK. A binding's mapped
inputs fill the route's path parameters by name; the rest (plus ``fixed``) become its JSON body,
or its query string when it takes no body.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, urlencode

from .http import Request

if TYPE_CHECKING:
    from .router import Route, Router

F = TypeVar("F", bound=Callable[..., Any])
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_]*$")


def action(name: str, *, fixed: Mapping[str, Any] | None = None) -> Callable[[F], F]:
    """Offer the decorated handler method to bindings as ``name``.

    ``fixed``: body (or query) fields always sent, e.g. ``{"action": "pause"}`` for a sub-verb.
    """
    if not NAME.match(name):
        raise ValueError(f"an action is named <provider>.<resource>.<verb> in lower case: {name!r}")

    def mark(fn: F) -> F:
        marks = list(getattr(fn, "__endpointr_actions__", ()))
        marks.append((name, dict(fixed or {})))
        fn.__endpointr_actions__ = marks  # type: ignore[attr-defined]
        return fn

    return mark


@dataclass(frozen=True)
class Action:
    name: str
    route: Route
    fixed: Mapping[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return f"{self.route.method} {self.route.path}" + (
            f": {self.route.summary}" if self.route.summary else ""
        )

    def request(self, inputs: Mapping[str, Any], customer_id: int, request_id: str) -> Request:
        """The in-process request that runs the action with ``inputs`` for the customer."""
        missing = [p for p in self.route.path_params if inputs.get(p) in (None, "")]
        if missing:
            raise ValueError(
                f"{self.name} needs {', '.join(missing)} ({self.route.method} {self.route.path}); "
                "the mapping gave no value"
            )
        path = self.route.path
        for param in self.route.path_params:
            path = path.replace("{" + param + "}", quote(str(inputs[param]), safe=""))
        rest = {k: v for k, v in inputs.items() if k not in self.route.path_params}
        rest.update(self.fixed)
        body, query = b"", ""
        if self.route.body is not None:
            body = json.dumps(rest, separators=(",", ":")).encode()
        elif rest:
            scalars = {k: v if isinstance(v, str) else json.dumps(v) for k, v in rest.items()}
            query = urlencode(scalars)
        return Request(
            method=self.route.method,
            path=path,
            query_string=query,
            headers={"content-type": "application/json", "x-request-id": request_id},
            body=body,
            principal=customer_id,
            client="binding",
        )


@functools.lru_cache(maxsize=8)
def registry(router: Router) -> dict[str, Action]:
    """Every action the router's handlers offer, by name."""
    found: dict[str, Action] = {}
    for route in router.routes:
        for name, fixed in getattr(getattr(route.handler, route.attr), "__endpointr_actions__", ()):
            if name in found and found[name].route is not route:
                raise ValueError(f"action {name} is offered by two routes")
            found[name] = Action(name, route, fixed)
    return dict(sorted(found.items()))
