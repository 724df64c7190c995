"""An asyncio-native network backend for httpcore: the upstream client's sockets, minus anyio.

httpcore reaches asyncio through anyio, and every read, write and lock goes through anyio's
cancel scopes and checkpoints: on this project's benchmark machine that costs ~190 µs a
request, more than the rest of the gateway's own work on a chat call. This backend speaks
asyncio streams directly and maps failures to httpcore's exceptions, so httpx behaves exactly
as before (timeouts, connection errors, TLS with SNI and verification, keep-alive).

Python 3.11+ (``asyncio.timeout``, ``StreamWriter.start_tls``); on 3.10 the upstream client
keeps httpcore's default backend.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import sys
from collections.abc import Iterable
from typing import Any

import httpcore

if sys.version_info < (3, 11):  # pragma: no cover
    raise ImportError("the asyncio network backend needs Python 3.11+")

_EXTRA = {"ssl_object": "ssl_object", "client_addr": "sockname", "server_addr": "peername"}


#: Writes are held until a read (or this many bytes): a request's head and body leave in one
#: send, not two (each send is a system call and, on loopback, a wake-up of the peer).
COALESCE_BYTES = 64 * 1024


class AsyncioStream(httpcore.AsyncNetworkStream):
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._pending = bytearray()

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        await self._flush(timeout)
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError:
            raise httpcore.ReadTimeout("timed out reading from the upstream") from None
        except OSError as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._pending += buffer
        if len(self._pending) >= COALESCE_BYTES:
            await self._flush(timeout)

    async def _flush(self, timeout: float | None) -> None:
        if not self._pending:
            return
        data, self._pending = bytes(self._pending), bytearray()
        try:
            self._writer.write(data)
            async with asyncio.timeout(timeout):
                await self._writer.drain()
        except TimeoutError:
            raise httpcore.WriteTimeout("timed out writing to the upstream") from None
        except OSError as exc:
            raise httpcore.WriteError(str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        # Closing the transport is enough; waiting for a TLS close_notify could hang a pool.
        self._writer.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError:
            self._writer.close()
            raise httpcore.ConnectTimeout("timed out during the TLS handshake") from None
        except OSError as exc:  # ssl.SSLError included
            self._writer.close()
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # The transport reads eagerly into the reader, so a peer that closed an idle
            # keep-alive connection shows up here, not on the socket: the pool must not reuse it.
            return self._reader.at_eof() or self._writer.transport.is_closing()
        if info == "socket":
            return self._writer.get_extra_info("socket")
        key = _EXTRA.get(info)
        return None if key is None else self._writer.get_extra_info(key)


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        local = (local_address, 0) if local_address else None
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(host, port, local_addr=local)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"timed out connecting to {host}:{port}") from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for option in socket_options or ():
            sock.setsockopt(*option)
        return AsyncioStream(reader, writer)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_unix_connection(path)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"timed out connecting to {path}") from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        for option in socket_options or ():
            writer.get_extra_info("socket").setsockopt(*option)
        return AsyncioStream(reader, writer)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
