"""Verify (and produce) the signatures on Endpointr's outbound webhook deliveries.

Every delivery is a POST whose body is JSON ``{id, event, created_at, data}``, signed twice with
the secret that ``POST /v1/webhooks`` returned once:

* ``X-Endpointr-Signature: sha256=<hex>``: HMAC-SHA256 of the exact body, keyed with the secret
  string (the contract's scheme; GitHub's ``X-Hub-Signature-256`` works the same way);
* Standard Webhooks headers, which add replay protection: ``webhook-id`` (the event id, the
  same on every retry), ``webhook-timestamp`` (UNIX seconds of this attempt) and
  ``webhook-signature: v1,<base64>``, HMAC-SHA256 of ``id.timestamp.body`` keyed with the
  base64-decoded part of the secret after ``whsec_`` (so any Standard Webhooks library works).

A receiver::

    from endpointr.webhooks import verify
    from endpointr import WebhookVerificationError

    try:
        event = verify(request.body, request.headers, secret)   # the raw bytes, before parsing
    except WebhookVerificationError:
        return 400
    event["event"], event["data"]

This module needs only the standard library: receivers import it without the gateway.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from typing import Any

from ._errors import WebhookVerificationError

__all__ = [
    "SIGNATURE_HEADER",
    "TOLERANCE",
    "WebhookVerificationError",
    "new_secret",
    "sign",
    "signed_headers",
    "verify",
]

SIGNATURE_HEADER = "X-Endpointr-Signature"
TOLERANCE = 300  # seconds a delivery's timestamp may differ from the receiver's clock
_PREFIX = "whsec_"


def new_secret() -> str:
    """A fresh signing secret: ``whsec_`` and the base64 of 32 random bytes."""
    return _PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(payload: bytes, secret: str) -> str:
    """The ``X-Endpointr-Signature`` value: ``sha256=`` and the hex HMAC of ``payload``."""
    return "sha256=" + hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def _standard_key(secret: str) -> bytes:
    if secret.startswith(_PREFIX):
        try:
            return base64.b64decode(secret[len(_PREFIX) :], validate=True)
        except binascii.Error:
            pass
    return secret.encode()


def _standard_signature(msg_id: str, timestamp: str, payload: bytes, secret: str) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + payload
    digest = hmac.new(_standard_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(
    payload: bytes, secret: str, *, msg_id: str, timestamp: int | None = None
) -> dict[str, str]:
    """Every signature header of a delivery of ``payload``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        SIGNATURE_HEADER: sign(payload, secret),
        "webhook-id": msg_id,
        "webhook-timestamp": ts,
        "webhook-signature": _standard_signature(msg_id, ts, payload, secret),
    }


def verify(
    payload: bytes,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: int = TOLERANCE,
    now: float | None = None,
) -> Any:
    """Check a delivery and return its parsed JSON body.

    ``payload`` is the raw body exactly as received (parse it only afterwards); ``headers`` any
    mapping of the request's headers (names in any case). Requires the Standard Webhooks
    headers with a timestamp within ``tolerance`` seconds and a matching ``v1`` signature, and,
    when present, a matching ``X-Endpointr-Signature``. Comparisons are constant-time. Raises
    :class:`~endpointr.WebhookVerificationError` saying what failed.
    """
    if not isinstance(payload, (bytes, bytearray, memoryview)):
        raise TypeError("verify() takes the raw body as bytes, before any JSON parsing")
    body = bytes(payload)
    lower = {k.lower(): v for k, v in headers.items()}
    msg_id = lower.get("webhook-id")
    stamp = lower.get("webhook-timestamp")
    signature = lower.get("webhook-signature")
    if not (msg_id and stamp and signature):
        raise WebhookVerificationError(
            "missing webhook-id, webhook-timestamp or webhook-signature header"
        )
    try:
        sent = int(stamp)
    except ValueError:
        raise WebhookVerificationError(f"webhook-timestamp {stamp!r} is not a number") from None
    skew = (time.time() if now is None else now) - sent
    if abs(skew) > tolerance:
        when = "old" if skew > 0 else "far in the future"
        raise WebhookVerificationError(
            f"the delivery's timestamp is {abs(skew):.0f} s {when} (tolerance {tolerance} s)"
        )
    expected = _standard_signature(msg_id, stamp, body, secret)
    if not any(hmac.compare_digest(expected, given) for given in signature.split()):
        raise WebhookVerificationError("no webhook-signature matches this body and secret")
    ours = lower.get(SIGNATURE_HEADER.lower())
    if ours is not None and not hmac.compare_digest(sign(body, secret), ours.strip()):
        raise WebhookVerificationError(f"{SIGNATURE_HEADER} does not match this body and secret")
    try:
        return json.loads(body)
    except ValueError:
        raise WebhookVerificationError("the body is not JSON") from None
