"""A streamed answer as a context-managed async iterator of parsed items.

:class:`AsyncStream` sends its request when first entered or iterated (``_send(stream=True)``:
status errors raise before any item), reads the body's SSE frames as they arrive and turns each
into an item with the parser a subclass builds from the response (its headers may say how to
read the frames). Leaving the ``async with`` block, or the end of the body, closes the
connection (in local mode, the gateway's upstream request with it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
from typing_extensions import Self

from .._base import NOT_GIVEN, Timeout
from .._streaming import ServerSentEvent, SSEDecoder

if TYPE_CHECKING:
    from .client import AsyncEndpointr

T = TypeVar("T")


async def iter_frames(response: httpx.Response) -> AsyncIterator[ServerSentEvent]:
    """The SSE frames of ``response``'s body, each as soon as its last byte arrives."""
    decoder = SSEDecoder()
    async for chunk in response.aiter_bytes():
        for frame in decoder.feed(chunk):
            yield frame
    for frame in decoder.flush():
        yield frame


class AsyncStream(Generic[T]):
    """``async with`` it, then ``async for item in it``; or just ``async for``."""

    def __init__(
        self,
        client: AsyncEndpointr,
        method: str,
        path: str,
        *,
        json: Any = None,
        timeout: Timeout = NOT_GIVEN,
        auth: str = "client",
    ) -> None:
        self._client = client
        self._request = (method, path, json, timeout, auth)
        self._response: httpx.Response | None = None

    def parser(self, response: httpx.Response) -> Callable[[ServerSentEvent], T | None]:
        """How to turn this response's frames into items (``None``: skip the frame)."""
        raise NotImplementedError

    @property
    def response(self) -> httpx.Response:
        """The open HTTP response (once the stream is entered or iterated)."""
        if self._response is None:
            raise RuntimeError("the stream has not been opened: use `async with` or iterate it")
        return self._response

    async def open(self) -> httpx.Response:
        if self._response is None:
            method, path, json, timeout, auth = self._request
            self._response = await self._client._send(
                method, path, json=json, timeout=timeout, auth=auth, stream=True
            )
        return self._response

    async def close(self) -> None:
        """Close the connection; iteration stops."""
        if self._response is not None:
            await self._response.aclose()

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _items(self) -> AsyncIterator[T]:
        response = await self.open()
        parse = self.parser(response)
        try:
            async for frame in iter_frames(response):
                item = parse(frame)
                if item is not None:
                    yield item
        finally:
            await self.close()
