"""The SSRF-safe fetcher: the one way the gateway fetches a URL that a *user* supplied.

Image URLs, crawlers, redirect inspection, mirrors and outbound webhook targets all go through
:class:`SafeFetcher`. The rules:

* http and https only.
* Literal hosts are read the way a resolver would read them: the legacy IPv4 spellings that
  ``inet_aton`` accepts (``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``) denote the address
  they spell, and a host that ends in a number but is no valid address is refused, so it never
  reaches a resolver that might read it differently. ``localhost`` and ``*.localhost`` are refused
  without resolving.
* Every other host is resolved once per connection, every answer is checked, and the socket is
  opened to the exact address that was checked: there is no second lookup, so DNS rebinding has
  nothing to race.
* An address must be globally routable. IPv4-mapped IPv6 is unwrapped and judged as IPv4; 6to4,
  Teredo and NAT64 (64:ff9b::/96) are unwrapped and refused when what they wrap is refused.
* Redirects are followed by hand, at most ``max_redirects`` hops, and every hop is checked again.

Why httpcore's network backend is the hook: it is the one place that sees the (host, port) of a
*new* connection and returns the socket. Checking the URL beforehand and then letting the
transport resolve again would leave a time-of-check/time-of-use gap (DNS rebinding); a custom
backend resolves, checks and connects in one step. TLS still uses the URL's hostname, because
httpcore passes ``server_hostname`` to ``start_tls`` from the request's origin, not from the
address the socket was opened to, so SNI and certificate checks are unaffected by pinning.

``allow_private_networks`` (the operator setting of that name) turns the address check off, for
tests and a developer's own machine; scheme checks, pinning and the redirect limit stay on.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import anyio
import httpcore
import httpx

from .pool import transport_with
from .upstream import USER_AGENT

__all__ = ["BlockedURLError", "Resolver", "SafeFetcher"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

Resolver = Callable[[str, int], Awaitable[list[str]]]
"""``(host, port) -> IP address strings``. Called once for every new connection."""

_ALLOWED_SCHEMES = ("http", "https")
_METADATA_V4 = ipaddress.IPv4Address("169.254.169.254")
_CGNAT_V4 = ipaddress.IPv4Network("100.64.0.0/10")
_PRIVATE_V4 = tuple(
    ipaddress.IPv4Network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
_UNIQUE_LOCAL_V6 = ipaddress.IPv6Network("fc00::/7")
_THIS_NETWORK_V4 = ipaddress.IPv4Network("0.0.0.0/8")
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_SENSITIVE_HEADERS = ("authorization", "proxy-authorization", "cookie")
_BODY_HEADERS = ("content-length", "content-type", "transfer-encoding", "content-encoding")
_DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024

_DEC_LABEL = re.compile(r"[0-9]+", re.ASCII)
_HEX_LABEL = re.compile(r"0[xX][0-9a-fA-F]*", re.ASCII)
_OCT_LABEL = re.compile(r"0[0-7]+", re.ASCII)


class BlockedURLError(ValueError):
    """A user-supplied URL was refused; the message says which URL or address and why."""


class _AddressRefused(BlockedURLError):
    """Raised inside the network backend; :class:`SafeFetcher` rewrites it with the hop's URL."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        self.host = host
        self.address = address
        self.reason = reason
        super().__init__(f"{host} resolves to {address}, which is {reason}; {_ONLY_PUBLIC}")


_ONLY_PUBLIC = "only public addresses are allowed"


# --------------------------------------------------------------------------------------------
# Host and address rules
# --------------------------------------------------------------------------------------------


def _ends_in_number(labels: list[str]) -> bool:
    """The WHATWG URL rule: a host whose last label is numeric must be an IPv4 address."""
    last = labels[-1]
    return bool(_DEC_LABEL.fullmatch(last) or _HEX_LABEL.fullmatch(last))


def _parse_ipv4_label(label: str) -> int | None:
    if _HEX_LABEL.fullmatch(label):
        return int(label[2:] or "0", 16)
    if _OCT_LABEL.fullmatch(label):
        return int(label, 8)
    if _DEC_LABEL.fullmatch(label):
        return int(label, 10)
    return None


def _parse_legacy_ipv4(labels: list[str]) -> ipaddress.IPv4Address | None:
    """``inet_aton``/WHATWG IPv4: 1-4 parts, each decimal, ``0x`` hex or ``0`` octal."""
    if not 1 <= len(labels) <= 4:
        return None
    parts: list[int] = []
    for label in labels:
        part = _parse_ipv4_label(label)
        if part is None:
            return None
        parts.append(part)
    *leading, last = parts
    if any(part > 0xFF for part in leading) or last >= 1 << (8 * (5 - len(parts))):
        return None
    value = last
    for index, part in enumerate(leading):
        value |= part << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


class _NotAnAddress(ValueError):
    pass


def _literal_address(host: str) -> IPAddress | None:
    """The address a URL host denotes if it is a literal, ``None`` if it is a name.

    Raises :class:`_NotAnAddress` for a host that looks numeric but is no valid address: it must
    never be handed to a resolver, whose reading of it we cannot predict.
    """
    if ":" in host:  # only IPv6 literals contain colons once the port is split off
        try:
            return ipaddress.IPv6Address(host.strip("[]").replace("%25", "%"))
        except ValueError:
            raise _NotAnAddress(f"{host!r} is not a valid IPv6 address") from None
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()  # one trailing dot is the DNS root, as in "127.0.0.1."
    if not _ends_in_number(labels):
        return None
    address = _parse_legacy_ipv4(labels)
    if address is None:
        raise _NotAnAddress(f"{host!r} looks like an IPv4 address but is not a valid one")
    return address


def _is_localhost_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


def _v4_refusal(ip: ipaddress.IPv4Address) -> str | None:
    if ip.is_unspecified:
        return "the unspecified address"
    if ip in _THIS_NETWORK_V4:
        return "a 'this network' address"
    if ip.is_loopback:
        return "a loopback address"
    if ip == _METADATA_V4:
        return "the link-local cloud metadata address"
    if ip.is_link_local:
        return "a link-local address"
    if ip in _CGNAT_V4:
        return "a shared carrier-grade NAT address"
    if any(ip in net for net in _PRIVATE_V4):
        return "a private address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private or not ip.is_global:
        return "not a globally routable address"
    return None


def _v6_refusal(ip: ipaddress.IPv6Address) -> str | None:
    # Wrapped IPv4 first: Python's is_global does not look inside these (and has changed
    # between releases), so the embedded address is judged explicitly.
    if ip in _NAT64_WELL_KNOWN:
        inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        reason = _v4_refusal(inner)
        return f"a NAT64 address wrapping {inner}, {reason}" if reason else None
    if ip.sixtofour is not None:
        reason = _v4_refusal(ip.sixtofour)
        if reason:
            return f"a 6to4 address wrapping {ip.sixtofour}, {reason}"
    if ip.teredo is not None:
        server, client = ip.teredo
        for inner in (client, server):
            reason = _v4_refusal(inner)
            if reason:
                return f"a Teredo address wrapping {inner}, {reason}"
        return "a Teredo address, which is not globally routable"
    if ip.is_unspecified:
        return "the unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip in _IPV4_COMPATIBLE:
        inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        return f"a deprecated IPv4-compatible address wrapping {inner}"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_site_local:
        return "a site-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip in _NAT64_LOCAL_USE:
        return "a local-use NAT64 address"
    if ip in _UNIQUE_LOCAL_V6:
        return "a unique local (private) address"
    if ip.is_private or not ip.is_global:
        return "not a globally routable address"
    if ip.is_reserved:
        return "a reserved address"
    return None


def _refusal(ip: IPAddress) -> str | None:
    """Why ``ip`` may not be reached, or ``None`` when it is globally routable."""
    if isinstance(ip, ipaddress.IPv4Address):
        return _v4_refusal(ip)
    if ip.ipv4_mapped is not None:
        reason = _v4_refusal(ip.ipv4_mapped)
        return f"an IPv4-mapped address for {ip.ipv4_mapped}, {reason}" if reason else None
    return _v6_refusal(ip)


def _show(ip: IPAddress) -> str:
    """An address as people write it: ``::ffff:127.0.0.1`` rather than ``::ffff:7f00:1``."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return f"::ffff:{ip.ipv4_mapped}"
    return str(ip)


def _connect_address(ip: IPAddress) -> str:
    """The string to open the socket to: IPv4-mapped addresses are opened as the IPv4 they map."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


async def _default_resolver(host: str, port: int) -> list[str]:
    """``getaddrinfo`` in a worker thread (anyio), so the event loop never blocks on DNS."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


# --------------------------------------------------------------------------------------------
# The pinning network backend
# --------------------------------------------------------------------------------------------


class _PinningBackend(httpcore.AsyncNetworkBackend):
    """Resolve once, check every answer, open the socket to a checked address by IP."""

    def __init__(self, *, resolver: Resolver, allow_private_networks: bool) -> None:
        self._resolver = resolver
        self._allow_private = allow_private_networks
        self._inner = httpcore.AnyIOBackend()

    async def _addresses(self, host: str, port: int, connect_timeout: float | None) -> list[str]:
        try:
            literal = _literal_address(host)
        except _NotAnAddress as exc:
            raise BlockedURLError(str(exc)) from None
        if literal is not None:
            candidates = [literal]
        elif _is_localhost_name(host) and not self._allow_private:
            raise BlockedURLError(f"{host} is a loopback host name; {_ONLY_PUBLIC}")
        else:
            try:
                with anyio.fail_after(connect_timeout):
                    answers = await self._resolver(host, port)
            except TimeoutError:
                raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
            except OSError as exc:
                raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
            candidates = []
            for answer in answers:
                try:
                    candidates.append(ipaddress.ip_address(answer))
                except ValueError:
                    raise BlockedURLError(
                        f"the resolver answered {answer!r} for {host}, which is not an IP address"
                    ) from None
            if not candidates:
                raise httpcore.ConnectError(f"{host} did not resolve to any address")
        if self._allow_private:
            allowed = candidates
        else:
            allowed = [ip for ip in candidates if _refusal(ip) is None]
            if not allowed:
                first = candidates[0]
                raise _AddressRefused(host, _show(first), _refusal(first) or "refused")
        # Deduplicate, keep the resolver's order.
        return list(dict.fromkeys(_connect_address(ip) for ip in allowed))

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._addresses(host, port, timeout)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        if error is None:  # pragma: no cover - _addresses never returns an empty list
            raise httpcore.ConnectError(f"no address to connect to for {host}")
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedURLError("unix sockets are never reachable through the safe fetcher")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _safe_transport(backend: _PinningBackend) -> httpx.AsyncHTTPTransport:
    """An ordinary httpx transport whose connection pool connects through ``backend``."""
    return transport_with(backend, max_connections=100, max_keepalive_connections=20)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


# --------------------------------------------------------------------------------------------
# The fetcher
# --------------------------------------------------------------------------------------------


class SafeFetcher:
    """Fetch user-supplied URLs without reaching loopback, private or metadata addresses.

    ``timeout`` bounds a whole call (every hop and the body), not only each socket operation, so
    a server that drips one byte at a time cannot hold a request open. ``max_response_bytes``
    bounds the body :meth:`request` reads (decoded size); :meth:`get_bytes` takes its own limit.
    Responses never set cookies on the fetcher: one user's fetch must not carry another's cookies.
    """

    def __init__(
        self,
        *,
        allow_private_networks: bool = False,
        resolver: Resolver | None = None,
        timeout: float = 30.0,
        max_redirects: int = 5,
        max_response_bytes: int = _DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self._allow_private = allow_private_networks
        self._timeout = timeout
        self._max_redirects = max_redirects
        self._max_response_bytes = max_response_bytes
        backend = _PinningBackend(
            resolver=resolver or _default_resolver, allow_private_networks=allow_private_networks
        )
        self._client = httpx.AsyncClient(
            transport=_safe_transport(backend),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"user-agent": USER_AGENT},
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            follow_redirects=False,
            trust_env=False,
        )

    # -- checks ------------------------------------------------------------------------------

    def check_url(self, url: str | httpx.URL) -> httpx.URL:
        """Parse ``url`` and apply every check that needs no DNS.

        Returns the URL to fetch, with a literal IPv4 host in any legacy spelling rewritten to
        its dotted-quad form. Raises :class:`BlockedURLError`.
        """
        try:
            parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as exc:
            raise self._invalid(str(url), exc) from None
        if parsed.scheme not in _ALLOWED_SCHEMES:
            scheme = f"the {parsed.scheme}: scheme" if parsed.scheme else "no scheme"
            raise BlockedURLError(f"{url} uses {scheme}; only http and https URLs are allowed")
        host = parsed.host
        if not host:
            raise BlockedURLError(f"{url} has no host")
        try:
            literal = _literal_address(host)
        except _NotAnAddress as exc:
            raise BlockedURLError(f"{url} is refused: {exc}") from None
        if literal is None:
            if _is_localhost_name(host) and not self._allow_private:
                raise BlockedURLError(
                    f"{url} names {host}, which is a loopback host; {_ONLY_PUBLIC}"
                )
            return parsed
        if not self._allow_private:
            reason = _refusal(literal)
            if reason:
                raise BlockedURLError(
                    f"{url} resolves to {_show(literal)}, which is {reason}; {_ONLY_PUBLIC}"
                )
        if isinstance(literal, ipaddress.IPv4Address) and host != str(literal):
            return parsed.copy_with(host=str(literal))
        return parsed

    def _invalid(self, url: str, exc: Exception) -> BlockedURLError:
        # httpx refuses some legacy spellings outright ("0177.0.0.1"); say what they denote.
        match = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/?#]*@)?([^:/?#\[\]]+)", url)
        if match and not self._allow_private:
            try:
                literal = _literal_address(match.group(1))
            except _NotAnAddress:
                literal = None
            reason = _refusal(literal) if literal is not None else None
            if literal is not None and reason:
                return BlockedURLError(
                    f"{url} resolves to {_show(literal)}, which is {reason}; {_ONLY_PUBLIC}"
                )
        return BlockedURLError(f"{url} is not a valid URL: {exc}")

    # -- fetching ------------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        follow_redirects: bool = True,
    ) -> httpx.Response:
        """Send a request, following redirects (each re-checked) unless told not to.

        The returned response is read (up to ``max_response_bytes``, else :class:`ValueError`).
        ``response.history`` holds every redirect hop in order, each closed without its body read
        (status, headers and URL are there; ``.content`` is not).
        """
        with _deadline(self._timeout, url):
            response = await self._send(method, url, headers, content, follow_redirects)
            try:
                body = await self._read_capped(response, self._max_response_bytes)
            finally:
                await response.aclose()
        # What Response.aread() does; a streamed response has no public way to keep its body.
        response._content = body
        return response

    async def get_bytes(self, url: str, *, max_bytes: int) -> tuple[bytes, str | None, str]:
        """GET ``url``; return ``(body, content type, final URL)``.

        Raises :class:`BlockedURLError`, ``httpx.HTTPStatusError`` for a 4xx/5xx answer, or
        :class:`ValueError` as soon as the body exceeds ``max_bytes`` (the rest is not read).
        """
        with _deadline(self._timeout, url):
            response = await self._send("GET", url, None, None, True)
            try:
                response.raise_for_status()
                body = await self._read_capped(response, max_bytes)
            finally:
                await response.aclose()
        return body, response.headers.get("content-type"), str(response.url)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> SafeFetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- internals -----------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        content: bytes | None,
        follow_redirects: bool,
    ) -> httpx.Response:
        """Send, following redirects by hand; return the final response unread (streaming)."""
        current = self.check_url(url)
        request_headers = httpx.Headers(headers)
        request_headers.pop("host", None)
        history: list[httpx.Response] = []
        while True:
            request = self._client.build_request(
                method, current, headers=request_headers, content=content
            )
            try:
                response = await self._client.send(request, stream=True, follow_redirects=False)
            except _AddressRefused as exc:
                raise BlockedURLError(
                    f"{current} resolves to {exc.address}, which is {exc.reason}; "
                    f"{_ONLY_PUBLIC}{_via(url, history)}"
                ) from None
            response.history = list(history)
            if not (follow_redirects and response.has_redirect_location):
                return response
            await response.aclose()
            history.append(response)
            location = response.headers["location"]
            if len(history) > self._max_redirects:
                raise BlockedURLError(
                    f"{url} redirected more than {self._max_redirects} times "
                    f"(the last hop pointed to {location})"
                )
            try:
                target = current.join(location)
                next_url = self.check_url(target)
            except httpx.InvalidURL as exc:
                raise BlockedURLError(
                    f"{current} redirected to {location!r}, not a valid URL: {exc}"
                ) from None
            except BlockedURLError as exc:
                raise BlockedURLError(f"{exc}{_via(url, history)}") from None
            status = response.status_code
            if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
                method = "GET"
                content = None
                for name in _BODY_HEADERS:
                    request_headers.pop(name, None)
            if _origin(next_url) != _origin(current):
                for name in _SENSITIVE_HEADERS:
                    request_headers.pop(name, None)
            current = next_url

    @staticmethod
    async def _read_capped(response: httpx.Response, limit: int) -> bytes:
        declared = response.headers.get("content-length", "")
        encoding = response.headers.get("content-encoding", "identity").lower()
        if declared.isdigit() and encoding == "identity" and int(declared) > limit:
            raise ValueError(f"{response.url} answered {declared} bytes; the limit is {limit}")
        chunks: list[bytes] = []
        total = 0
        async for chunk in response.aiter_bytes():
            total += len(chunk)
            if total > limit:
                raise ValueError(f"{response.url} answered more than {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


def _via(url: str, history: list[httpx.Response]) -> str:
    if not history:
        return ""
    hops = "1 redirect" if len(history) == 1 else f"{len(history)} redirects"
    return f" (reached from {url} after {hops})"


@contextlib.contextmanager
def _deadline(seconds: float, url: str) -> Iterator[None]:
    """A whole-call deadline (anyio's ``fail_after``), reported as an httpx timeout."""
    try:
        with anyio.fail_after(seconds):
            yield
    except TimeoutError:
        raise httpx.TimeoutException(f"{url} did not complete within {seconds:g} s") from None
