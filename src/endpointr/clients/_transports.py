"""A caller's own httpx client as a transport, so the SDK has one way to send."""

from __future__ import annotations

import httpx


class AsyncClientTransport(httpx.AsyncBaseTransport):
    """Sends through a caller-supplied ``httpx.AsyncClient`` (its proxies, hooks and mounts
    apply). The caller owns the client: closing the SDK client leaves it open."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._client.send(request, stream=True)


class ClientTransport(httpx.BaseTransport):
    """The sync twin of :class:`AsyncClientTransport`."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._client.send(request, stream=True)
