"""The pieces under webhooks and bindings: event names, subscriptions, mappings, actions."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tests.conftest import MASTER_KEY

from endpointr.gateway import catalog, mapping
from endpointr.gateway.actions import action, registry
from endpointr.gateway.errors import BadRequest
from endpointr.gateway.gateway import Gateway
from endpointr.gateway.http import Request
from endpointr.gateway.settings import Settings

DATA = {
    "object": {
        "id": "pi_1",
        "amount": 2000,
        "metadata": {"invoice_id": "inv-7"},
        "charges": [{"id": "ch_1"}, {"id": "ch_2"}],
    }
}


def test_mapping_paths_interpolation_and_literals() -> None:
    template = {
        "id": "$.object.metadata.invoice_id",
        "amount": "$.object.amount",
        "second": "$.object.charges[1].id",
        "missing": "$.object.nope.deeper",
        "note": "Stripe payment $.object.id for $.object.amount cents",
        "nested": {"charge": "$.object.charges[0].id", "items": ["$.object.id", 3]},
        "everything": "$",
        "price": "$5 flat",
        "n": 7,
    }
    assert mapping.apply(template, DATA) == {
        "id": "inv-7",
        "amount": 2000,
        "second": "ch_2",
        "missing": None,
        "note": "Stripe payment pi_1 for 2000 cents",
        "nested": {"charge": "ch_1", "items": ["pi_1", 3]},
        "everything": DATA,
        "price": "$5 flat",
        "n": 7,
    }


@pytest.mark.parametrize("bad", ["$.", "$[x]", "$.[0]"])
def test_mapping_check_names_the_bad_path(bad: str) -> None:
    with pytest.raises(ValueError, match=r"mapping\.a\.b: .* is not a path"):
        mapping.check({"a": {"b": bad}})


def test_patterns_of_an_event_name() -> None:
    assert sorted(catalog.patterns("stripe.payment_intent.succeeded")) == sorted(
        ["stripe.payment_intent.succeeded", "stripe.*", "stripe.payment_intent.*", "*"]
    )


async def test_subscriptions_are_checked_against_what_can_fire(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    router = gateway.router
    for ok in ("VaultHandler.update", "VaultHandler.*", "*", "stripe.charge.refunded",
               "shopify.orders.create", "shopify.*"):  # fmt: skip
        assert catalog.check_subscription(ok, router) == ok
    for bad in ("VaultHandler.explode", "Nope.*", "AcmeHooks.order.paid", "stripe"):
        with pytest.raises(BadRequest):
            catalog.check_subscription(bad, router)
    monkeypatch.setattr(catalog, "_FAMILIES", dict(catalog.families()))
    catalog.register_family("AcmeHooks")  # as a group registers its inbound family
    assert catalog.check_subscription("AcmeHooks.order.paid", router)
    assert "AcmeHooks.*" in catalog.event_names(router)


def test_action_names_are_checked_and_the_registry_is_derived_from_routes(
    gateway: Gateway,
) -> None:
    with pytest.raises(ValueError, match=r"<provider>\.<resource>\.<verb>"):
        action("Vault.Put")
    actions = registry(gateway.router)
    put = actions["endpointr.vault.put"]
    assert (put.route.method, put.route.path) == ("PUT", "/v1/vault/{id}")
    request = put.request({"id": "a b/c", "x": 1}, customer_id=5, request_id="r1")
    assert (request.method, request.path, request.principal) == ("PUT", "/v1/vault/a%20b%2Fc", 5)
    assert json.loads(request.body) == {"x": 1}
    with pytest.raises(ValueError, match="needs id"):
        put.request({"x": 1}, customer_id=5, request_id="r1")


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[Gateway]:
    settings = Settings.from_env({}, vault=str(tmp_path / "v.db"), master_key=MASTER_KEY,
                                 jobs_concurrency=0)  # fmt: skip
    gw = await Gateway.open(settings)
    yield gw
    await gw.aclose()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/hook", "loopback"),
        ("http://10.1.2.3/hook", "private"),
        ("http://169.254.169.254/latest/meta-data", "metadata"),
        ("http://localhost/hook", "loopback"),
        ("file:///etc/passwd", "only http and https"),
    ],
)
async def test_webhook_urls_on_private_networks_are_refused(
    gateway: Gateway, url: str, reason: str
) -> None:
    customer = (await gateway.store.customers.create("acme", None)).id
    body = json.dumps({"event": "VaultHandler.update", "url": url}).encode()
    response = await gateway.handle(
        Request("POST", "/v1/webhooks", body=body, principal=customer, client="in-process")
    )
    assert response.status == 400
    assert reason in json.loads(response.body)["error"]["message"]  # type: ignore[arg-type]
