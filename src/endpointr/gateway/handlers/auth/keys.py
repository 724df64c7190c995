"""``/v1/keys``: the customer's PEM public key (RSA, at least 2048 bits)."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime, timezone

from ....types.keys import PublicKey, PublicKeyUpload
from ...errors import BadRequest, NotFound
from ...handler import Handler, route

MIN_BITS = 2048
_PRIVATE = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")


def inspect_public_key(pem: str) -> tuple[str, str, int, str]:
    """(normalised PEM, algorithm, bits, fingerprint), or a 400 that says what is wrong."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import dsa, rsa

    if _PRIVATE.search(pem):
        raise BadRequest(
            "publicKey holds a PRIVATE key, which must never be sent: upload its public half "
            "(openssl pkey -in key.pem -pubout)",
            code="private_key_rejected",
        )
    try:
        key = serialization.load_pem_public_key(pem.strip().encode())
    except (ValueError, TypeError):
        raise BadRequest(
            "publicKey is not a PEM public key (-----BEGIN PUBLIC KEY----- ...)",
            code="invalid_public_key",
        ) from None
    if isinstance(key, (rsa.RSAPublicKey, dsa.DSAPublicKey)):
        algorithm = "RSA" if isinstance(key, rsa.RSAPublicKey) else "DSA"
        bits = key.key_size
    else:
        raise BadRequest(
            f"a {type(key).__name__.removesuffix('PublicKey')} key is not accepted: upload an "
            f"RSA public key of at least {MIN_BITS} bits",
            code="unsupported_key_type",
        )
    if bits < MIN_BITS:
        raise BadRequest(
            f"the {algorithm} key is {bits} bits; at least {MIN_BITS} are required",
            code="key_too_short",
        )
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    pem_out = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    fingerprint = "SHA256:" + base64.b64encode(hashlib.sha256(der).digest()).decode().rstrip("=")
    return pem_out, algorithm, bits, fingerprint


def _model(pem: str, updated_at: float) -> PublicKey:
    pem, algorithm, bits, fingerprint = inspect_public_key(pem)
    return PublicKey(
        publicKey=pem,
        algorithm=algorithm,
        bits=bits,
        fingerprint=fingerprint,
        updated_at=datetime.fromtimestamp(updated_at, timezone.utc),
    )


class KeysHandler(Handler):
    path = "/v1/keys"

    @route("POST", "/v1/keys", op="create")
    async def upload(self, body: PublicKeyUpload) -> PublicKey:
        """Store your PEM public key (RSA, ≥ 2048 bits); it replaces the previous one."""
        pem = inspect_public_key(body.public_key)[0]
        updated_at = await self.ctx.store.public_keys.put(self.customer.id, pem)
        return _model(pem, updated_at)

    @route("GET", "/v1/keys", op="get")
    async def fetch(self) -> PublicKey:
        """The stored public key."""
        record = await self.ctx.store.public_keys.get(self.customer.id)
        if record is None:
            raise NotFound("no public key stored: upload one with POST /v1/keys", code="no_key")
        return _model(record.pem, record.updated_at)
