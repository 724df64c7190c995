"""A Stripe payment, received and verified, runs a binding: against a running gateway.

    endpointr serve                                   # prints an api_key the first time
    ENDPOINTR_API_KEY=epk_... python examples/stripe_binding.py

It registers a Stripe inbound endpoint and a binding that records each succeeded payment in the
vault, then plays Stripe: it signs a payment_intent.succeeded event the way Stripe does and
POSTs it to the endpoint's URL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time

import httpx

from endpointr import Endpointr

WHSEC = "whsec_example_secret_from_the_stripe_dashboard"


def stripe_signature(body: bytes, secret: str) -> str:
    """Stripe's scheme: t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">."""
    t = str(int(time.time()))
    v1 = hmac.new(secret.encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={v1}"


def main() -> None:
    base_url = os.environ.get("ENDPOINTR_BASE_URL", "http://127.0.0.1:8080")
    with Endpointr(base_url=base_url) as client:
        endpoint = client.bindings.inbound_webhooks.create(provider="stripe", secret=WHSEC)
        print("paste into Stripe:", endpoint.url)
        binding = client.bindings.bindings.create(
            trigger_event="stripe.payment_intent.succeeded",
            action="endpointr.vault.put",
            mapping={
                "id": "last-payment",
                "amount": "$.object.amount",
                "currency": "$.object.currency",
                "note": "Stripe payment $.object.id",
            },
        )
        event = {
            "id": "evt_example_1",
            "object": "event",
            "type": "payment_intent.succeeded",
            "data": {"object": {"id": "pi_example", "object": "payment_intent",
                                "amount": 4200, "currency": "eur"}},
        }  # fmt: skip
        body = json.dumps(event).encode()
        answer = httpx.post(
            base_url + endpoint.path,
            content=body,
            headers={"content-type": "application/json",
                     "stripe-signature": stripe_signature(body, WHSEC)},
        )  # fmt: skip
        print("Stripe got:", answer.status_code, answer.json()["data"])
        client.admin.jobs.run_pending()
        print("vault:", client.vault.get("last-payment"))
        run = client.bindings.bindings.retrieve(binding.id).runs[0]
        print("binding run:", run.state, run.last_status)
        client.bindings.bindings.delete(binding.id)
        client.bindings.inbound_webhooks.delete(endpoint.token)


if __name__ == "__main__":
    main()
