"""``client.webhooks``: subscriptions, signed deliveries to a real receiver, retries; both modes."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
import standardwebhooks

import endpointr
from endpointr import BadRequestError, Endpointr, NotFoundError
from tests.support.receiver import Receiver


def github_style_valid(secret: str, body: bytes, header: str) -> bool:
    """What a receiver written from GitHub's docs checks: sha256=<hex HMAC of the body>."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


def test_the_receiver_check_matches_githubs_documented_vector() -> None:
    header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert github_style_valid("It's a Secret to Everybody", b"Hello, World!", header)
    assert not github_style_valid("It's a Secret to Everybody", b"Hello, World?", header)
    assert endpointr.webhooks.sign(b"Hello, World!", "It's a Secret to Everybody") == header


def test_events_are_derived_from_the_registered_handlers(client: Endpointr) -> None:
    events = client.webhooks.events()
    for name in (
        "VaultHandler.update", "VaultHandler.getAll", "VaultHandler.getByParam",
        "WebhooksHandler.create", "CredentialsHandler.delete", "BindingsHandler.run",
        "JobsHandler.run_pending", "stripe.*", "quickpay.*",
    ):  # fmt: skip
        assert name in events
    assert len(events) == len(set(events))


def test_a_delivery_is_signed_redacted_and_verifiable(
    client: Endpointr, receiver: Receiver
) -> None:
    hook = client.webhooks.create(event="VaultHandler.update", url=receiver.url + "/hook")
    assert hook.secret.startswith("whsec_")
    assert "secret" not in repr(hook) or "…" in repr(hook)
    client.vault.put("prod", {"api_key": "sk-live-should-not-leak", "region": "eu"})
    run = client.admin.jobs.run_pending()
    assert run.remaining == 0
    [delivery] = receiver.wait_for(1)
    assert delivery.path == "/hook"
    assert delivery.headers["content-type"] == "application/json"
    assert github_style_valid(hook.secret, delivery.body, delivery.headers["x-endpointr-signature"])
    standardwebhooks.Webhook(hook.secret).verify(delivery.body, delivery.headers)
    event = endpointr.webhooks.verify(delivery.body, delivery.headers, hook.secret)
    assert set(event) == {"id", "event", "created_at", "data"}
    assert event["event"] == "VaultHandler.update"
    assert delivery.headers["webhook-id"] == event["id"]
    assert event["data"]["input"]["id"] == "prod"
    assert b"sk-live-should-not-leak" not in delivery.body
    assert b"eu" not in delivery.body.replace(b"updated_at", b"")  # vault values are masked
    [listed] = client.webhooks.list()
    assert (listed.id, listed.last_status, listed.attempts, listed.next_retry_at) == (
        hook.id, 200, 1, None,
    )  # fmt: skip
    assert listed.deliveries[0].state == "succeeded"
    assert listed.deliveries[0].event_id == event["id"]
    assert "secret" not in listed.model_dump()


def test_a_failed_delivery_is_retried_with_the_same_body(
    client: Endpointr, receiver: Receiver
) -> None:
    receiver.answers.extend([503])
    hook = client.webhooks.create(event="VaultHandler.update", url=receiver.url)
    client.vault.put("a", {"x": 1})
    before = time.time()
    run = client.admin.jobs.run_pending()  # whichever worker ran it, it has run now
    assert run.remaining == 0
    assert len(receiver.requests) == 1
    listed = client.webhooks.retrieve(hook.id)
    assert listed.last_status == 503
    assert listed.last_error == "RuntimeError: the receiver answered 503"
    assert listed.next_retry_at is not None
    assert 0 < listed.next_retry_at.timestamp() - before <= 31  # the first retry within 30 s
    [pending] = listed.deliveries
    assert pending.state == "queued"
    client.admin.jobs.retry(pending.id)  # don't wait for the schedule
    client.admin.jobs.run_pending()
    first, second = receiver.wait_for(2)
    assert first.body == second.body
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    done = client.webhooks.retrieve(hook.id)
    assert (done.last_status, done.attempts, done.next_retry_at) == (200, 2, None)
    assert [a.outcome for a in done.deliveries[0].history] == ["retry", "succeeded"]
    assert [a.status for a in done.deliveries[0].history] == [503, 200]


def test_a_4xx_answer_stops_the_delivery(client: Endpointr, receiver: Receiver) -> None:
    receiver.answers.extend([410])
    hook = client.webhooks.create(event="VaultHandler.*", url=receiver.url)
    client.vault.put("a", {"x": 1})
    client.admin.jobs.run_pending()
    assert len(receiver.requests) == 1
    listed = client.webhooks.retrieve(hook.id)
    assert listed.deliveries[0].state == "failed"
    assert "answered 410" in (listed.last_error or "")
    assert listed.next_retry_at is None


def test_patterns_and_customers(client: Endpointr, receiver: Receiver, harness, mode) -> None:  # type: ignore[no-untyped-def]
    client.webhooks.create(event="VaultHandler.*", url=receiver.url)
    other = (
        harness.local("o-" + mode + str(time.time()))
        if mode == "local"
        else harness.remote("o-" + mode + str(time.time()))
    )
    with other:
        other.vault.put("theirs", {"x": 1})  # another customer's event: not ours to receive
        other.admin.jobs.run_pending()
    client.vault.put("a", {"x": 1})
    client.vault.delete("a")
    client.admin.jobs.run_pending()
    names = [json.loads(r.body)["event"] for r in receiver.wait_for(2)]
    assert sorted(names) == ["VaultHandler.delete", "VaultHandler.update"]
    time.sleep(0.2)
    assert len(receiver.requests) == 2


def test_bad_subscriptions_are_400s_that_say_what_to_fix(client: Endpointr) -> None:
    with pytest.raises(BadRequestError, match=r"did you mean VaultHandler\.update"):
        client.webhooks.create(event="VaultHandler.updat", url="https://example.com/hook")
    with pytest.raises(BadRequestError, match="only http and https"):
        client.webhooks.create(event="VaultHandler.update", url="ftp://example.com/hook")
    with pytest.raises(BadRequestError, match=r"body\.url"):
        client.webhooks.create(event="VaultHandler.update", url="")
    assert client.webhooks.create(event="stripe.charge.refunded", url="https://example.com/h")


def test_deleted_webhooks_get_nothing(client: Endpointr, receiver: Receiver) -> None:
    hook = client.webhooks.create(event="VaultHandler.update", url=receiver.url)
    assert client.webhooks.delete(hook.id).deleted
    with pytest.raises(NotFoundError):
        client.webhooks.delete(hook.id)
    client.vault.put("a", {"x": 1})
    client.admin.jobs.run_pending()
    assert client.webhooks.list() == []
    assert receiver.requests == []


def test_verify_refuses_tampered_stale_and_unsigned_deliveries() -> None:
    secret = endpointr.webhooks.new_secret()
    body = b'{"id":"evt_1","event":"X.y","created_at":"2026-01-01T00:00:00Z","data":{}}'
    headers = endpointr.webhooks.signed_headers(body, secret, msg_id="evt_1")
    assert endpointr.webhooks.verify(body, headers, secret)["id"] == "evt_1"
    with pytest.raises(endpointr.WebhookVerificationError, match="no webhook-signature matches"):
        endpointr.webhooks.verify(body.replace(b"X.y", b"X.z"), headers, secret)
    with pytest.raises(endpointr.WebhookVerificationError, match="old"):
        endpointr.webhooks.verify(body, headers, secret, now=time.time() + 301)
    with pytest.raises(endpointr.WebhookVerificationError, match="missing"):
        endpointr.webhooks.verify(body, {}, secret)
    other = endpointr.webhooks.new_secret()
    with pytest.raises(endpointr.WebhookVerificationError):
        endpointr.webhooks.verify(body, headers, other)
    forged = dict(headers, **{"X-Endpointr-Signature": "sha256=" + "0" * 64})
    with pytest.raises(endpointr.WebhookVerificationError, match="X-Endpointr-Signature"):
        endpointr.webhooks.verify(body, forged, secret)


def test_deliveries_happen_in_the_background_without_draining(
    client: Endpointr, receiver: Receiver
) -> None:
    """The worker inside endpointr serve (remote) or inside the open local client delivers."""
    client.webhooks.create(event="VaultHandler.update", url=receiver.url)
    client.vault.put("a", {"x": 1})
    [delivery] = receiver.wait_for(1, timeout=20)
    assert json.loads(delivery.body)["event"] == "VaultHandler.update"


async def test_the_async_client_delivers_from_its_own_loop(
    aclient: endpointr.AsyncEndpointr, receiver: Receiver
) -> None:
    hook = await aclient.webhooks.create(event="VaultHandler.update", url=receiver.url)
    await aclient.vault.put("a", {"x": 1})
    run = await aclient.admin.jobs.run_pending()
    assert run.remaining == 0
    assert len(receiver.requests) == 1
    assert (await aclient.webhooks.retrieve(hook.id)).last_status == 200
    jobs = await aclient.admin.jobs.list()
    assert [(j.kind, j.state, j.ref) for j in jobs] == [("webhooks.deliver", "succeeded", hook.id)]
    assert (await aclient.admin.jobs.retrieve(jobs[0].id)).history[0].status == 200
