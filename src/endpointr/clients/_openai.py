"""httpx2 transports over the SDK's own httpx ones, for ``client.openai()`` in local mode.

The official openai SDK is built on ``httpx2``, the SDK on ``httpx``. These adapters hand the
openai client's requests to the transport the Endpointr client already has (in local mode the
in-process gateway, on the caller's loop or the client's loop thread), so the bridging logic
lives in one place and response bodies still stream as the gateway produces them. Imported
only when ``client.openai()`` is called: ``import endpointr`` does not import httpx2.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import httpx2


def _request(request: httpx2.Request, body: bytes) -> httpx.Request:
    return httpx.Request(
        request.method,
        str(request.url),
        headers=request.headers.raw,
        content=body,
        extensions={"timeout": request.extensions.get("timeout", {})},
    )


def _error(exc: httpx.TransportError, request: httpx2.Request) -> httpx2.TransportError:
    """The httpx2 twin of an httpx transport error (the openai SDK maps these)."""
    cls = getattr(httpx2, type(exc).__name__, None)
    if not (isinstance(cls, type) and issubclass(cls, httpx2.TransportError)):
        cls = (
            httpx2.TimeoutException if isinstance(exc, httpx.TimeoutException) else httpx2.ReadError
        )
    return cls(str(exc), request=request)


def _response(response: httpx.Response, request: httpx2.Request, stream: object) -> httpx2.Response:
    return httpx2.Response(
        response.status_code,
        headers=response.headers.raw,
        stream=stream,  # type: ignore[arg-type]
        request=request,
    )


class _AsyncBody(httpx2.AsyncByteStream):
    def __init__(self, response: httpx.Response, request: httpx2.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.aiter_raw():
                yield chunk
        except httpx.TransportError as exc:
            raise _error(exc, self._request) from exc

    async def aclose(self) -> None:
        await self._response.aclose()


class AsyncGatewayTransport(httpx2.AsyncBaseTransport):
    """Sends through ``transport``, which the Endpointr client owns (closing this leaves it
    open)."""

    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        self._transport = transport

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        try:
            response = await self._transport.handle_async_request(
                _request(request, await request.aread())
            )
        except httpx.TransportError as exc:
            raise _error(exc, request) from exc
        return _response(response, request, _AsyncBody(response, request))


class _SyncBody(httpx2.SyncByteStream):
    def __init__(self, response: httpx.Response, request: httpx2.Request) -> None:
        self._response = response
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._response.iter_raw()
        except httpx.TransportError as exc:
            raise _error(exc, self._request) from exc

    def close(self) -> None:
        self._response.close()


class GatewayTransport(httpx2.BaseTransport):
    """The sync twin of :class:`AsyncGatewayTransport`."""

    def __init__(self, transport: httpx.BaseTransport) -> None:
        self._transport = transport

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        try:
            response = self._transport.handle_request(_request(request, request.read()))
        except httpx.TransportError as exc:
            raise _error(exc, request) from exc
        return _response(response, request, _SyncBody(response, request))
