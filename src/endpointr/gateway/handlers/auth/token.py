"""``/v1/token``: exchange an api_key for a JWT, introspect, rotate, revoke."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

from ....types.auth import Revoked, Token, TokenInfo, TokenRequest, TokenUser
from ...auth import Issued, TokenError
from ...errors import BadRequest, Unauthorized
from ...handler import Handler, route


def _token(issued: Issued) -> Token:
    exp = issued.claims["exp"]
    return Token(
        token=issued.token,
        jti=issued.claims["jti"],
        expires_in=exp - int(time.time()),
        expires_at=datetime.fromtimestamp(exp, timezone.utc),
    )


class TokenHandler(Handler):
    path = "/v1/token"

    @route("POST", "/v1/token", op="issue", auth="none")
    async def issue(self, body: TokenRequest) -> Token:
        """Exchange an api_key for a JWT (valid one hour)."""
        auth = self.ctx.gateway.auth
        if body.api_key:
            customer = await auth.customer_for_api_key(body.api_key)
            if customer is None:
                raise Unauthorized("invalid api_key", code="invalid_api_key")
        elif self.ctx.request.principal is not None:  # local mode: the client's own customer
            customer = await self.ctx.store.customers.get(self.ctx.request.principal)
        else:
            raise BadRequest("body.api_key is required", code="missing_api_key")
        if customer is None:
            raise Unauthorized("the customer no longer exists", code="unknown_customer")
        self.ctx.customer = customer
        return _token(await auth.issue(customer))

    @route("GET", "/v1/token", op="introspect", auth="none")
    async def introspect(self) -> TokenInfo:
        """Introspect the presented token without erroring on edge cases."""
        token = self.ctx.request.bearer()
        if not token:
            return TokenInfo(valid=False, reason="missing")
        claims: dict[str, Any] | None
        try:
            claims = await self.ctx.gateway.auth.decode(token)
            reason = None
        except TokenError as exc:
            claims, reason = exc.claims, exc.reason
        if claims is None:
            return TokenInfo(valid=False, reason=reason)
        customer = await self.ctx.store.customers.get(int(claims["sub"]))
        if customer is None and reason is None:
            reason = "revoked"
        self.ctx.customer = customer
        return TokenInfo(
            valid=reason is None,
            reason=reason,
            jti=claims["jti"],
            expires_in=max(0, int(claims["exp"] - time.time())),
            expired=claims["exp"] <= time.time(),
            revoked=reason == "revoked",
            user=TokenUser(id=customer.id, name=customer.name) if customer else None,
        )

    @route("PATCH", "/v1/token", op="rotate")
    async def rotate(self) -> Token:
        """Revoke the presented token and issue a fresh one."""
        assert self.ctx.claims is not None
        await self.ctx.gateway.auth.revoke(self.ctx.claims)
        return _token(await self.ctx.gateway.auth.issue(self.customer))

    @route("DELETE", "/v1/token", op="revoke")
    async def revoke(self) -> Revoked:
        """Revoke the presented token (log out)."""
        assert self.ctx.claims is not None
        await self.ctx.gateway.auth.revoke(self.ctx.claims)
        return Revoked(jti=self.ctx.claims["jti"])
