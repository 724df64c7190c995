"""Inbound webhook signature schemes, and what a verified delivery fires.

* ``stripe``: ``Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]``, HMAC-SHA256 of
  ``<t>.<body>`` keyed with the endpoint's ``whsec_…`` secret; ``t`` within 300 s; any ``v1``
  may match (Stripe sends several while a secret is being rolled). Fires
  ``stripe.<event type>`` with the event's ``data`` (``{object, previous_attributes}``).
* ``quickpay``: ``QuickPay-Checksum-Sha256: <hex>``, HMAC-SHA256 of the body keyed with the
  account's private key. Fires ``quickpay.<resource>.<latest operation>`` (e.g.
  ``quickpay.payment.capture``) with the resource as data.
* any other provider: ``X-Hub-Signature-256``, ``X-Endpointr-Signature``, ``X-Signature-256``
  or ``X-Signature`` of the form ``sha256=<hex>``, HMAC-SHA256 of the body keyed with the secret.
  Fires ``<provider>.<type>``: the type from an ``X-Event-Type`` or ``X-GitHub-Event`` header,
  else the body's ``event`` or ``type``, else ``received``; the whole body is the data.

Every comparison is constant-time, on the raw body bytes, before anything is parsed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any, Protocol

from .catalog import register_family

STRIPE_TOLERANCE = 300
_TYPE = re.compile(r"[^A-Za-z0-9_.:-]+")


class SignatureError(ValueError):
    """The delivery did not verify; the message says why (never the expected value)."""


@dataclass(frozen=True)
class Delivery:
    type: str  # the event name without the provider: payment_intent.succeeded
    event_id: str  # the provider's id for it: a replay carries the same one
    data: Any


def _hmac_hex(secret: str, payload: bytes) -> str:
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise ValueError("the body is not JSON") from None


def _body_id(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


class Scheme(Protocol):
    def verify(self, body: bytes, headers: dict[str, str], secret: str, now: float) -> None: ...
    def parse(self, body: bytes, headers: dict[str, str]) -> Delivery: ...


class Stripe:
    def verify(self, body: bytes, headers: dict[str, str], secret: str, now: float) -> None:
        header = headers.get("stripe-signature")
        if not header:
            raise SignatureError("no Stripe-Signature header")
        stamps, signatures = [], []
        for item in header.split(","):
            key, _, value = item.strip().partition("=")
            if key == "t":
                stamps.append(value)
            elif key == "v1":
                signatures.append(value)
        if len(stamps) != 1 or not stamps[0].isdigit() or not signatures:
            raise SignatureError("Stripe-Signature needs one t=<timestamp> and a v1=<signature>")
        age = now - int(stamps[0])
        if abs(age) > STRIPE_TOLERANCE:
            raise SignatureError(
                f"the Stripe-Signature timestamp is {abs(age):.0f} s "
                f"{'old' if age > 0 else 'in the future'} (tolerance {STRIPE_TOLERANCE} s)"
            )
        expected = _hmac_hex(secret, stamps[0].encode() + b"." + body)
        if not any(hmac.compare_digest(expected, s) for s in signatures):
            raise SignatureError(
                "no v1 signature matches: is the secret this endpoint's signing secret (whsec_…)?"
            )

    def parse(self, body: bytes, headers: dict[str, str]) -> Delivery:
        event = _json(body)
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise ValueError("a Stripe event is a JSON object with a type")
        return Delivery(event["type"], str(event.get("id") or _body_id(body)), event.get("data"))


class QuickPay:
    def verify(self, body: bytes, headers: dict[str, str], secret: str, now: float) -> None:
        given = headers.get("quickpay-checksum-sha256")
        if not given:
            raise SignatureError("no QuickPay-Checksum-Sha256 header")
        if not hmac.compare_digest(_hmac_hex(secret, body), given.strip().lower()):
            raise SignatureError(
                "the QuickPay-Checksum-Sha256 does not match: is the secret the account's "
                "private key?"
            )

    def parse(self, body: bytes, headers: dict[str, str]) -> Delivery:
        resource = _json(body)
        if not isinstance(resource, dict):
            raise ValueError("a QuickPay callback is a JSON object")
        kind = headers.get("quickpay-resource-type") or str(resource.get("type") or "resource")
        operations = resource.get("operations") or []
        last = operations[-1] if isinstance(operations, list) and operations else {}
        op = str(last.get("type") or "updated") if isinstance(last, dict) else "updated"
        event_id = (
            f"{resource.get('id')}:{last.get('id')}"
            if isinstance(last, dict) and resource.get("id") is not None
            else _body_id(body)
        )
        return Delivery(f"{kind.lower()}.{op.lower()}", event_id, resource)


class Generic:
    HEADERS = ("x-hub-signature-256", "x-endpointr-signature", "x-signature-256", "x-signature")

    def verify(self, body: bytes, headers: dict[str, str], secret: str, now: float) -> None:
        given = next((headers[h] for h in self.HEADERS if h in headers), None)
        if given is None:
            raise SignatureError(
                "no signature header: send X-Hub-Signature-256 (or X-Signature) as sha256=<hex "
                "HMAC-SHA256 of the body>"
            )
        scheme, _, digest = given.strip().partition("=")
        if scheme.lower() != "sha256" or not digest:
            raise SignatureError("the signature must look like sha256=<hex>")
        if not hmac.compare_digest(_hmac_hex(secret, body), digest.lower()):
            raise SignatureError("the sha256 signature does not match this body and secret")

    def parse(self, body: bytes, headers: dict[str, str]) -> Delivery:
        data = _json(body)
        fields = data if isinstance(data, dict) else {}
        kind = (
            headers.get("x-event-type")
            or headers.get("x-github-event")
            or next((fields[k] for k in ("event", "type") if isinstance(fields.get(k), str)), "")
        )
        kind = _TYPE.sub("_", kind).strip("._")[:100] or "received"
        given_id = headers.get("webhook-id") or headers.get("x-github-delivery") or fields.get("id")
        event_id = str(given_id) if isinstance(given_id, (str, int)) else _body_id(body)
        return Delivery(kind, event_id, data)


SCHEMES: dict[str, Scheme] = {"stripe": Stripe(), "quickpay": QuickPay()}
GENERIC = Generic()
for _provider in SCHEMES:
    register_family(_provider)


def scheme_for(provider: str) -> Scheme:
    return SCHEMES.get(provider, GENERIC)
