"""``AsyncEndpointr``: one client, two modes (remote over HTTP, local in-process)."""

from __future__ import annotations

import copy
import logging
import os
import time
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import urlencode

import httpx
from anyio import Lock, sleep

from ..._errors import APIConnectionError, APITimeoutError, EndpointrError
from .._base import (
    CONNECTION_LIMITS,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    LOCAL_BASE_URL,
    NOT_GIVEN,
    TOKEN_REFRESH_MARGIN,
    USER_AGENT,
    NotGiven,
    Timeout,
    needs_reauth,
    parse,
    parse_url,
    retry_delay,
    should_retry,
    status_error,
    to_timeout,
)
from .._transports import AsyncClientTransport
from ._resource import AsyncAPIResource

if TYPE_CHECKING:
    import openai

    from ...gateway.settings import Settings
    from ...types.auth import Token
    from ..transport import AsyncLocalTransport
    from .resources.admin import AsyncAdminResource
    from .resources.ai import AsyncAI
    from .resources.auth import AsyncAuth
    from .resources.bindings import AsyncBindingsGroup
    from .resources.credentials import AsyncCredentials
    from .resources.keys import AsyncKeys
    from .resources.marketing import AsyncMarketing
    from .resources.vault import AsyncVault
    from .resources.webhooks import AsyncWebhooks

T = TypeVar("T")
log = logging.getLogger("endpointr")
Mode = Literal["remote", "local"]
#: ``"client"``: the client's own JWT in remote mode, nothing in local mode.
AuthMode = Literal["client", "none"]


class _TokenCache:
    """The client's JWT, shared by the copies ``with_options`` makes."""

    def __init__(self) -> None:
        self.token: Token | None = None
        self.lock = Lock()


class AsyncEndpointr:
    """The Endpointr SDK client.

    Requests go straight to an httpx transport: the network one (remote), the in-process
    gateway (local), or ``http_client`` when you pass one (proxies, event hooks, mounts).

    Remote: ``AsyncEndpointr(api_key=..., base_url=...)`` talks to an Endpointr server (the
    api_key is exchanged for a JWT, cached and rotated automatically). Local:
    ``AsyncEndpointr.local()`` runs the same gateway code in this process against a local
    encrypted vault. Application code is the same in both.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        _local: AsyncLocalTransport | None = None,
    ) -> None:
        self.timeout = to_timeout(timeout)
        self.max_retries = max_retries
        self._local = _local
        self._tokens = _TokenCache()
        self._headers = {"user-agent": USER_AGENT}
        self._transport: httpx.AsyncBaseTransport
        if _local is not None:
            self.api_key: str | None = None
            self.base_url = httpx.URL(LOCAL_BASE_URL)
            self._url_prefix = LOCAL_BASE_URL
            self._transport = _local
            return
        self.api_key = api_key or os.environ.get("ENDPOINTR_API_KEY")
        if not self.api_key:
            raise EndpointrError(
                "no api_key: pass api_key=, set ENDPOINTR_API_KEY, or use "
                "Endpointr.local() to run the gateway in this process"
            )
        self.base_url = httpx.URL(
            base_url or os.environ.get("ENDPOINTR_BASE_URL") or DEFAULT_BASE_URL
        )
        self._url_prefix = str(self.base_url).rstrip("/")
        self._transport = (
            AsyncClientTransport(http_client)
            if http_client is not None
            else httpx.AsyncHTTPTransport(limits=CONNECTION_LIMITS)
        )

    @classmethod
    def local(
        cls,
        path: str | os.PathLike[str] | None = None,
        customer: str = "default",
        master_key: str | bytes | None = None,
        *,
        settings: Settings | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
    ) -> AsyncEndpointr:
        """A client that runs the gateway in this process over a local encrypted vault.

        ``path``: the vault file (default ``ENDPOINTR_VAULT``, else the user data dir;
        ``":memory:"`` for a throw-away one). ``customer``: whose vault this client acts as
        (created if missing). ``master_key``: base64 of 32 bytes (default
        ``ENDPOINTR_MASTER_KEY``, else the OS keyring, else a key file). Other operator
        settings come from ``settings`` or the ``ENDPOINTR_*`` environment.
        """
        from ...gateway.settings import Settings
        from ..transport import AsyncLocalTransport

        overrides: dict[str, Any] = {"vault": os.fspath(path) if path is not None else None}
        if master_key is not None:
            overrides["master_key"] = (
                master_key.decode() if isinstance(master_key, bytes) else master_key
            )
        if settings is None:
            settings = Settings.from_env(**overrides)
        else:
            settings = settings.model_copy(
                update={k: v for k, v in overrides.items() if v is not None}
            )
        transport = AsyncLocalTransport(settings, customer)
        return cls(timeout=timeout, max_retries=max_retries, _local=transport)

    def with_options(
        self, *, timeout: Timeout = NOT_GIVEN, max_retries: int | None = None
    ) -> AsyncEndpointr:
        """A client with other defaults that shares this one's connections and token
        (close the original, not the copy): ``client.with_options(timeout=5).vault.get(...)``."""
        clone = copy.copy(self)
        for name, value in list(vars(clone).items()):
            if isinstance(value, AsyncAPIResource):
                del clone.__dict__[name]  # cached resources are bound to the original
        if not isinstance(timeout, NotGiven):
            clone.timeout = to_timeout(timeout)
        if max_retries is not None:
            clone.max_retries = max_retries
        return clone

    @property
    def mode(self) -> Mode:
        return "local" if self._local is not None else "remote"

    # -- resources --------------------------------------------------------------------------

    @cached_property
    def auth(self) -> AsyncAuth:
        from .resources.auth import AsyncAuth

        return AsyncAuth(self)

    @cached_property
    def keys(self) -> AsyncKeys:
        from .resources.keys import AsyncKeys

        return AsyncKeys(self)

    @cached_property
    def credentials(self) -> AsyncCredentials:
        from .resources.credentials import AsyncCredentials

        return AsyncCredentials(self)

    @cached_property
    def vault(self) -> AsyncVault:
        from .resources.vault import AsyncVault

        return AsyncVault(self)

    @cached_property
    def ai(self) -> AsyncAI:
        from .resources.ai import AsyncAI

        return AsyncAI(self)

    @cached_property
    def webhooks(self) -> AsyncWebhooks:
        from .resources.webhooks import AsyncWebhooks

        return AsyncWebhooks(self)

    @cached_property
    def bindings(self) -> AsyncBindingsGroup:
        from .resources.bindings import AsyncBindingsGroup

        return AsyncBindingsGroup(self)

    @cached_property
    def admin(self) -> AsyncAdminResource:
        from .resources.admin import AsyncAdminResource

        return AsyncAdminResource(self)

    @cached_property
    def marketing(self) -> AsyncMarketing:
        from .resources.marketing import AsyncMarketing

        return AsyncMarketing(self)

    # -- the official openai SDK ----------------------------------------------------------

    def openai_kwargs(self) -> dict[str, Any]:
        """``api_key``, ``base_url`` and, in local mode, ``http_client`` (an httpx2 client that
        reaches the in-process gateway): what an OpenAI-compatible client needs to talk to this
        gateway's ``/v1/chat/completions``, e.g. ``ChatOpenAI(model=..., **kwargs)``."""
        if self._local is None:
            return {"api_key": self.api_key, "base_url": f"{self._url_prefix}/v1"}
        import httpx2

        from .._openai import AsyncGatewayTransport

        transport = AsyncGatewayTransport(self._local)
        return {
            "api_key": "local",  # the in-process transport vouches for the local customer
            "base_url": f"{self._url_prefix}/v1",
            "http_client": httpx2.AsyncClient(transport=transport, timeout=None),
        }

    def openai(self, **options: Any) -> openai.AsyncOpenAI:
        """The official ``openai.AsyncOpenAI`` client, wired to this gateway's OpenAI-compatible
        endpoint in either mode (requires ``pip install endpointr[openai]``). ``options`` go to
        its constructor (``max_retries``, ``timeout`` …). Close it when done."""
        import openai

        return openai.AsyncOpenAI(**self.openai_kwargs(), **options)

    # -- lifecycle --------------------------------------------------------------------------

    async def close(self) -> None:
        """Close connections (and, in local mode, the vault)."""
        await self._transport.aclose()

    async def __aenter__(self) -> AsyncEndpointr:
        if self._local is not None:
            await self._local.open()  # surface a vault or key error here, not on first call
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def __repr__(self) -> str:
        where = self.base_url if self._local is None else "in-process"
        return f"<{type(self).__name__} mode={self.mode} {where}>"

    # -- tokens -----------------------------------------------------------------------------

    def _remember_token(self, token: Token | None) -> None:
        self._tokens.token = token

    async def _current_token(self) -> str:
        """A valid JWT for this client, exchanged or rotated when near expiry."""
        from ...types.auth import Token

        if (
            self._tokens.token is not None
            and self._tokens.token.expires_at.timestamp() - time.time() > TOKEN_REFRESH_MARGIN
        ):
            return self._tokens.token.token
        async with self._tokens.lock:
            token = self._tokens.token
            remaining = token.expires_at.timestamp() - time.time() if token else 0.0
            if token is not None and remaining > TOKEN_REFRESH_MARGIN:
                return token.token
            fresh: Token | None = None
            if token is not None and remaining > 5:
                try:
                    fresh = await self._request("PATCH", "/v1/token", cast=Token, auth=token.token)
                except EndpointrError:
                    fresh = None
            if fresh is None:
                body = {"api_key": self.api_key} if self.api_key else {}
                fresh = await self._request("POST", "/v1/token", json=body, cast=Token, auth="none")
            self._tokens.token = fresh
            return fresh.token

    # -- requests ---------------------------------------------------------------------------

    def _build(
        self,
        method: str,
        path: str,
        *,
        json: Any,
        params: Any,
        content: bytes | None,
        headers: dict[str, str],
        timeout: Timeout,
    ) -> httpx.Request:
        url = self._url_prefix + path
        if params:
            url += "?" + urlencode(params, doseq=True)
        limits = self.timeout if isinstance(timeout, NotGiven) else to_timeout(timeout)
        return httpx.Request(
            method,
            parse_url(url),
            json=json,
            content=content,
            headers=self._headers | headers,
            extensions={"timeout": limits.as_dict()},
        )

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: Timeout = NOT_GIVEN,
        auth: AuthMode | str = "client",
        stream: bool = False,
    ) -> httpx.Response:
        """Send with retries; a 4xx/5xx raises its :class:`APIStatusError` subclass."""
        reauthed = False
        attempt = 0
        while True:
            hdrs = dict(headers or {})
            if auth == "client" and self._local is None:
                hdrs["authorization"] = f"Bearer {await self._current_token()}"
            elif auth not in ("client", "none"):
                hdrs["authorization"] = f"Bearer {auth}"
            request = self._build(
                method, path, json=json, params=params, content=content, headers=hdrs,
                timeout=timeout,
            )  # fmt: skip
            response: httpx.Response | None = None
            failure: httpx.TransportError | None = None
            try:
                response = await self._transport.handle_async_request(request)
                response.request = request
                if not stream or not response.is_success:
                    await response.aread()
                    await response.aclose()
            except httpx.TransportError as exc:
                failure = exc
            if log.isEnabledFor(logging.DEBUG):
                log.debug("%s %s -> %s", method, request.url, response or failure)
            if response is not None and response.is_success:
                return response
            if (
                response is not None
                and auth == "client"
                and not reauthed
                and needs_reauth(response)
            ):
                reauthed = True  # the cached JWT was revoked or expired: exchange once more
                self._tokens.token = None
                continue
            if attempt < self.max_retries and should_retry(method, response, failure):
                await sleep(retry_delay(attempt, response))
                attempt += 1
                continue
            if response is not None:
                raise status_error(response)
            if isinstance(failure, httpx.TimeoutException):
                raise APITimeoutError(request=request) from failure
            raise APIConnectionError(
                f"cannot reach {self.base_url}: {failure}", request=request
            ) from failure

    async def _request(
        self,
        method: str,
        path: str,
        *,
        cast: type[T],
        json: Any = None,
        params: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: Timeout = NOT_GIVEN,
        auth: AuthMode | str = "client",
    ) -> T:
        response = await self._send(
            method, path, json=json, params=params, content=content, headers=headers,
            timeout=timeout, auth=auth,
        )  # fmt: skip
        return parse(cast, response)
