"""Meta webhook subscriptions, the handshake, and inbound deliveries (stored, attributed,
verified with the customer's app_secret over the raw bytes), in both modes."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

import httpx
import pytest

from endpointr import BadRequestError, ConflictError, Endpointr, PermissionDeniedError
from endpointr.gateway.settings import Settings
from tests.conftest import META_VERIFY_TOKEN, Harness
from tests.support.meta_graph import APP_ID, APP_SECRET, CREDENTIALS, PAGE_TOKEN, FakeGraph
from tests.test_cli import run

INBOUND = "/v1/webhooks/inbound/meta-ads"
CALLBACK = "https://hooks.example.com/v1/webhooks/inbound/meta-ads"


def _page_id() -> str:
    """A page id no other test (or earlier run) subscribed: the object map is per vault."""
    return str(100_000_000_000_000 + secrets.randbelow(10**14))


def _send(client: Endpointr, method: str, **kwargs: object) -> httpx.Response:
    """A raw request, as Meta would send it, through the client's transport (either mode)."""
    return client._send(method, INBOUND, auth="none", **kwargs)  # type: ignore[arg-type]


def _delivery(page_id: str, lead_id: str = "444444444444444") -> bytes:
    payload = {
        "object": "page",
        "entry": [
            {
                "id": page_id,
                "time": 1779235200,
                "changes": [
                    {
                        "field": "leadgen",
                        "value": {
                            "ad_id": "120000000000777",
                            "form_id": "555555555555555",
                            "leadgen_id": lead_id,
                            "created_time": 1779235200,
                            "page_id": page_id,
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(payload).encode()


def _signed(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_handshake_echoes_the_challenge(client: Endpointr) -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": META_VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    answer = _send(client, "GET", params=params)
    assert answer.status_code == 200
    assert answer.text == "1158201444"
    assert answer.headers["content-type"].startswith("text/plain")
    for wrong in ({**params, "hub.verify_token": "guess"}, {"hub.challenge": "1"}):
        with pytest.raises(PermissionDeniedError, match="does not match"):
            _send(client, "GET", params=wrong)


def test_subscribe_a_page_for_leadgen(meta: Endpointr, graph: FakeGraph) -> None:
    page = graph.add("page", id=_page_id(), name="Acme")["id"]
    sub = meta.marketing.webhook_subscriptions.create(
        object="page", object_id=page, fields=["leadgen", "feed"], callback_url=CALLBACK
    )
    assert (sub.object, sub.object_id, sub.fields) == ("page", page, ["leadgen", "feed"])
    app_call = next(c for c in graph.calls if c.path == f"{APP_ID}/subscriptions")
    assert app_call.data == {
        "object": "page", "callback_url": CALLBACK, "fields": "leadgen,feed",
        "verify_token": META_VERIFY_TOKEN, "include_values": "true",
    }  # fmt: skip
    assert app_call.headers["authorization"] == f"Bearer {APP_ID}|{APP_SECRET}"
    install = next(c for c in graph.calls if c.path == f"{page}/subscribed_apps")
    assert install.headers["authorization"] == f"Bearer {PAGE_TOKEN}"  # the Page's own token
    assert graph.page_subscriptions[page] == ["leadgen", "feed"]

    listed = meta.marketing.webhook_subscriptions.list()
    assert [s.object for s in listed.meta] == ["page"]
    assert [(s.object, s.object_id) for s in listed.local] == [("page", page)]

    assert meta.marketing.webhook_subscriptions.delete("page").deleted is True
    assert graph.app_subscriptions == {}
    assert meta.marketing.webhook_subscriptions.list().local == []


def test_subscription_defaults_and_conflicts(
    meta: Endpointr, graph: FakeGraph, harness: Harness, mode: str
) -> None:
    with pytest.raises(BadRequestError, match="ENDPOINTR_PUBLIC_BASE_URL"):
        meta.marketing.webhook_subscriptions.create(object="page", fields=["leadgen"])
    with pytest.raises(BadRequestError, match="differs from the gateway's"):
        meta.marketing.webhook_subscriptions.create(
            object="page", fields=["leadgen"], callback_url=CALLBACK, verify_token="mine"
        )
    page = graph.add("page", id=_page_id())["id"]
    meta.marketing.webhook_subscriptions.create(
        object="page", object_id=page, fields=["leadgen"], callback_url=CALLBACK
    )
    name = "rival-" + secrets.token_hex(6)
    other = harness.local(name) if mode == "local" else harness.remote(name)
    with other:
        other.credentials.set("meta-ads", **CREDENTIALS)
        with pytest.raises(ConflictError, match="already subscribed by another customer"):
            other.marketing.webhook_subscriptions.create(
                object="page", object_id=page, fields=["leadgen"], callback_url=CALLBACK
            )


def _deliveries(harness: Harness, page: str) -> list[tuple[str | None, str]]:
    return [
        (d.customer, d.status)
        for d in harness.admin.meta_ads_deliveries(limit=500)
        if page.encode() in d.body
    ]


def test_inbound_signatures_right_wrong_and_missing(
    meta: Endpointr, graph: FakeGraph, harness: Harness
) -> None:
    page = graph.add("page", id=_page_id())["id"]
    meta.marketing.webhook_subscriptions.create(
        object="page", object_id=page, fields=["leadgen"], callback_url=CALLBACK
    )
    body = _delivery(page)
    cases = [
        {"x-hub-signature-256": _signed(body)},
        {"x-hub-signature-256": _signed(body, "not-the-app-secret")},
        {},
    ]
    for headers in cases:
        answer = _send(
            meta, "POST", content=body, headers={"content-type": "application/json", **headers}
        )
        assert answer.status_code == 200  # always: Meta must not retry into a storm
    statuses = list(reversed(_deliveries(harness, page)))
    assert [s for _, s in statuses] == ["verified", "bad_signature", "missing_signature"]
    assert statuses[0][0] is not None  # attributed to the subscriber
    assert statuses[1][0] is None and statuses[2][0] is None  # kept for audit, no customer


def test_unknown_objects_and_garbage_are_kept_for_audit(
    client: Endpointr, harness: Harness
) -> None:
    page = _page_id()
    body = _delivery(page)
    answer = _send(client, "POST", content=body, headers={"x-hub-signature-256": _signed(body)})
    assert answer.status_code == 200
    assert _deliveries(harness, page) == [(None, "unknown_object")]
    garbage = f'{{"not meta": "{page}"'.encode()
    assert _send(client, "POST", content=garbage).status_code == 200
    assert (None, "invalid_payload") in _deliveries(harness, page)


def test_meta_events_are_listed_for_subscribers(client: Endpointr) -> None:
    events = client.webhooks.events()
    assert "MetaAds.*" in events
    for name in ("CampaignsHandler.pause", "AudiencesHandler.add_users", "SyncHandler.create"):
        assert name in events
    hook = client.webhooks.create(event="MetaAds.page.leadgen", url="https://example.com/hook")
    assert hook.event == "MetaAds.page.leadgen"


def test_the_cli_lists_deliveries_for_audit(client: Endpointr, harness: Harness) -> None:
    page = _page_id()
    body = _delivery(page)
    _send(client, "POST", content=body, headers={"x-hub-signature-256": _signed(body)})
    listed = run(harness.vault, "meta-ads", "deliveries", "--unattributed", "--json")
    assert listed.returncode == 0, listed.stderr
    mine = [d for d in json.loads(listed.stdout) if page in d["body"]]
    assert [(d["customer"], d["object"], d["status"]) for d in mine] == [
        (None, "page", "unknown_object")
    ]
    table = run(harness.vault, "meta-ads", "deliveries", "--limit", "5")
    assert "unknown_object" in table.stdout


def test_the_contract_s_verify_token_variable_is_honoured() -> None:
    settings = Settings.from_env({"META_WEBHOOK_VERIFY_TOKEN": "from-the-contract"})
    assert settings.meta_webhook_verify_token is not None
    assert settings.meta_webhook_verify_token.get_secret_value() == "from-the-contract"
