"""The SSRF-safe fetcher: what it refuses, what it allows, and that it connects where it checked.

No test touches the internet. "Public" hosts are answered by a fake resolver with public
addresses, and the socket layer under the fetcher (``httpcore.AnyIOBackend.connect_tcp``) is
patched to record the address it was asked for and to carry the connection to a tiny HTTP server
on 127.0.0.1 instead, so the decision is real and the bytes are local.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import httpcore
import httpx
import pytest

from endpointr.gateway.net.ssrf import BlockedURLError, SafeFetcher, _default_resolver
from endpointr.gateway.net.upstream import USER_AGENT

PUBLIC_IP = "93.184.216.34"
OTHER_PUBLIC_IP = "198.35.26.96"

# --------------------------------------------------------------------------------------------
# A tiny local HTTP server
# --------------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        self._route()

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self) -> None:
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        self.server.seen.append(
            {
                "method": self.command,
                "path": url.path,
                "host": self.headers.get("host"),
                "cookie": self.headers.get("cookie"),
                "authorization": self.headers.get("authorization"),
                "user-agent": self.headers.get("user-agent"),
            }
        )
        if url.path == "/ok":
            self._send(200, b"hello", {"content-type": "text/plain"})
        elif url.path == "/image":
            self._send(200, b"\x89PNG fake", {"content-type": "image/png"})
        elif url.path == "/redirect":
            status = int(query.get("status", "302"))
            self._send(status, b"", {"location": query["to"]})
        elif url.path.startswith("/chain/"):
            left = int(url.path.rsplit("/", 1)[1])
            if left:
                self._send(302, b"", {"location": f"/chain/{left - 1}"})
            else:
                self._send(200, b"end of chain")
        elif url.path == "/set-cookie":
            self._send(200, b"", {"set-cookie": "session=secret; Path=/"})
        elif url.path == "/big":
            self._big(int(query["n"]), declared=query.get("declared", "1") == "1")
        elif url.path == "/drip":
            self._drip()
        else:
            self._send(404, b"not found")

    def _big(self, size: int, *, declared: bool) -> None:
        self.send_response(200)
        if declared:
            self.send_header("content-length", str(size))
        self.end_headers()  # HTTP/1.0 without a length: the body ends when the socket closes
        chunk = b"x" * 65536
        try:
            for _ in range(0, size, len(chunk)):
                self.wfile.write(chunk)
        except OSError:
            pass  # the client stopped reading, as it should

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("content-length", "100")
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b"x")
                time.sleep(0.05)
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    seen: list[dict[str, Any]]

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass

    @property
    def port(self) -> int:
        return int(self.server_address[1])


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def seen(server: _Server) -> list[dict[str, Any]]:
    server.seen.clear()
    return server.seen


# --------------------------------------------------------------------------------------------
# Fakes: a resolver, and the socket layer
# --------------------------------------------------------------------------------------------


class FakeResolver:
    """Answers from a table; a list of lists gives one answer per call (the last one repeats)."""

    def __init__(self, table: dict[str, list[str] | list[list[str]]] | None = None) -> None:
        self.table = table or {}
        self.calls: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        answers = self.table.get(host)
        if answers is None:
            raise OSError(f"fake resolver: no such host {host}")
        if answers and isinstance(answers[0], list):
            index = min(sum(1 for h, _ in self.calls if h == host), len(answers)) - 1
            return list(answers[index])
        return [str(a) for a in answers]


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Record every address the fetcher opens a socket to; carry it to 127.0.0.1, same port."""
    calls: list[tuple[str, int]] = []
    original = httpcore.AnyIOBackend.connect_tcp

    async def connect_tcp(
        self: httpcore.AnyIOBackend, host: str, port: int, **kwargs: Any
    ) -> httpcore.AsyncNetworkStream:
        calls.append((host, port))
        ipaddress.ip_address(host)  # the fetcher only ever connects by IP
        return await original(self, "127.0.0.1", port, **kwargs)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", connect_tcp)
    return calls


def public_fetcher(**table: list[str] | list[list[str]]) -> tuple[SafeFetcher, FakeResolver]:
    resolver = FakeResolver({"public.test": [PUBLIC_IP], "other.test": [OTHER_PUBLIC_IP], **table})
    return SafeFetcher(resolver=resolver), resolver


# --------------------------------------------------------------------------------------------
# Syntactic refusals: no resolver, no socket
# --------------------------------------------------------------------------------------------

LOOPBACK_SPELLINGS = [
    "http://127.0.0.1/",
    "http://2130706433/",  # decimal
    "http://0177.0.0.1/",  # octal
    "http://0x7f.0.0.1/",  # hex
    "http://0x7f000001/",
    "http://0x7F.1/",
    "http://127.1/",  # short form
    "http://127.0.1/",
    "http://0177.1/",
    "http://017700000001/",
    "http://127.0.0.1./",  # trailing dot
    "http://127.0.0.1:8080/admin",
    "http://user:pw@127.0.0.1/",
    "https://127.0.0.1/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]/",
]


@pytest.mark.parametrize("url", LOOPBACK_SPELLINGS)
def test_every_spelling_of_loopback_is_refused(url: str) -> None:
    with pytest.raises(BlockedURLError, match=r"127\.0\.0\.1.*loopback.*only public addresses"):
        SafeFetcher().check_url(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://0.0.0.0/", "0.0.0.0, which is the unspecified address"),
        ("http://0/", "0.0.0.0, which is the unspecified address"),
        ("http://0.1.2.3/", "'this network'"),
        ("http://[::]/", "::, which is the unspecified address"),
        ("http://[::1]/", "::1, which is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254, which is the link-local"),
        ("http://[::ffff:169.254.169.254]/", "169.254.169.254, the link-local cloud metadata"),
        ("http://0xa9fea9fe/", "169.254.169.254"),
        ("http://169.254.1.1/", "a link-local address"),
        ("http://10.0.0.1/", "10.0.0.1, which is a private address"),
        ("http://10.255.255.255/", "a private address"),
        ("http://012.1/", "10.0.0.1, which is a private address"),
        ("http://172.16.0.1/", "172.16.0.1, which is a private address"),
        ("http://172.31.255.255/", "a private address"),
        ("http://192.168.1.1/", "192.168.1.1, which is a private address"),
        ("http://100.64.0.1/", "100.64.0.1, which is a shared carrier-grade NAT address"),
        ("http://100.127.255.254/", "carrier-grade NAT"),
        ("http://224.0.0.1/", "a multicast address"),
        ("http://240.0.0.1/", "a reserved address"),
        ("http://255.255.255.255/", "255.255.255.255"),
        ("http://192.0.2.1/", "not a globally routable address"),  # TEST-NET-1
        ("http://[fe80::1]/", "a link-local address"),
        ("http://[fe80::1%25eth0]/", "a link-local address"),
        ("http://[fc00::1]/", "a unique local (private) address"),
        ("http://[fd00:ec2::254]/", "a unique local (private) address"),  # AWS metadata over IPv6
        ("http://[ff02::1]/", "a multicast address"),
        ("http://[::7f00:1]/", "IPv4-compatible address wrapping 127.0.0.1"),
        ("http://[2002:7f00:1::]/", "6to4 address wrapping 127.0.0.1, a loopback address"),
        ("http://[2002:a00:1::]/", "6to4 address wrapping 10.0.0.1, a private address"),
        ("http://[2002:a9fe:a9fe::]/", "6to4 address wrapping 169.254.169.254"),
        # Teredo: server 65.54.227.120, client 10.0.0.1 (stored inverted: f5ff:fffe)
        ("http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/", "Teredo address wrapping 10.0.0.1"),
        ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "Teredo address wrapping 127.0.0.1"),
        ("http://[64:ff9b::7f00:1]/", "NAT64 address wrapping 127.0.0.1, a loopback address"),
        ("http://[64:ff9b::a9fe:a9fe]/", "NAT64 address wrapping 169.254.169.254"),
        ("http://[64:ff9b:1::a00:1]/", "a local-use NAT64 address"),
    ],
)
def test_non_public_addresses_are_refused(url: str, reason: str) -> None:
    with pytest.raises(BlockedURLError) as caught:
        SafeFetcher().check_url(url)
    message = str(caught.value)
    assert reason in message
    assert message.startswith(url)
    assert message.endswith("only public addresses are allowed")


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/",
        "http://LOCALHOST:8080/",
        "http://localhost./",
        "http://foo.localhost/",
        "http://a.b.localhost/x",
    ],
)
async def test_localhost_names_are_refused_without_resolving(
    url: str, connects: list[tuple[str, int]]
) -> None:
    resolver = FakeResolver({"localhost": ["93.184.216.34"], "foo.localhost": [PUBLIC_IP]})
    fetcher = SafeFetcher(resolver=resolver)
    with pytest.raises(BlockedURLError, match="loopback host"):
        fetcher.check_url(url)
    with pytest.raises(BlockedURLError, match="loopback host"):
        await fetcher.request("GET", url)
    await fetcher.aclose()
    assert resolver.calls == []
    assert connects == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://public.test:70/_GET",
        "ftp://public.test/",
        "data:text/plain,hello",
        "javascript:alert(1)",
        "ws://public.test/",
        "dict://public.test:11211/stat",
        "public.test/path",
        "//public.test/path",
    ],
)
async def test_non_http_schemes_are_refused(url: str, connects: list[tuple[str, int]]) -> None:
    fetcher, resolver = public_fetcher()
    with pytest.raises(BlockedURLError, match="only http and https URLs are allowed"):
        fetcher.check_url(url)
    with pytest.raises(BlockedURLError, match="only http and https URLs are allowed"):
        await fetcher.get_bytes(url, max_bytes=100)
    await fetcher.aclose()
    assert resolver.calls == []
    assert connects == []


@pytest.mark.parametrize(
    "url",
    ["http://1.2.3.4.5/", "http://1.2.3.09/", "http://256.0.0.1/", "http://1.0x1000000/"],
)
async def test_numeric_hosts_that_are_no_address_never_reach_a_resolver(
    url: str, connects: list[tuple[str, int]]
) -> None:
    resolver = FakeResolver()
    fetcher = SafeFetcher(resolver=resolver)
    with pytest.raises(BlockedURLError, match="not a valid"):
        await fetcher.request("GET", url)
    await fetcher.aclose()
    assert resolver.calls == []
    assert connects == []


@pytest.mark.parametrize(
    "url",
    [
        "http://8.8.8.8/",
        "http://172.15.255.255/",
        "http://172.32.0.1/",
        "http://100.63.255.255/",
        "http://100.128.0.1/",
        "http://[2606:4700:4700::1111]/",
        "http://[::ffff:8.8.8.8]/",
        "http://[2002:808:808::]/",  # 6to4 around a public address
        "http://[64:ff9b::808:808]/",  # NAT64 around a public address
        "https://example.com/some/path?q=1",
    ],
)
def test_public_addresses_and_names_pass_the_syntactic_check(url: str) -> None:
    assert SafeFetcher().check_url(url) == httpx.URL(url)


def test_legacy_ipv4_spellings_are_normalised() -> None:
    fetcher = SafeFetcher()
    assert str(fetcher.check_url("http://0x08080808/a?b=1")) == "http://8.8.8.8/a?b=1"
    assert str(fetcher.check_url("http://134744072:8080/")) == "http://8.8.8.8:8080/"
    assert str(fetcher.check_url("http://8.8.2056/")) == "http://8.8.8.8/"


def test_allow_private_networks_lifts_only_the_address_check() -> None:
    fetcher = SafeFetcher(allow_private_networks=True)
    assert str(fetcher.check_url("http://127.1:8000/")) == "http://127.0.0.1:8000/"
    assert fetcher.check_url("http://localhost/") == httpx.URL("http://localhost/")
    assert fetcher.check_url("http://10.0.0.1/") == httpx.URL("http://10.0.0.1/")
    with pytest.raises(BlockedURLError, match="file: scheme"):
        fetcher.check_url("file:///etc/passwd")


# --------------------------------------------------------------------------------------------
# Resolution and pinning
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "address"),
    [
        (["10.0.0.7"], "10.0.0.7, which is a private address"),
        (["127.0.0.1", "::1"], "127.0.0.1, which is a loopback address"),
        (["169.254.169.254"], "169.254.169.254"),
        (["::ffff:192.168.0.1"], "192.168.0.1, a private address"),
        (["100.100.100.200"], "carrier-grade NAT"),  # Alibaba Cloud metadata
    ],
)
async def test_a_name_that_resolves_to_a_private_address_is_refused(
    answers: list[str], address: str, server: _Server, connects: list[tuple[str, int]]
) -> None:
    fetcher, resolver = public_fetcher(**{"intranet.test": answers})
    url = f"http://intranet.test:{server.port}/ok"
    assert fetcher.check_url(url) == httpx.URL(url)  # a name passes the syntactic check...
    with pytest.raises(BlockedURLError) as caught:
        await fetcher.request("GET", url)  # ...and is refused at connect time
    await fetcher.aclose()
    assert str(caught.value).startswith(f"{url} resolves to {answers[0]}")
    assert address in str(caught.value)
    assert resolver.calls == [("intranet.test", server.port)]
    assert connects == []


async def test_the_connection_goes_to_the_address_that_was_checked(
    server: _Server, seen: list[dict[str, Any]], connects: list[tuple[str, int]]
) -> None:
    """DNS rebinding: public on the first lookup, private on every later one."""
    fetcher, resolver = public_fetcher(**{"rebind.test": [[PUBLIC_IP], ["10.0.0.1"]]})
    url = f"http://rebind.test:{server.port}/ok"
    response = await fetcher.request("GET", url)
    assert response.status_code == 200
    assert response.content == b"hello"
    assert resolver.calls == [("rebind.test", server.port)]  # resolved once
    assert connects == [(PUBLIC_IP, server.port)]  # connected to what was checked
    assert seen[-1]["host"] == f"rebind.test:{server.port}"  # Host header keeps the name
    # The server closed that connection (HTTP/1.0); a new one resolves again, and is refused.
    with pytest.raises(BlockedURLError, match=r"10\.0\.0\.1, which is a private address"):
        await fetcher.request("GET", url)
    await fetcher.aclose()
    assert connects == [(PUBLIC_IP, server.port)]


async def test_a_mixed_answer_connects_only_to_the_public_address(
    server: _Server, connects: list[tuple[str, int]]
) -> None:
    fetcher, _ = public_fetcher(**{"mixed.test": ["10.0.0.1", "127.0.0.1", PUBLIC_IP, "::1"]})
    response = await fetcher.request("GET", f"http://mixed.test:{server.port}/ok")
    await fetcher.aclose()
    assert response.status_code == 200
    assert connects == [(PUBLIC_IP, server.port)]


async def test_a_resolver_answer_that_is_no_ip_is_refused(connects: list[tuple[str, int]]) -> None:
    fetcher, _ = public_fetcher(**{"odd.test": ["localhost"]})
    with pytest.raises(BlockedURLError, match="not an IP address"):
        await fetcher.request("GET", "http://odd.test/")
    await fetcher.aclose()
    assert connects == []


async def test_an_unknown_host_is_a_connect_error(connects: list[tuple[str, int]]) -> None:
    fetcher, _ = public_fetcher()
    with pytest.raises(httpx.ConnectError, match=r"cannot resolve nowhere\.test"):
        await fetcher.request("GET", "http://nowhere.test/")
    await fetcher.aclose()
    assert connects == []


async def test_tls_verifies_the_hostname_not_the_pinned_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pinning changes where the socket goes, not the name used for SNI and the certificate."""
    tls: list[str | None] = []
    connected: list[str] = []

    class Stream(httpcore.AsyncNetworkStream):
        async def start_tls(
            self,
            ssl_context: Any,
            server_hostname: str | None = None,
            timeout: Any = None,
        ) -> httpcore.AsyncNetworkStream:
            tls.append(server_hostname)
            raise httpcore.ConnectError("stopped by the test before the handshake")

        async def aclose(self) -> None:
            pass

    async def connect_tcp(
        self: httpcore.AnyIOBackend, host: str, port: int, **kwargs: Any
    ) -> httpcore.AsyncNetworkStream:
        connected.append(host)
        return Stream()

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", connect_tcp)
    fetcher, _ = public_fetcher()
    with pytest.raises(httpx.ConnectError, match="stopped by the test"):
        await fetcher.request("GET", "https://public.test/")
    await fetcher.aclose()
    assert connected == [PUBLIC_IP]
    assert tls == ["public.test"]


async def test_a_slow_resolver_times_out(connects: list[tuple[str, int]]) -> None:
    async def slow(host: str, port: int) -> list[str]:
        await anyio.sleep(10)
        return [PUBLIC_IP]

    async with SafeFetcher(resolver=slow, timeout=0.2) as fetcher:
        with pytest.raises(httpx.TimeoutException):
            await fetcher.request("GET", "http://slow.test/")
    assert connects == []


async def test_default_resolver_answers_ip_strings() -> None:
    assert await _default_resolver("127.0.0.1", 80) == ["127.0.0.1"]


# --------------------------------------------------------------------------------------------
# Redirects
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254, which is the link-local"),
        ("http://127.0.0.1/", "127.0.0.1, which is a loopback address"),
        ("http://2130706433/", "127.0.0.1, which is a loopback address"),
        ("http://[::ffff:10.0.0.1]/", "10.0.0.1, a private address"),
        ("http://localhost/", "loopback host"),
        ("http://internal.test/", "10.1.2.3, which is a private address"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://public.test/", "only http and https"),
    ],
)
async def test_a_redirect_to_a_private_address_is_refused(
    target: str,
    expected: str,
    server: _Server,
    seen: list[dict[str, Any]],
    connects: list[tuple[str, int]],
) -> None:
    fetcher, _ = public_fetcher(**{"internal.test": ["10.1.2.3"]})
    url = str(httpx.URL(f"http://public.test:{server.port}/redirect", params={"to": target}))
    with pytest.raises(BlockedURLError) as caught:
        await fetcher.request("GET", url)
    await fetcher.aclose()
    message = str(caught.value)
    assert expected in message
    assert f"(reached from {url} after 1 redirect)" in message
    assert connects == [(PUBLIC_IP, server.port)]  # only the public first hop
    assert [r["path"] for r in seen] == ["/redirect"]


async def test_redirects_are_followed_and_recorded(
    server: _Server, seen: list[dict[str, Any]], connects: list[tuple[str, int]]
) -> None:
    fetcher, _ = public_fetcher()
    second = f"http://other.test:{server.port}/redirect?to=/ok"
    url = str(httpx.URL(f"http://public.test:{server.port}/redirect", params={"to": second}))
    response = await fetcher.request("GET", url, headers={"Authorization": "Bearer user-secret"})
    await fetcher.aclose()
    assert response.status_code == 200
    assert response.content == b"hello"
    assert str(response.url) == f"http://other.test:{server.port}/ok"
    assert [str(hop.url) for hop in response.history] == [url, second]
    assert [hop.status_code for hop in response.history] == [302, 302]
    # Each hop's connection was resolved and pinned on its own (the server closes connections).
    assert connects == [(PUBLIC_IP, server.port)] + [(OTHER_PUBLIC_IP, server.port)] * 2
    # The credential went to the origin it was meant for, not across the redirect.
    assert [r["authorization"] for r in seen] == ["Bearer user-secret", None, None]


async def test_a_303_turns_a_post_into_a_get(
    server: _Server, seen: list[dict[str, Any]], connects: list[tuple[str, int]]
) -> None:
    fetcher, _ = public_fetcher()
    url = f"http://public.test:{server.port}/redirect?to=/ok&status=303"
    response = await fetcher.request("POST", url, content=b'{"a": 1}')
    await fetcher.aclose()
    assert response.status_code == 200
    assert [r["method"] for r in seen] == ["POST", "GET"]


async def test_follow_redirects_false_returns_the_redirect(
    server: _Server, connects: list[tuple[str, int]]
) -> None:
    fetcher, _ = public_fetcher()
    url = f"http://public.test:{server.port}/redirect?to=http://127.0.0.1/"
    response = await fetcher.request("GET", url, follow_redirects=False)
    await fetcher.aclose()
    assert response.status_code == 302
    assert response.headers["location"] == "http://127.0.0.1/"
    assert response.history == []


async def test_five_redirects_are_followed(
    server: _Server, connects: list[tuple[str, int]]
) -> None:
    fetcher, _ = public_fetcher()
    response = await fetcher.request("GET", f"http://public.test:{server.port}/chain/5")
    await fetcher.aclose()
    assert response.content == b"end of chain"
    assert [hop.url.path for hop in response.history] == [f"/chain/{n}" for n in range(5, 0, -1)]


async def test_more_than_five_redirects_are_refused(
    server: _Server, seen: list[dict[str, Any]], connects: list[tuple[str, int]]
) -> None:
    fetcher, _ = public_fetcher()
    url = f"http://public.test:{server.port}/chain/6"
    with pytest.raises(BlockedURLError, match="redirected more than 5 times"):
        await fetcher.request("GET", url)
    await fetcher.aclose()
    assert len(seen) == 6  # the sixth redirect is not followed


# --------------------------------------------------------------------------------------------
# A real server on 127.0.0.1
# --------------------------------------------------------------------------------------------


async def test_loopback_is_refused_by_default(server: _Server, seen: list[dict[str, Any]]) -> None:
    async with SafeFetcher() as fetcher:
        with pytest.raises(BlockedURLError, match="loopback"):
            await fetcher.request("GET", f"http://127.0.0.1:{server.port}/ok")
    assert seen == []


async def test_allow_private_networks_reaches_a_local_server(
    server: _Server, seen: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:9")  # trust_env=False: must be ignored
    monkeypatch.setenv("ALL_PROXY", "http://10.9.9.9:9")
    async with SafeFetcher(allow_private_networks=True) as fetcher:
        url = f"http://127.0.0.1:{server.port}/redirect?to=/chain/1"
        response = await fetcher.request("GET", url)
        assert response.status_code == 200
        assert response.content == b"end of chain"
        assert str(response.url) == f"http://127.0.0.1:{server.port}/chain/0"
        assert [hop.url.path for hop in response.history] == ["/redirect", "/chain/1"]
        assert seen[0]["user-agent"] == USER_AGENT


async def test_cookies_do_not_leak_between_fetches(
    server: _Server, seen: list[dict[str, Any]]
) -> None:
    async with SafeFetcher(allow_private_networks=True) as fetcher:
        await fetcher.request("GET", f"http://127.0.0.1:{server.port}/set-cookie")
        await fetcher.request("GET", f"http://127.0.0.1:{server.port}/ok")
    assert [r["cookie"] for r in seen] == [None, None]


async def test_get_bytes_returns_body_type_and_final_url(server: _Server) -> None:
    async with SafeFetcher(allow_private_networks=True) as fetcher:
        url = f"http://127.0.0.1:{server.port}/redirect?to=/image"
        body, content_type, final = await fetcher.get_bytes(url, max_bytes=1024)
    assert body == b"\x89PNG fake"
    assert content_type == "image/png"
    assert final == f"http://127.0.0.1:{server.port}/image"


@pytest.mark.parametrize("declared", ["1", "0"])
async def test_get_bytes_over_max_bytes_raises(server: _Server, declared: str) -> None:
    async with SafeFetcher(allow_private_networks=True) as fetcher:
        url = f"http://127.0.0.1:{server.port}/big?n=4000000&declared={declared}"
        with pytest.raises(ValueError, match="100000") as caught:
            await fetcher.get_bytes(url, max_bytes=100_000)
    assert not isinstance(caught.value, BlockedURLError)


async def test_get_bytes_raises_for_an_error_status(server: _Server) -> None:
    async with SafeFetcher(allow_private_networks=True) as fetcher:
        with pytest.raises(httpx.HTTPStatusError):
            await fetcher.get_bytes(f"http://127.0.0.1:{server.port}/missing", max_bytes=1024)


async def test_request_caps_the_body_too(server: _Server) -> None:
    async with SafeFetcher(allow_private_networks=True, max_response_bytes=1000) as fetcher:
        with pytest.raises(ValueError, match="1000"):
            await fetcher.request("GET", f"http://127.0.0.1:{server.port}/big?n=70000")


async def test_timeout_bounds_the_whole_call(server: _Server) -> None:
    """A server that drips a byte every 50 ms never trips a read timeout; the deadline does."""
    started = time.monotonic()
    async with SafeFetcher(allow_private_networks=True, timeout=0.3) as fetcher:
        with pytest.raises(httpx.TimeoutException, match=r"did not complete within 0\.3 s"):
            await fetcher.get_bytes(f"http://127.0.0.1:{server.port}/drip", max_bytes=1000)
    assert time.monotonic() - started < 2
