"""In-process transports: httpx talks to ``Gateway.handle`` in this process, no sockets.

The async transport runs the gateway on the caller's asyncio event loop. The sync one runs it on a
private loop thread owned by the client (so it works inside Jupyter's running loop). Both
stream response bodies as they are produced (a queue for the sync one): httpx's own
``ASGITransport`` buffers whole bodies, which would break SSE.
"""

from __future__ import annotations

import asyncio
import queue
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import anyio
import httpx

from .._loop import LoopThread, within

if TYPE_CHECKING:
    from ..gateway.gateway import Gateway
    from ..gateway.http import Request, Response
    from ..gateway.settings import Settings


async def open_local(settings: Settings, customer: str) -> tuple[Gateway, int]:
    """Open the vault's gateway and find (or create) the named local customer."""
    from ..gateway.admin import ensure_customer
    from ..gateway.gateway import Gateway

    gateway = await Gateway.open(settings)
    try:
        record = await ensure_customer(gateway.store, customer)
    except BaseException:
        await gateway.aclose()
        raise
    return gateway, record.id


def to_gateway_request(request: httpx.Request, body: bytes, principal: int) -> Request:
    from ..gateway.http import Request

    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in request.headers.raw}
    return Request(
        method=request.method,
        path=request.url.path,
        query_string=request.url.query.decode("ascii"),
        headers=headers,
        body=body,
        principal=principal,
        client="in-process",
    )


def _deadline(request: httpx.Request) -> float | None:
    timeout: dict[str, float | None] = request.extensions.get("timeout", {})
    return timeout.get("read")


def _response(response: Response, request: httpx.Request, stream: Any = None) -> httpx.Response:
    if stream is None:
        assert isinstance(response.body, bytes)
        stream = httpx.ByteStream(response.body)  # cheaper than content=, which copies and reads
    return httpx.Response(response.status, headers=response.headers, stream=stream, request=request)


class _AsyncBody(httpx.AsyncByteStream):
    def __init__(self, chunks: AsyncIterator[bytes]) -> None:
        self._chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._chunks:
            yield chunk

    async def aclose(self) -> None:
        close = getattr(self._chunks, "aclose", None)
        if close is not None:
            await close()


class AsyncLocalTransport(httpx.AsyncBaseTransport):
    """Hands requests to a gateway on the caller's loop; opens the vault on first use."""

    def __init__(self, settings: Settings, customer: str) -> None:
        self._settings = settings
        self._customer = customer
        self._opened: tuple[Gateway, int] | None = None
        self._lock = anyio.Lock()

    async def open(self) -> tuple[Gateway, int]:
        if self._opened is None:
            async with self._lock:
                if self._opened is None:
                    self._opened = await open_local(self._settings, self._customer)
        return self._opened

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        gateway, principal = await self.open()
        gw_request = to_gateway_request(request, await request.aread(), principal)
        try:
            response = await within(_deadline(request), gateway.handle(gw_request))
        except TimeoutError:
            raise httpx.ReadTimeout("the gateway did not answer in time", request=request) from None
        if isinstance(response.body, bytes):
            return _response(response, request)
        return _response(response, request, _AsyncBody(response.body))

    async def aclose(self) -> None:
        if self._opened is not None:
            gateway, self._opened = self._opened[0], None
            await gateway.aclose()


_END = object()


class _QueuedBody(httpx.SyncByteStream):
    """Chunks produced on the loop thread, consumed here as they arrive."""

    def __init__(self, runner: LoopThread, chunks: AsyncIterator[bytes]) -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._chunks = chunks
        self._task = runner.spawn(self._produce)
        self._runner = runner

    async def _produce(self) -> None:
        put = self._queue.put
        try:
            async for chunk in self._chunks:
                put(chunk)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            put(exc)
        finally:
            put(_END)
            close = getattr(self._chunks, "aclose", None)
            if close is not None:
                await close()

    def __iter__(self) -> Iterator[bytes]:
        get = self._queue.get
        while (item := get()) is not _END:
            if isinstance(item, BaseException):
                raise httpx.ReadError(f"the stream broke: {item}") from item
            yield item

    def close(self) -> None:
        if not self._task.done():
            self._task.cancel()


class LocalTransport(httpx.BaseTransport):
    """Hands requests to a gateway running on the client's private loop thread."""

    def __init__(self, settings: Settings, customer: str) -> None:
        self._runner = LoopThread("endpointr-local")
        try:
            self._gateway, self._principal = self._runner.run(open_local(settings, customer))
        except BaseException:
            self._runner.close()
            raise

    def open(self) -> tuple[Gateway, int]:
        return self._gateway, self._principal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        gw_request = to_gateway_request(request, request.read(), self._principal)
        try:
            response = self._runner.run(self._gateway.handle(gw_request), _deadline(request))
        except TimeoutError:
            raise httpx.ReadTimeout("the gateway did not answer in time", request=request) from None
        if isinstance(response.body, bytes):
            return _response(response, request)
        return _response(response, request, _QueuedBody(self._runner, response.body))

    def close(self) -> None:
        if not self._runner.loop.is_closed():
            try:
                self._runner.run(self._gateway.aclose())
            finally:
                self._runner.close()
