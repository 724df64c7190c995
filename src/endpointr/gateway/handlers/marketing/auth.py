"""``/v1/marketing/auth``: what the stored Meta token is and may do, and extending it."""

from __future__ import annotations

from typing import Any

from ....types.marketing import (
    AuthQuery,
    DebugToken,
    ExtendedToken,
    Scopes,
    TokenExtend,
    TokenReport,
)
from ...errors import BadGateway
from ...providers.meta_graph import SERVICE, GraphClient
from ..credentials.credentials import load_credentials, store_credentials
from ._base import MarketingHandler


async def debug_token(graph: GraphClient) -> DebugToken:
    """Graph's ``/debug_token`` on the stored token, asked as the app when it can be."""
    token = graph.app_token if graph.app_id and graph.app_secret else graph.access_token
    answer = await graph.call(
        "GET", "debug_token", params={"input_token": graph.access_token}, token=token
    )
    return DebugToken.model_validate(answer.get("data") or {})


async def scopes(graph: GraphClient) -> Scopes:
    """``/me/permissions``, split into granted, declined and expired."""
    answer = await graph.get("me/permissions")
    out: dict[str, list[str]] = {"granted": [], "declined": [], "expired": []}
    for entry in answer.get("data") or []:
        out.setdefault(str(entry.get("status")), []).append(str(entry.get("permission")))
    return Scopes(granted=out["granted"], declined=out["declined"], expired=out["expired"])


class AuthHandler(MarketingHandler):
    sub_verbs = ("debug-token", "scopes", "extend")

    async def list(self, query: AuthQuery) -> TokenReport:
        """Inspect the stored token: ``/debug_token`` (type, expiry, scopes) and
        ``/me/permissions`` (granted vs declined), or one of them with ``action``."""
        graph = await self.graph()
        report = TokenReport()
        if query.action in (None, "debug-token"):
            report.debug_token = await debug_token(graph)
        if query.action in (None, "scopes"):
            report.scopes = await scopes(graph)
        return report

    async def create(self, body: TokenExtend) -> ExtendedToken:
        """``{action: "extend"}``: trade the stored short-lived user token for a ~60-day one
        (Meta's fb_exchange_token grant). ``store: true`` makes it the stored token instead
        of returning it."""
        self.op = "extend"
        graph = await self.graph()
        app_token = graph.app_token  # a 400 unless app_id and app_secret are stored
        answer: dict[str, Any] = await graph.call(
            "GET",
            "oauth/access_token",
            params={
                "grant_type": "fb_exchange_token",
                "client_id": graph.app_id,
                "client_secret": graph.app_secret,
                "fb_exchange_token": graph.access_token,
            },
            token=app_token,
        )
        token = ExtendedToken.model_validate(answer)
        if not token.access_token:
            raise BadGateway(
                "Meta's token exchange answered no access_token", code="meta_bad_answer"
            )
        if body.store:
            creds = await load_credentials(self.ctx.gateway, self.customer.id, SERVICE) or {}
            creds["access_token"] = token.access_token
            await store_credentials(self.ctx.gateway, self.customer.id, SERVICE, creds)
            token = ExtendedToken(
                token_type=token.token_type, expires_in=token.expires_in, stored=True
            )
        return token
