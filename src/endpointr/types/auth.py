from __future__ import annotations

from datetime import datetime
from typing import Literal

from ._base import Model, Params

TokenReason = Literal["missing", "expired", "revoked", "bad_signature", "malformed"]


class TokenRequest(Params):
    api_key: str | None = None


class Token(Model):
    token: str
    token_type: str = "Bearer"
    jti: str
    expires_in: int
    expires_at: datetime

    def __repr__(self) -> str:  # a bearer credential: keep it out of logs and tracebacks
        return f"Token(jti={self.jti!r}, expires_at={self.expires_at.isoformat()!r})"

    __str__ = __repr__


class TokenUser(Model):
    id: int
    name: str


class TokenInfo(Model):
    valid: bool
    reason: TokenReason | None = None
    jti: str | None = None
    expires_in: int | None = None
    expired: bool = False
    revoked: bool = False
    user: TokenUser | None = None


class Revoked(Model):
    jti: str
    revoked: bool = True
