"""What the API providers share: plain JSON over the gateway's one upstream client, streams
relayed as the bytes arrive, and upstream failures turned into classified ProviderErrors."""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, ClassVar

import httpx
from pydantic_core import from_json, to_json

from .base import ChatRequest, ChatResult, Provider, ProviderError

#: Upstream 5xx -> what our caller sees (a gateway's view of a failing upstream).
_SERVER_STATUS = {503: 503, 504: 504, 529: 503}


def error_frame(message: str, type: str = "upstream_error", code: str | None = None) -> bytes:
    """An SSE error frame in Anthropic's shape, which the SDK reads for every provider.

    It starts with a blank line so that it ends any frame the failure cut in half.
    """
    error: dict[str, Any] = {"type": type, "message": message}
    if code:
        error["code"] = code
    data = json.dumps({"type": "error", "error": error}, separators=(",", ":"))
    return f"\n\nevent: error\ndata: {data}\n\n".encode()


@functools.lru_cache(maxsize=256)
def _url(url: str) -> httpx.URL:
    return httpx.URL(url)


def upstream_message(body: Any, fallback: str) -> tuple[str, str | None]:
    """(message, code) from an OpenAI, Anthropic or OpenRouter error body."""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        message = str(error.get("message") or fallback)
        code = error.get("code") or error.get("type")
        return message, None if code is None else str(code)
    if isinstance(error, str):
        return error, None
    return fallback, None


class HTTPProvider(Provider):
    """A provider reached over HTTP at the base URL an operator setting names."""

    base_url_setting: ClassVar[str]

    @property
    def base_url(self) -> str:
        return str(getattr(self.settings, self.base_url_setting)).rstrip("/")

    def headers(self) -> dict[str, str]:
        raise NotImplementedError

    # -- errors -----------------------------------------------------------------------------

    def status_error(self, response: httpx.Response) -> ProviderError:
        """The ProviderError for a 4xx/5xx answer (its body read)."""
        upstream = response.status_code
        try:
            body: Any = json.loads(response.content)
        except ValueError:
            body = None
        fallback = response.text[:300].strip() or response.reason_phrase or "no detail"
        message, code = upstream_message(body, fallback)
        status = _SERVER_STATUS.get(upstream, 502) if upstream >= 500 else upstream
        return self.error(
            status,
            f"{self.name} answered {upstream}: {message}",
            code=code,
            retry_after=response.headers.get("retry-after"),
        )

    def transport_error(self, exc: httpx.HTTPError) -> ProviderError:
        if isinstance(exc, httpx.TimeoutException):
            return self.error(504, f"{self.name} did not answer in time", code="upstream_timeout")
        return self.error(
            502,
            f"cannot reach {self.name}: {exc or type(exc).__name__}",
            code="upstream_unreachable",
        )

    def malformed(self, what: str) -> ProviderError:
        return self.error(502, f"{self.name} answered with {what}", code="upstream_malformed")

    # -- requests ---------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        payload: Any = None,
        content: bytes | None = None,
        params: Any = None,
    ) -> httpx.Request:
        """A JSON request to this provider (``payload`` as an object, or ``content`` already
        encoded), with the client's default headers and timeout.

        Built directly rather than with ``AsyncClient.build_request``, which costs three times
        as much (merging cookies the client never keeps, reparsing the URL): this is every
        call's hot path."""
        http = self.gateway.http
        headers = [*http.headers.multi_items(), *self.headers().items()]
        if payload is not None:
            content = to_json(payload)
        if content is not None:
            headers.append(("content-type", "application/json"))
        url = _url(self.base_url + path)
        if params:
            url = url.copy_merge_params(params)
        extensions = {"timeout": http.timeout.as_dict()}
        return httpx.Request(method, url, content=content, headers=headers, extensions=extensions)

    async def send(
        self,
        method: str,
        path: str,
        *,
        payload: Any = None,
        params: Mapping[str, Any] | None = None,
        files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
    ) -> Any:
        """Send and return the parsed JSON answer; raise ProviderError on any failure.

        With ``files``, the payload's fields go as multipart form data."""
        http = self.gateway.http
        if files is None:
            request = self.request(method, path, payload=payload, params=params)
        else:
            request = http.build_request(
                method, self.base_url + path, data=payload, files=files, headers=self.headers()
            )
        try:
            response = await http.send(request)
        except httpx.HTTPError as exc:
            raise self.transport_error(exc) from None
        if response.status_code >= 400:
            raise self.status_error(response)
        try:
            return from_json(response.content)
        except ValueError:
            raise self.malformed(f"{response.status_code} and a body that is not JSON") from None

    async def complete(
        self,
        path: str,
        payload: Any,
        parse: Callable[[Any], ChatResult | None],
        request: ChatRequest,
    ) -> ChatResult:
        """POST a chat request and parse the answer (``parse`` returns None for a body that
        is not one)."""
        result = parse(await self.send("POST", path, payload=payload))
        if result is None:
            raise self.malformed("a body that is not a chat answer")
        result.model = result.model or request.model
        return result

    async def open_stream(self, path: str, payload: Any) -> AsyncIterator[bytes]:
        """POST and return the answer's body as it arrives, once its status is known good.

        A failure after that point becomes an SSE error frame: the caller already has the
        stream's headers, so an HTTP status is no longer possible.
        """
        http = self.gateway.http
        try:
            response = await http.send(self.request("POST", path, payload=payload), stream=True)
        except httpx.HTTPError as exc:
            raise self.transport_error(exc) from None
        if response.status_code >= 400:
            try:
                await response.aread()
            except httpx.HTTPError as exc:
                raise self.transport_error(exc) from None
            finally:
                await response.aclose()
            raise self.status_error(response)
        return self._relay(response)

    async def _relay(self, response: httpx.Response) -> AsyncIterator[bytes]:
        try:
            async for chunk in response.aiter_bytes():
                yield chunk
        except httpx.HTTPError as exc:
            failure = self.transport_error(exc)
            yield error_frame(failure.message, code=failure.code)
        finally:
            await response.aclose()
