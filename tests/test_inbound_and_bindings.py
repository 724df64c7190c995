"""Inbound webhooks (Stripe, QuickPay, generic HMAC) and bindings, end to end, in both modes.

Stripe deliveries are signed by the official ``stripe`` package, as Stripe signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import httpx
import pytest
import stripe

import endpointr
from endpointr import AuthenticationError, BadRequestError, Endpointr
from tests.support.receiver import Receiver

WHSEC = "whsec_test_6b1e2d8f0c3a4b5e9d7f"


def payment_intent_succeeded(event_id: str = "evt_3MtwBwLkdIwHu7ix0LlJHVQF") -> dict[str, Any]:
    """Shaped like Stripe's documented payment_intent.succeeded event."""
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2024-06-20",
        "created": 1680064028,
        "data": {
            "object": {
                "id": "pi_3MtwBwLkdIwHu7ix28a3tqPa",
                "object": "payment_intent",
                "amount": 2000,
                "amount_received": 2000,
                "currency": "usd",
                "client_secret": "pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_YrKJUKribcBjcG8HVhfZluoGH",
                "metadata": {"invoice_id": "inv-1042"},
                "payment_method": "pm_1MtwBwLkdIwHu7ixU8K6Z4AM",
                "status": "succeeded",
            }
        },
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": "req_IWqC1ypmvYhBqa", "idempotency_key": None},
        "type": "payment_intent.succeeded",
    }


def post(client: Endpointr, path: str, body: bytes, headers: dict[str, str]) -> Any:
    """What the provider does: POST the raw body to the endpoint's path (no auth)."""
    response: httpx.Response = client._send(
        "POST", path, content=body, headers={"content-type": "application/json", **headers},
        auth="none",
    )  # fmt: skip
    return response.json()["data"]


def stripe_delivery(
    event: dict[str, Any], secret: str = WHSEC, **kw: Any
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event, indent=2)  # Stripe sends pretty-printed JSON
    header = stripe.WebhookSignature.generate_signature_header(body, secret, **kw)
    return body.encode(), {"Stripe-Signature": header}


def test_an_endpoint_hands_out_its_url_and_keeps_the_secret(client: Endpointr) -> None:
    endpoint = client.bindings.inbound_webhooks.create(
        provider="stripe", secret=WHSEC, label="Prod"
    )
    assert endpoint.token.startswith("ibt_")
    assert endpoint.path == f"/v1/inbound/stripe/{endpoint.token}"
    assert endpoint.url.endswith(endpoint.path)
    [listed] = client.bindings.inbound_webhooks.list()
    assert (listed.token, listed.label, listed.provider) == (endpoint.token, "Prod", "stripe")
    assert WHSEC not in listed.model_dump_json()
    with pytest.raises(BadRequestError, match="starts with whsec_"):
        client.bindings.inbound_webhooks.create(provider="stripe", secret="sk_test_123")
    assert client.bindings.inbound_webhooks.delete(endpoint.token).deleted
    assert client.bindings.inbound_webhooks.list() == []


def test_stripe_events_are_verified_fired_and_delivered_redacted(
    client: Endpointr, receiver: Receiver
) -> None:
    endpoint = client.bindings.inbound_webhooks.create(provider="stripe", secret=WHSEC)
    hook = client.webhooks.create(event="stripe.payment_intent.succeeded", url=receiver.url)
    assert "stripe.*" in client.webhooks.events()
    body, headers = stripe_delivery(payment_intent_succeeded())
    receipt = post(client, endpoint.path, body, headers)
    assert receipt["event"] == "stripe.payment_intent.succeeded"
    assert receipt["duplicate"] is False
    client.admin.jobs.run_pending()
    [delivery] = receiver.wait_for(1)
    event = endpointr.webhooks.verify(delivery.body, delivery.headers, hook.secret)
    assert event["event"] == "stripe.payment_intent.succeeded"
    obj = event["data"]["object"]
    assert (obj["id"], obj["amount"], obj["metadata"]) == (
        "pi_3MtwBwLkdIwHu7ix28a3tqPa", 2000, {"invoice_id": "inv-1042"},
    )  # fmt: skip
    assert obj["client_secret"] == "[REDACTED]"
    [listed] = client.bindings.inbound_webhooks.list()
    assert [(e.status, e.event, e.event_id) for e in listed.events] == [
        ("accepted", "stripe.payment_intent.succeeded", "evt_3MtwBwLkdIwHu7ix0LlJHVQF")
    ]


def test_a_replayed_stripe_event_is_acknowledged_but_not_dispatched_again(
    client: Endpointr, receiver: Receiver
) -> None:
    endpoint = client.bindings.inbound_webhooks.create(provider="stripe", secret=WHSEC)
    client.webhooks.create(event="stripe.*", url=receiver.url)
    body, headers = stripe_delivery(payment_intent_succeeded("evt_replayed"))
    assert post(client, endpoint.path, body, headers)["duplicate"] is False
    body, headers = stripe_delivery(payment_intent_succeeded("evt_replayed"))  # Stripe's retry
    assert post(client, endpoint.path, body, headers)["duplicate"] is True
    client.admin.jobs.run_pending()
    receiver.wait_for(1)
    time.sleep(0.2)
    assert len(receiver.requests) == 1
    statuses = [e.status for e in client.bindings.inbound_webhooks.list()[0].events]
    assert statuses == ["duplicate", "accepted"]


def test_stripe_signatures_are_checked_before_anything_else(
    client: Endpointr, receiver: Receiver
) -> None:
    endpoint = client.bindings.inbound_webhooks.create(provider="stripe", secret=WHSEC)
    client.webhooks.create(event="stripe.*", url=receiver.url)
    event = payment_intent_succeeded()
    body, headers = stripe_delivery(event)
    tampered = body.replace(b"2000", b"1")
    with pytest.raises(AuthenticationError, match="no v1 signature matches"):
        post(client, endpoint.path, tampered, headers)
    old, old_headers = stripe_delivery(event, timestamp=int(time.time()) - 301)
    with pytest.raises(AuthenticationError, match="tolerance 300 s"):
        post(client, endpoint.path, old, old_headers)
    with pytest.raises(AuthenticationError, match="no Stripe-Signature header"):
        post(client, endpoint.path, body, {})
    other, other_headers = stripe_delivery(event, secret="whsec_someone_else")
    with pytest.raises(AuthenticationError):
        post(client, endpoint.path, other, other_headers)
    with pytest.raises(BadRequestError, match="unknown inbound webhook token"):
        post(client, "/v1/inbound/stripe/ibt_nope", body, headers)
    with pytest.raises(BadRequestError, match=f"/v1/inbound/stripe/{endpoint.token}"):
        post(client, f"/v1/inbound/quickpay/{endpoint.token}", body, headers)
    # While the secret rolls, Stripe signs with both: one matching v1 is enough.
    t = int(time.time())
    good = stripe.WebhookSignature.generate_signature_header(body.decode(), WHSEC, timestamp=t)
    rolled = f"t={t},v1={'0' * 64},{good.split(',')[1]}"
    assert post(client, endpoint.path, body, {"Stripe-Signature": rolled})["event"]
    client.admin.jobs.run_pending()
    receiver.wait_for(1)
    time.sleep(0.2)
    assert len(receiver.requests) == 1  # only the verified one was dispatched
    reasons = [e.reason for e in client.bindings.inbound_webhooks.list()[0].events]
    assert sum(r is not None and "signature check failed" in r for r in reasons) == 4


def test_quickpay_and_generic_sha256_providers(client: Endpointr, receiver: Receiver) -> None:
    client.webhooks.create(event="quickpay.payment.capture", url=receiver.url)
    client.webhooks.create(event="github.push", url=receiver.url)
    quickpay = client.bindings.inbound_webhooks.create(provider="quickpay", secret="qp-private")
    payment = {
        "id": 314159, "order_id": "order-77", "accepted": True, "type": "Payment",
        "currency": "DKK", "state": "processed",
        "operations": [
            {"id": 1, "type": "authorize", "amount": 12500, "qp_status_code": "20000"},
            {"id": 2, "type": "capture", "amount": 12500, "qp_status_code": "20000"},
        ],
    }  # fmt: skip
    body = json.dumps(payment).encode()
    checksum = hmac.new(b"qp-private", body, hashlib.sha256).hexdigest()
    headers = {"QuickPay-Checksum-Sha256": checksum, "QuickPay-Resource-Type": "Payment"}
    assert post(client, quickpay.path, body, headers)["event"] == "quickpay.payment.capture"
    with pytest.raises(AuthenticationError, match="QuickPay-Checksum-Sha256"):
        post(client, quickpay.path, body + b" ", headers)
    github = client.bindings.inbound_webhooks.create(provider="github", secret="gh-secret")
    push = json.dumps({"ref": "refs/heads/main", "after": "9fceb02"}).encode()
    signature = "sha256=" + hmac.new(b"gh-secret", push, hashlib.sha256).hexdigest()
    headers = {"X-Hub-Signature-256": signature, "X-GitHub-Event": "push"}
    assert post(client, github.path, push, headers)["event"] == "github.push"
    assert "github.*" in client.webhooks.events()
    client.admin.jobs.run_pending()
    got = sorted(json.loads(r.body)["event"] for r in receiver.wait_for(2))
    assert got == ["github.push", "quickpay.payment.capture"]


def test_a_binding_runs_a_registered_action_from_a_stripe_event(
    client: Endpointr, receiver: Receiver
) -> None:
    endpoint = client.bindings.inbound_webhooks.create(provider="stripe", secret=WHSEC)
    client.webhooks.create(event="BindingsHandler.run", url=receiver.url)
    binding = client.bindings.bindings.create(
        trigger_event="stripe.payment_intent.succeeded",
        action="endpointr.vault.put",
        mapping={
            "id": "last-payment",
            "amount": "$.object.amount",
            "currency": "$.object.currency",
            "invoice": "$.object.metadata.invoice_id",
            "note": "Stripe payment $.object.id",
            "source": "stripe",
        },
    )
    assert client.bindings.bindings.retrieve(binding.id).runs == []
    body, headers = stripe_delivery(payment_intent_succeeded())
    post(client, endpoint.path, body, headers)
    client.admin.jobs.run_pending()
    assert client.vault.get("last-payment") == {
        "amount": 2000, "currency": "usd", "invoice": "inv-1042",
        "note": "Stripe payment pi_3MtwBwLkdIwHu7ix28a3tqPa", "source": "stripe",
    }  # fmt: skip
    [run] = client.bindings.bindings.retrieve(binding.id).runs
    assert (run.state, run.last_status, run.event) == (
        "succeeded",
        200,
        "stripe.payment_intent.succeeded",
    )
    [fired] = receiver.wait_for(1)
    data = json.loads(fired.body)["data"]
    assert data == {
        "binding_id": binding.id, "action": "endpointr.vault.put",
        "trigger_event": "stripe.payment_intent.succeeded", "event_id": run.event_id,
        "status": "succeeded", "http_status": 200,
    }  # fmt: skip


def test_a_failing_action_blocks_neither_the_event_nor_other_bindings(
    client: Endpointr, receiver: Receiver
) -> None:
    client.vault.put("original", {"x": 1})
    client.vault.put("keep", {"y": 2})
    client.webhooks.create(event="VaultHandler.delete", url=receiver.url)

    def bind(action: str, mapping: dict[str, Any], enabled: bool = True) -> str:
        return client.bindings.bindings.create(
            trigger_event="VaultHandler.delete", action=action, mapping=mapping, enabled=enabled
        ).id

    failing = bind("testing.faults.post", {"id": "503-always"})
    rejected = bind("testing.faults.post", {"id": "404-nothing"})
    copying = bind("endpointr.vault.put", {"id": "copy", "of": "$.input.id"})
    disabled = bind("endpointr.vault.delete", {"id": "keep"}, enabled=False)
    client.vault.delete("original")
    client.admin.jobs.run_pending()
    assert client.vault.get("copy") == {"of": "original"}
    assert client.vault.get("keep") == {"y": 2}  # the disabled binding did nothing
    assert json.loads(receiver.wait_for(1)[0].body)["event"] == "VaultHandler.delete"
    runs = {b: client.bindings.bindings.retrieve(b).runs for b in (failing, rejected, copying)}
    assert [(r.state, r.last_status) for r in runs[failing]] == [("queued", 503)]  # will retry
    assert [(r.state, r.last_status) for r in runs[rejected]] == [("failed", 404)]
    assert runs[rejected][0].last_error == "testing.faults.post answered 404: fault 404 as asked"
    assert [(r.state, r.last_status) for r in runs[copying]] == [("succeeded", 200)]
    assert client.bindings.bindings.retrieve(disabled).runs == []


def test_bindings_are_validated_and_replaced_whole(client: Endpointr) -> None:
    create = client.bindings.bindings.create
    with pytest.raises(BadRequestError, match=r"endpointr\.vault\.put") as info:
        create(trigger_event="stripe.charge.succeeded", action="dinero.invoice.add_payment")
    assert "is not registered; known actions" in info.value.message
    with pytest.raises(BadRequestError, match="mapping needs id"):
        create(trigger_event="stripe.x", action="endpointr.vault.put", mapping={})
    with pytest.raises(BadRequestError, match=r"mapping\.id: '\$\.' is not a path"):
        create(trigger_event="stripe.x", action="endpointr.vault.put", mapping={"id": "$."})
    with pytest.raises(BadRequestError, match=r"trigger_event 'VaultHandler\.nope'"):
        create(trigger_event="VaultHandler.nope", action="endpointr.vault.put", mapping={"id": "x"})
    binding = client.bindings.bindings.create(
        trigger_event="stripe.charge.succeeded", action="endpointr.vault.put",
        mapping={"id": "x", "a": "$.object.id"},
    )  # fmt: skip
    replaced = client.bindings.bindings.update(
        binding.id, trigger_event="stripe.charge.refunded", action="endpointr.vault.delete",
        mapping={"id": "x"}, enabled=False,
    )  # fmt: skip
    assert (replaced.trigger_event, replaced.action, replaced.enabled, replaced.mapping) == (
        "stripe.charge.refunded", "endpointr.vault.delete", False, {"id": "x"},
    )  # fmt: skip
    # The contract's PUT example sends "mapping": [] (PHP's empty map): read as {}.
    with pytest.raises(BadRequestError, match="mapping needs id"):
        client._request(
            "PUT", f"/v1/bindings/bindings/{binding.id}", cast=dict,
            json={"trigger_event": "stripe.charge.refunded", "action": "endpointr.vault.put",
                  "enabled": False, "mapping": []},
        )  # fmt: skip
    assert [b.id for b in client.bindings.bindings.list()] == [binding.id]
    assert client.bindings.bindings.delete(binding.id).deleted
    assert client.bindings.bindings.list() == []


def test_a_binding_that_triggers_itself_stops(client: Endpointr) -> None:
    loop = client.bindings.bindings.create(
        trigger_event="VaultHandler.update", action="endpointr.vault.put",
        mapping={"id": "counter", "last": "$.input.id"},
    )  # fmt: skip
    client.vault.put("start", {"x": 1})
    client.admin.jobs.run_pending()
    runs = client.bindings.bindings.retrieve(loop.id).runs
    assert [r.state for r in runs].count("succeeded") == 5
    [stopped] = [r for r in runs if r.state == "failed"]
    assert "does a binding trigger itself?" in (stopped.last_error or "")
