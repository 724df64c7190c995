"""Who is calling: api keys (SHA-256 hashes) exchanged for HS256 JWTs with revocable ``jti``s."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import jwt

from .errors import Unauthorized
from .vault import SYSTEM

if TYPE_CHECKING:
    from .settings import Settings
    from .store import CustomerRecord, Store
    from .vault import Vault

ISSUER = "endpointr"
AUDIENCE = "endpointr"
ALGORITHM = "HS256"
API_KEY_PREFIX = "epk_"
Reason = Literal["missing", "expired", "revoked", "bad_signature", "malformed"]
_REQUIRED = ["iss", "aud", "sub", "jti", "iat", "exp"]
_MESSAGES: dict[Reason, str] = {
    "missing": "no Bearer token: exchange your api_key at POST /v1/token",
    "expired": "the token has expired: rotate it (PATCH /v1/token) or exchange your api_key again",
    "revoked": "the token was revoked: exchange your api_key at POST /v1/token",
    "bad_signature": "the token was not issued by this gateway",
    "malformed": "the Bearer value is not a well-formed token",
}


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


class TokenError(Exception):
    def __init__(self, reason: Reason, claims: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.reason: Reason = reason
        self.claims = claims

    def as_http(self) -> Unauthorized:
        return Unauthorized(_MESSAGES[self.reason], code=f"token_{self.reason}")


@dataclass(frozen=True, slots=True)
class Issued:
    token: str
    claims: dict[str, Any]


class Authenticator:
    def __init__(self, store: Store, vault: Vault, settings: Settings) -> None:
        self._store = store
        self._vault = vault
        self._ttl = settings.jwt_ttl
        self._key: bytes | None = None

    async def _signing_key(self) -> bytes:
        if self._key is None:
            stored = await self._vault.get_or_add(
                SYSTEM, "system", "jwt-signing-key", secrets.token_hex(32)
            )
            self._key = bytes.fromhex(stored)
        return self._key

    async def customer_for_api_key(self, api_key: str) -> CustomerRecord | None:
        return await self._store.customers.by_api_key_hash(hash_api_key(api_key))

    async def issue(self, customer: CustomerRecord) -> Issued:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(customer.id),
            "jti": uuid.uuid4().hex,
            "iat": now,
            "exp": now + self._ttl,
        }
        token = jwt.encode(claims, await self._signing_key(), algorithm=ALGORITHM)
        return Issued(token, claims)

    async def decode(self, token: str) -> dict[str, Any]:
        """Verified claims; raises :class:`TokenError` with the contract's reason."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                await self._signing_key(),
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": _REQUIRED, "verify_exp": False},
            )
        except (jwt.InvalidSignatureError, jwt.InvalidAudienceError, jwt.InvalidIssuerError):
            raise TokenError("bad_signature") from None
        except jwt.PyJWTError:
            raise TokenError("malformed") from None
        if claims["exp"] <= time.time():
            raise TokenError("expired", claims)
        if await self._store.revoked_tokens.is_revoked(claims["jti"]):
            raise TokenError("revoked", claims)
        return claims

    async def authenticate(self, token: str | None) -> tuple[CustomerRecord, dict[str, Any]]:
        if not token:
            raise TokenError("missing").as_http()
        try:
            claims = await self.decode(token)
        except TokenError as exc:
            raise exc.as_http() from None
        customer = await self._store.customers.get(int(claims["sub"]))
        if customer is None:  # deleted since the token was issued
            raise TokenError("revoked").as_http()
        return customer, claims

    async def revoke(self, claims: dict[str, Any]) -> None:
        await self._store.revoked_tokens.revoke(claims["jti"], int(claims["sub"]), claims["exp"])
