"""Routes built from handler classes, matched per request, with their inputs bound."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .errors import BadRequest, MethodNotAllowed, NotFound
from .handler import VERBS, Auth, Handler, kebab
from .http import Request, Response

HANDLERS_PACKAGE = "endpointr.gateway.handlers"


@dataclass(eq=False)
class Route:
    method: str
    path: str
    handler: type[Handler]
    attr: str
    op: str
    auth: Auth
    path_params: tuple[str, ...] = ()
    body: TypeAdapter[Any] | None = None
    body_type: Any = None
    query: TypeAdapter[Any] | None = None
    query_type: Any = None
    returns: Any = None
    summary: str = ""

    @property
    def event(self) -> str:
        return f"{self.handler.event_prefix()}.{self.op}"

    def bind(self, request: Request, params: dict[str, str]) -> dict[str, Any]:
        """The keyword arguments of the handler method, parsed and validated."""
        kwargs: dict[str, Any] = dict(params)
        if self.body is not None:
            raw = request.body or b"{}"
            try:
                kwargs["body"] = self.body.validate_json(raw)
            except ValidationError as exc:
                raise BadRequest(_explain(exc, "body"), code="invalid_body") from None
        if self.query is not None:
            try:
                kwargs["query"] = self.query.validate_python(_query_dict(request))
            except ValidationError as exc:
                raise BadRequest(_explain(exc, "query"), code="invalid_query") from None
        return kwargs


def _query_dict(request: Request) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in request.query_items():
        if key in out:
            prev = out[key]
            out[key] = [*prev, value] if isinstance(prev, list) else [prev, value]
        else:
            out[key] = value
    return out


def _explain(exc: ValidationError, where: str) -> str:
    problems = []
    for err in exc.errors(include_url=False)[:10]:
        loc = ".".join(str(p) for p in err["loc"])
        if err["type"] == "json_invalid":
            problems.append(f"the {where} is not valid JSON ({err['msg']})")
        elif err["type"] in ("model_type", "dict_type") and not loc:
            problems.append(f"the {where} must be a JSON object")
        elif err["type"] == "extra_forbidden":
            problems.append(f"{where}.{loc}: unknown field")
        else:
            problems.append(f"{where}.{loc}: {err['msg']}" if loc else f"{where}: {err['msg']}")
    more = exc.error_count() - len(problems)
    return "; ".join(problems) + (f" (and {more} more)" if more > 0 else "")


def _segments(path: str) -> tuple[str | None, ...]:
    return tuple(None if s.startswith("{") else s for s in path.strip("/").split("/"))


@dataclass
class _Node:
    path: str
    segments: tuple[str | None, ...]
    names: tuple[str, ...]
    methods: dict[str, Route] = field(default_factory=dict)


class Router:
    def __init__(self, handlers: Iterable[type[Handler]]) -> None:
        self.routes: list[Route] = []
        self._static: dict[str, _Node] = {}
        self._dynamic: dict[int, list[_Node]] = {}
        for cls in handlers:
            for r in routes_of(cls):
                self._add(r)

    def _add(self, r: Route) -> None:
        segments = _segments(r.path)
        node: _Node | None
        if None not in segments:
            node = self._static.get(r.path)
            if node is None:
                node = self._static[r.path] = _Node(r.path, segments, ())
        else:
            nodes = self._dynamic.setdefault(len(segments), [])
            node = next((n for n in nodes if n.segments == segments), None)
            if node is None:
                names = tuple(s.strip("{}") for s in r.path.strip("/").split("/") if s[0] == "{")
                node = _Node(r.path, segments, names)
                nodes.append(node)
            if r.path_params != node.names:
                raise ValueError(f"{r.path} and {node.path} name their parameters differently")
        if r.method in node.methods:
            other = node.methods[r.method]
            raise ValueError(
                f"{r.method} {r.path} is claimed by both {other.handler.__name__} "
                f"and {r.handler.__name__}"
            )
        node.methods[r.method] = r
        self.routes.append(r)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        path = "/" + path.strip("/")
        node = self._static.get(path)
        params: dict[str, str] = {}
        if node is None:
            parts = path.strip("/").split("/")
            for candidate in self._dynamic.get(len(parts), ()):
                if all(s is None or s == p for s, p in zip(candidate.segments, parts, strict=True)):
                    values = [
                        p for s, p in zip(candidate.segments, parts, strict=True) if s is None
                    ]
                    if all(values):
                        node = candidate
                        params = dict(zip(candidate.names, values, strict=True))
                        break
        if node is None:
            raise NotFound(
                f"no route {method} {path}; GET /openapi.json lists them", code="no_route"
            )
        found = node.methods.get(method) or (node.methods.get("GET") if method == "HEAD" else None)
        if found is None:
            allow = ", ".join(sorted(node.methods))
            raise MethodNotAllowed(
                f"{method} is not supported on {node.path}; use {allow}",
                code="method_not_allowed",
                headers=[("allow", allow)],
            )
        return found, params


def routes_of(cls: type[Handler]) -> list[Route]:
    """Every route a handler class serves: its verbs at the derived path, plus ``@route`` ones."""
    base = cls.path or f"/v1/{cls.group}/{kebab(cls.__name__.removesuffix('Handler'))}"
    found: list[Route] = []
    for attr, (method, item, op) in VERBS.items():
        if callable(getattr(cls, attr, None)):
            path = f"{base}/{{id}}" if item else base
            found.append(_make(cls, attr, method, path, op, cls.auth))
    for attr, member in inspect.getmembers(cls, callable):
        for method, path, op, auth in getattr(member, "__endpointr_routes__", ()):
            found.append(_make(cls, attr, method, path, op, auth or cls.auth))
    return found


def _make(cls: type[Handler], attr: str, method: str, path: str, op: str, auth: Auth) -> Route:
    fn = getattr(cls, attr)
    hints = typing.get_type_hints(fn, include_extras=True)
    names = tuple(s.strip("{}") for s in path.strip("/").split("/") if s.startswith("{"))
    params = [p for p in inspect.signature(fn).parameters if p != "self"]
    for p in params:
        if p not in (*names, "body", "query"):
            raise TypeError(f"{cls.__name__}.{attr}: parameter {p!r} is not in {path}")
    route = Route(method, path, cls, attr, op, auth, names, returns=hints.get("return"))
    route.summary = inspect.cleandoc(fn.__doc__ or "").split("\n\n")[0]
    if "body" in params:
        route.body_type = hints["body"]
        route.body = TypeAdapter(route.body_type)
    if "query" in params:
        route.query_type = hints["query"]
        route.query = TypeAdapter(route.query_type)
    return route


def discover(extra_modules: Iterable[str] = ()) -> list[type[Handler]]:
    """Import every module under ``gateway/handlers`` (and ``extra_modules``); their handlers."""
    package = importlib.import_module(HANDLERS_PACKAGE)
    names = [m.name for m in pkgutil.walk_packages(package.__path__, HANDLERS_PACKAGE + ".")]
    for name in [*names, *extra_modules]:
        importlib.import_module(name)
    found: list[type[Handler]] = []
    todo = list(Handler.__subclasses__())
    while todo:
        cls = todo.pop(0)
        todo.extend(cls.__subclasses__())
        if cls.__dict__.get("abstract", False) or cls in found:
            continue
        module = cls.__module__
        if module.startswith(HANDLERS_PACKAGE + "."):
            if not cls.group:
                cls.group = module.removeprefix(HANDLERS_PACKAGE + ".").split(".")[0]
        elif module not in extra_modules:
            continue
        found.append(cls)
    return found


__all__ = ["Request", "Response", "Route", "Router", "discover", "routes_of"]
