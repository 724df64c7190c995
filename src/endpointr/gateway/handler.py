"""The base class of every route handler.

A handler is a class under ``gateway/handlers/<group>/``. Its REST verbs are methods, registered
at ``/v1/<group>/<kebab-name>`` (``CampaignsHandler`` in ``handlers/marketing`` answers at
``/v1/marketing/campaigns``) unless the class sets ``path``:

==========  =========================  ===========
method      route                      event op
==========  =========================  ===========
list        GET    <path>              getAll (getByParam with a query)
retrieve    GET    <path>/{id}         get
create      POST   <path>              create
update      PUT    <path>/{id}         update
delete      DELETE <path>/{id}         delete
==========  =========================  ===========

Routes that the derivation cannot express are methods marked with :func:`route`. A method's
parameters say what it takes: path parameters by name, ``body`` (parsed and validated as its
annotation), ``query`` (likewise, from the query string). Its return annotation types the
response; the same annotations generate ``/openapi.json`` and type the SDK.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from .events import redact

if TYPE_CHECKING:
    from .context import Context
    from .store import CustomerRecord

Auth = Literal["jwt", "api_key", "none"]
F = TypeVar("F", bound=Callable[..., Any])

# verb method -> (HTTP method, on the item path, event op)
VERBS: dict[str, tuple[str, bool, str]] = {
    "list": ("GET", False, "getAll"),
    "retrieve": ("GET", True, "get"),
    "create": ("POST", False, "create"),
    "update": ("PUT", True, "update"),
    "delete": ("DELETE", True, "delete"),
}


def route(
    method: str, path: str, *, op: str | None = None, auth: Auth | None = None
) -> Callable[[F], F]:
    """Serve the decorated method at an explicit ``method`` + ``path`` (with ``{param}``s).

    ``op`` names its event (default: the method name); ``auth`` overrides the class's.
    """

    def mark(fn: F) -> F:
        routes = list(getattr(fn, "__endpointr_routes__", ()))
        routes.append((method.upper(), path, op or fn.__name__, auth))
        fn.__endpointr_routes__ = routes  # type: ignore[attr-defined]
        return fn

    return mark


def kebab(name: str) -> str:
    """``StripeCustomers`` -> ``stripe-customers``, ``Text2Img`` -> ``text2-img``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


class Handler:
    """Subclass, implement some verbs, and the router finds it."""

    #: The URL group; derived from the package under ``gateway/handlers`` when empty.
    group: ClassVar[str] = ""
    #: Collection path, when the derived ``/v1/<group>/<kebab-name>`` does not fit.
    path: ClassVar[str | None] = None
    #: How callers authenticate: a JWT (default), the raw api_key, or not at all.
    auth: ClassVar[Auth] = "jwt"
    #: False for routes that answer in someone else's wire format (no envelope).
    envelope: ClassVar[bool] = True
    #: Extra event ops the handler fires besides its verbs (its sub-verbs).
    sub_verbs: ClassVar[tuple[str, ...]] = ()
    #: True on a base class that is not itself a route.
    abstract: ClassVar[bool] = False

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        #: The event op this call fires; a handler dispatching a sub-verb sets it.
        self.op: str | None = None
        #: The status of a successful answer (e.g. 202 for work accepted but not yet done).
        self.status: int = 200

    @classmethod
    def event_prefix(cls) -> str:
        return cls.__name__

    @property
    def customer(self) -> CustomerRecord:
        customer = self.ctx.customer
        assert customer is not None, "route requires an authenticated customer"
        return customer

    def event_data(self, inputs: dict[str, Any], output: Any) -> Any:
        """The payload subscribers see for this call; sensitive fields are redacted."""
        return redact({"input": inputs, "output": output})
