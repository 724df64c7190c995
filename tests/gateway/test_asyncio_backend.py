"""The upstream client's asyncio network backend behaves like httpcore's own: keep-alive,
peers that close idle connections, TLS with SNI and verification, timeouts, streamed bodies."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from endpointr.gateway.net.upstream import new_client

pytestmark = pytest.mark.skipif(sys.version_info < (3, 11), reason="the backend needs 3.11+")

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            await reader.readexactly(int(line.split(b":")[1]))
    return head


def response(body: bytes, *, close: bool = False) -> bytes:
    connection = b"close" if close else b"keep-alive"
    return (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: "
        + str(len(body)).encode()
        + b"\r\nconnection: "
        + connection
        + b"\r\n\r\n"
        + body
    )


class Server:
    def __init__(self, handler: Handler, tls: ssl.SSLContext | None = None) -> None:
        self.handler = handler
        self.tls = tls
        self.connections = 0

    async def __aenter__(self) -> Server:
        async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections += 1
            try:
                await self.handler(reader, writer)
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
            finally:
                writer.close()

        self._server = await asyncio.start_server(accept, "127.0.0.1", 0, ssl=self.tls)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._server.close()


async def test_keep_alive_reuses_one_connection() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            await read_request(reader)
            writer.write(response(b"hello"))
            await writer.drain()

    async with Server(handler) as server, new_client(5.0) as client:
        for _ in range(3):
            answer = await client.post(f"http://127.0.0.1:{server.port}/", json={"a": 1})
            assert answer.text == "hello"
    assert server.connections == 1


async def test_a_peer_closing_an_idle_connection_is_not_an_error() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(response(b"once"))  # says keep-alive, then closes anyway
        await writer.drain()

    async with Server(handler) as server, new_client(5.0) as client:
        first = await client.get(f"http://127.0.0.1:{server.port}/")
        await asyncio.sleep(0.05)  # the close reaches the client while the connection idles
        second = await client.get(f"http://127.0.0.1:{server.port}/")
    assert (first.text, second.text) == ("once", "once")
    assert server.connections == 2


async def test_streamed_bodies_arrive_as_sent() -> None:
    release = asyncio.Event()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n")
        await writer.drain()
        await release.wait()
        writer.write(b"4\r\nlast\r\n0\r\n\r\n")
        await writer.drain()

    async with Server(handler) as server, new_client(5.0) as client:
        url = f"http://127.0.0.1:{server.port}/"
        async with client.stream("GET", url) as answer:
            chunks = answer.aiter_bytes()
            assert await anext(chunks) == b"first"  # before the server sends the rest
            release.set()
            assert [c async for c in chunks] == [b"last"]


async def test_connection_refused_and_timeouts() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(10)

    async with Server(silent) as server:
        port = server.port
        async with new_client(0.3) as client:
            with pytest.raises(httpx.ReadTimeout):
                await client.get(f"http://127.0.0.1:{port}/")
    async with new_client(5.0) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(f"http://127.0.0.1:{port}/")  # closed now


def certificate(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    cert, key = certificate(tmp_path)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    return server, client


async def test_tls_verifies_the_peer_and_sends_sni(
    tls: tuple[ssl.SSLContext, ssl.SSLContext],
) -> None:
    from endpointr.gateway.net.asyncio_backend import AsyncioBackend
    from endpointr.gateway.net.pool import transport_with

    server_context, client_context = tls
    names: list[str | None] = []
    server_context.sni_callback = lambda _sock, name, _ctx: names.append(name)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(response(b"secure"))
        await writer.drain()

    async with Server(handler, server_context) as server:
        transport = transport_with(
            AsyncioBackend(),
            max_connections=2,
            max_keepalive_connections=1,
            ssl_context=client_context,
        )
        async with httpx.AsyncClient(transport=transport) as client:
            answer = await client.get(f"https://localhost:{server.port}/")
        assert answer.text == "secure"
        assert names == ["localhost"]
        async with new_client(5.0) as untrusting:  # the certifi bundle: not our test CA
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await untrusting.get(f"https://localhost:{server.port}/")


async def test_a_request_leaves_in_one_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """Head and body are sent together (one system call, one wake-up of the peer), while a
    large streamed body still goes out as it is produced."""
    from endpointr.gateway.net import asyncio_backend

    writes: list[int] = []
    real_write = asyncio.StreamWriter.write
    ports: list[int] = []

    def counting_write(self: asyncio.StreamWriter, data: bytes) -> None:
        if self.get_extra_info("sockname")[1] not in ports:  # the client's writes only
            writes.append(len(data))
        real_write(self, data)

    monkeypatch.setattr(asyncio.StreamWriter, "write", counting_write)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                await read_request(reader)
            except asyncio.IncompleteReadError:
                return
            writer.write(response(b"ok"))
            await writer.drain()

    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    ports.append(port)
    async with server, new_client(10.0) as client:
        small = await client.post(f"http://127.0.0.1:{port}/", content=b'{"a": 1}')
        assert small.text == "ok"
        assert len(writes) == 1
        writes.clear()

        chunk = b"x" * 40_000

        async def body() -> AsyncIterator[bytes]:
            for _ in range(5):
                yield chunk

        big = await client.post(f"http://127.0.0.1:{port}/", content=body(),
                                headers={"content-length": str(5 * len(chunk))})  # fmt: skip
        assert big.text == "ok"
        assert len(writes) >= 3  # flushed every 64 KiB, not held to the end
        assert sum(writes) > 5 * len(chunk)
    assert asyncio_backend.COALESCE_BYTES == 64 * 1024
