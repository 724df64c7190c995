"""The one ``httpx.AsyncClient`` the gateway uses for every upstream provider call.

Pooled, with a User-Agent, explicit timeouts, no redirects and ``trust_env=False`` (a stray
``HTTPS_PROXY`` in the server's environment must not reroute customers' credentials). It keeps
no cookies: it serves every customer, so a cookie one upstream answer sets must never be sent
with another customer's request. Being a plain httpx client, respx can mock every upstream in
tests.
"""

from __future__ import annotations

import sys
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

from ..._version import __version__

USER_AGENT = f"endpointr/{__version__}"


def new_client(timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=_transport(),
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        headers={"user-agent": USER_AGENT},
        follow_redirects=False,
        trust_env=False,
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
    )


def _transport() -> httpx.AsyncHTTPTransport:
    """Pooled; on Python 3.11+ over asyncio directly (``asyncio_backend.py`` says why)."""
    if sys.version_info >= (3, 11):
        from .asyncio_backend import AsyncioBackend
        from .pool import transport_with

        return transport_with(AsyncioBackend(), max_connections=200, max_keepalive_connections=40)
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=40)
    return httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
