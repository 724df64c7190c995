"""httpx transports whose connection pool uses a network backend of ours.

httpx has no public way to pass httpcore a network backend, so the pool an
``httpx.AsyncHTTPTransport`` builds is replaced by an identical one that has it; the guard makes
an httpx change fail loudly rather than quietly drop the backend (the SSRF checks live in one).
"""

from __future__ import annotations

import functools
import ssl

import httpcore
import httpx


@functools.cache
def default_ssl_context() -> ssl.SSLContext:
    """httpx's default verifying context (certifi), built once: loading the CA bundle is slow."""
    return httpx.create_ssl_context(trust_env=False)


def transport_with(
    backend: httpcore.AsyncNetworkBackend,
    *,
    max_connections: int,
    max_keepalive_connections: int,
    keepalive_expiry: float = 5.0,
    ssl_context: ssl.SSLContext | None = None,
) -> httpx.AsyncHTTPTransport:
    context = ssl_context or default_ssl_context()
    transport = httpx.AsyncHTTPTransport(verify=context, trust_env=False)
    if not isinstance(getattr(transport, "_pool", None), httpcore.AsyncConnectionPool):
        raise RuntimeError("httpx.AsyncHTTPTransport no longer keeps its pool in _pool")
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=max_connections,
        max_keepalive_connections=max_keepalive_connections,
        keepalive_expiry=keepalive_expiry,
        network_backend=backend,
    )
    return transport
