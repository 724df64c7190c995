"""``Gateway.handle``: the single entry into handler code, for the server and in-process alike."""

from __future__ import annotations

import functools
import logging
import os
import re
from typing import TYPE_CHECKING, Any

from pydantic_core import to_jsonable_python

from . import envelope, extensions
from .auth import Authenticator
from .context import Context
from .errors import HTTPError, PayloadTooLarge, Unauthorized
from .events import Event, EventBus
from .handler import Auth, Handler
from .http import Request, Response
from .router import Route, Router, discover
from .settings import Settings
from .store import Store, open_store
from .vault import Vault

if TYPE_CHECKING:
    import httpx

    from .extensions import Closer
    from .jobs import JobQueue
    from .net.ssrf import SafeFetcher

log = logging.getLogger("endpointr.gateway")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def _request_id(headers: dict[str, str]) -> str:
    """The caller's ``X-Request-Id`` when it is a sane token, else a fresh one."""
    rid = headers.get("x-request-id", "")
    return rid if _REQUEST_ID.fullmatch(rid) else os.urandom(16).hex()


@functools.lru_cache(maxsize=8)
def _router(handler_modules: tuple[str, ...]) -> Router:
    return Router(discover(handler_modules))


class Gateway:
    """Routes, authenticates, validates, calls the handler, fires its event, wraps the answer."""

    def __init__(self, settings: Settings, store: Store, vault: Vault) -> None:
        self.settings = settings
        self.store = store
        self.vault = vault
        self.events = EventBus()
        self.auth = Authenticator(store, vault, settings)
        self.router = _router(settings.handler_modules)
        self._http: httpx.AsyncClient | None = None
        self._fetcher: SafeFetcher | None = None
        self._closers: list[Closer] = []

    @classmethod
    async def open(cls, settings: Settings | None = None) -> Gateway:
        """Open the vault the settings name (creating it if new) and run the start-up hooks."""
        settings = settings or Settings.from_env()
        path = settings.vault_path()
        store = open_store(path)
        try:
            vault = await Vault.open(store, settings, ephemeral=path == ":memory:")
            gateway = cls(settings, store, vault)
            for hook in extensions.hooks():
                closer = await hook(gateway)
                if closer is not None:
                    gateway._closers.append(closer)
        except BaseException:
            store.close()
            raise
        return gateway

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            from .net.upstream import new_client

            self._http = new_client(self.settings.upstream_timeout)
        return self._http

    @property
    def fetcher(self) -> SafeFetcher:
        """The SSRF-safe fetcher for URLs that users supply (webhook targets, image URLs …)."""
        if self._fetcher is None:
            from .net.ssrf import SafeFetcher

            self._fetcher = SafeFetcher(allow_private_networks=self.settings.allow_private_networks)
        return self._fetcher

    @functools.cached_property
    def jobs(self) -> JobQueue:
        """The durable job queue (see :mod:`endpointr.gateway.jobs`)."""
        from .jobs import JobQueue

        return JobQueue(self)

    async def aclose(self) -> None:
        for closer in reversed(self._closers):
            await closer()
        self._closers.clear()
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None
        self.store.close()

    def too_large(self, size: int, headers: dict[str, str]) -> Response:
        """The 413 for a body of ``size`` bytes (the server calls it before reading it all)."""
        err = PayloadTooLarge(
            f"the body is {size} bytes or more; the limit is {self.settings.max_body_bytes}",
            code="body_too_large",
        )
        return envelope.error(err, _request_id(headers))

    async def handle(self, request: Request) -> Response:
        rid = _request_id(request.headers)
        if len(request.body) > self.settings.max_body_bytes:
            return self.too_large(len(request.body), request.headers)
        route: Route | None = None
        try:
            route, params = self.router.match(request.method, request.path)
            ctx = Context(self, request, rid)
            await self._authenticate(route.auth, ctx)
            kwargs = route.bind(request, params)
            handler = route.handler(ctx)
            result = await getattr(handler, route.attr)(**kwargs)
            if self.events and ctx.customer is not None:
                await self._fire(route, handler, ctx, kwargs, result)
        except HTTPError as exc:
            return envelope.error(exc, rid, envelope=route is None or route.handler.envelope)
        except Exception:
            log.exception(
                "unhandled error in %s %s (request %s)", request.method, request.path, rid
            )
            err = HTTPError(f"internal error; quote request id {rid} when reporting it")
            return envelope.error(err, rid, envelope=route is None or route.handler.envelope)
        if isinstance(result, Response):
            result.headers.append(("x-request-id", rid))
            return result
        return envelope.ok(result, rid, handler.status)

    async def _authenticate(self, mode: Auth, ctx: Context) -> None:
        if mode == "none":
            return
        request = ctx.request
        token = request.bearer()
        if request.principal is not None and (mode == "api_key" or token is None):
            ctx.customer = await self.store.customers.get(request.principal)
            if ctx.customer is None:
                raise Unauthorized("the local customer no longer exists", code="unknown_customer")
        elif mode == "api_key":
            ctx.customer = await self.auth.customer_for_api_key(token) if token else None
            if ctx.customer is None:
                raise Unauthorized(
                    "invalid api_key: send your customer api_key as the Bearer token",
                    code="invalid_api_key",
                )
        else:
            ctx.customer, ctx.claims = await self.auth.authenticate(token)

    async def _fire(
        self, route: Route, handler: Handler, ctx: Context, kwargs: dict[str, Any], result: Any
    ) -> None:
        assert ctx.customer is not None
        op = handler.op or route.op
        if op == "getAll" and ctx.request.query_string:
            op = "getByParam"

        def data() -> Any:  # built only if a subscriber reads it (most events have none)
            output = None if isinstance(result, Response) else to_jsonable_python(result)
            return handler.event_data(to_jsonable_python(kwargs), output)

        name = f"{route.handler.event_prefix()}.{op}"
        await self.events.emit(Event.deferred(name, ctx.customer.id, data))
