"""The ASGI adapter ``endpointr serve`` runs: HTTP in, ``Gateway.handle``, HTTP out.

Like the in-process transport it is a thin translation; everything else happens in the gateway.
Bodies stream out as the handler produces them (and stop, closing the handler's iterator, when
the client disconnects), and a body over the size limit is refused before it is read.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

import anyio

from .gateway import Gateway
from .http import Request, Response
from .settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

log = logging.getLogger("endpointr.server")


class GatewayApp:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.gateway: Gateway | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    self.gateway = await Gateway.open(self.settings)
                except Exception as exc:  # a wrong master key, an unreadable vault …
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.gateway is not None:
                    await self.gateway.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.gateway is None:  # a server without lifespan support
            self.gateway = await Gateway.open(self.settings)
        gateway = self.gateway
        headers: dict[str, str] = {}
        for raw_key, raw_value in scope["headers"]:
            key, value = raw_key.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        limit = self.settings.max_body_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _send(send, gateway.too_large(int(declared), headers), scope["method"])
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _send(send, gateway.too_large(size, headers), scope["method"])
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        client = scope.get("client")
        request = Request(
            method=scope["method"],
            path=scope["path"],
            query_string=scope.get("query_string", b"").decode("latin-1"),
            headers=headers,
            body=b"".join(chunks),
            client=client[0] if client else None,
        )
        await _send(send, await gateway.handle(request), scope["method"], receive)


async def _send(
    send: Send, response: Response, method: str, receive: Receive | None = None
) -> None:
    raw_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    body = response.body
    if isinstance(body, bytes):  # a known length: no chunked framing for the client to undo
        raw_headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": response.status, "headers": raw_headers})
    if isinstance(body, bytes):
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})
        return
    try:
        if receive is None:
            await _stream(send, body)
        else:  # a client that leaves stops the stream, and the handler's upstream with it
            async with anyio.create_task_group() as group:
                group.start_soon(_cancel_on_disconnect, receive, group.cancel_scope)
                await _stream(send, body)
                group.cancel_scope.cancel()
    finally:
        close = getattr(body, "aclose", None)
        if close is not None:
            with anyio.CancelScope(shield=True):
                await close()


async def _stream(send: Send, body: AsyncIterator[bytes]) -> None:
    try:
        async for chunk in body:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    except OSError:  # the client went away mid-stream
        log.info("client disconnected during a streamed response")


async def _cancel_on_disconnect(receive: Receive, scope: anyio.CancelScope) -> None:
    """Servers ignore writes to a closed connection: stop producing when the client leaves."""
    while (await receive())["type"] != "http.disconnect":
        pass
    scope.cancel()


def app() -> GatewayApp:
    """The ASGI application, configured from ``ENDPOINTR_*`` (uvicorn ``--factory`` target)."""
    return GatewayApp()
