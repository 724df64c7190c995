"""A fake upstream on 127.0.0.1 whose behaviour is a respx router.

Both modes need the same mocks: in local mode the gateway runs in this process, in remote mode
it runs in an ``endpointr serve`` subprocess where respx cannot reach. So every upstream base
URL setting points at this server, and the server answers each request from a respx
``MockRouter`` that the test configures. Tests assert on ``route.calls`` exactly as with respx.

Paths are prefixed per provider: ``/openai/v1/...``, ``/anthropic/v1/...``,
``/openrouter/api/v1/...``, ``/graph/...``; :data:`BASE_URL_SETTINGS` maps settings to them.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any

import httpx
import respx
import uvicorn

BASE_URL_SETTINGS = {
    "openai_base_url": "/openai/v1",
    "anthropic_base_url": "/anthropic",
    "openrouter_base_url": "/openrouter/api/v1",
    "meta_graph_url": "/graph",
}


class FakeUpstream:
    def __init__(self) -> None:
        self.router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self._app, log_level="warning", lifespan="off", interface="asgi3")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        while not self._server.started:
            threading.Event().wait(0.01)

    def settings(self) -> dict[str, str]:
        return {name: self.url + prefix for name, prefix in BASE_URL_SETTINGS.items()}

    def env(self) -> dict[str, str]:
        return {f"ENDPOINTR_{k.upper()}": v for k, v in self.settings().items()}

    def reset(self) -> None:
        self.router.clear()
        self.router.reset()

    def close(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)

    async def _app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        query = scope.get("query_string", b"").decode()
        url = f"{self.url}{scope['path']}" + (f"?{query}" if query else "")
        request = httpx.Request(
            scope["method"],
            url,
            headers=[(k.decode(), v.decode()) for k, v in scope["headers"]],
            content=body,
        )
        try:
            response = await self.router.async_handler(request)
        except Exception as exc:  # an unmocked request: make it loud in the test's failure
            payload = f"fake upstream has no route for {request.method} {request.url}: {exc}"
            await send({"type": "http.response.start", "status": 599, "headers": []})
            await send({"type": "http.response.body", "body": payload.encode()})
            return
        headers = [
            (k.encode(), v.encode())
            for k, v in response.headers.multi_items()
            if k.lower() not in ("content-length", "transfer-encoding")
        ]
        await send(
            {"type": "http.response.start", "status": response.status_code, "headers": headers}
        )
        if response.is_stream_consumed:  # respx pre-reads plain bodies
            await send({"type": "http.response.body", "body": response.content, "more_body": True})
        else:
            try:
                async for chunk in response.aiter_raw():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                    await asyncio.sleep(0)
            finally:
                await response.aclose()
        await send({"type": "http.response.body", "body": b""})
