"""``Gateway.handle`` itself: envelope, routing, limits, events, the OpenAPI document."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from endpointr.gateway.events import Event
from endpointr.gateway.gateway import Gateway
from endpointr.gateway.handler import Handler, kebab
from endpointr.gateway.http import Request
from endpointr.gateway.router import Router
from endpointr.gateway.settings import Settings
from tests.conftest import Harness


@pytest.fixture
async def gateway() -> AsyncIterator[Gateway]:
    gw = await Gateway.open(Settings.from_env({}, vault=":memory:", max_body_bytes=1024))
    yield gw
    await gw.aclose()


@pytest.fixture
async def customer(gateway: Gateway) -> int:
    return (await gateway.store.customers.create("acme", None)).id


def _json(body: Any) -> Any:
    assert isinstance(body, bytes)
    return json.loads(body)


async def test_envelope(gateway: Gateway, customer: int) -> None:
    response = await gateway.handle(
        Request("PUT", "/v1/vault/ses", body=b'{"a": 1}', principal=customer)
    )
    envelope = _json(response.body)
    assert set(envelope) == {"httpCode", "status", "timestamp", "requestId", "version", "data"}
    assert envelope["httpCode"] == 200
    assert envelope["status"] == "HTTP/1.1 200 OK"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", envelope["timestamp"])
    assert response.header("x-request-id") == envelope["requestId"]
    assert envelope["data"]["name"] == "ses"


async def test_error_envelope_and_request_id_echo(gateway: Gateway, customer: int) -> None:
    response = await gateway.handle(
        Request("GET", "/v1/vault/none", headers={"x-request-id": "trace-42"}, principal=customer)
    )
    body = _json(response.body)
    assert response.status == 404
    assert body["data"] is None
    assert body["requestId"] == "trace-42" == response.header("x-request-id")
    assert body["error"] == {
        "message": "no vault entry named 'none'; PUT /v1/vault/none creates it",
        "type": "not_found_error",
        "code": "vault_entry_not_found",
    }
    weird = await gateway.handle(
        Request("GET", "/v1/vault/none", headers={"x-request-id": "bad id\n"}, principal=customer)
    )
    assert re.fullmatch(r"[0-9a-f]{32}", weird.header("x-request-id") or "")


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "fragment"),
    [
        ("GET", "/v1/nowhere", b"", 404, "no route GET /v1/nowhere"),
        ("POST", "/v1/vault/x", b"{}", 405, "use DELETE, GET, PUT"),
        ("PUT", "/v1/vault/x", b"{not json", 400, "not valid JSON"),
        ("PUT", "/v1/vault/x", b'"a string"', 400, "must be a JSON object"),
        ("PUT", "/v1/vault/x", b"x" * 2000, 413, "limit is 1024"),
        ("GET", "/v1/vault", b"", 200, ""),
    ],
)
async def test_routing_and_input_errors(
    gateway: Gateway, customer: int, method: str, path: str, body: bytes, status: int, fragment: str
) -> None:
    response = await gateway.handle(Request(method, path, body=body, principal=customer))
    assert response.status == status
    if fragment:
        assert fragment in _json(response.body)["error"]["message"]
    if status == 405:
        assert response.header("allow") == "DELETE, GET, PUT"


async def test_jwt_required_without_a_trusted_principal(gateway: Gateway) -> None:
    response = await gateway.handle(Request("GET", "/v1/vault"))
    assert response.status == 401
    assert _json(response.body)["error"]["code"] == "token_missing"


async def test_events_fire_with_secrets_redacted(gateway: Gateway, customer: int) -> None:
    seen: list[Event] = []

    async def collect(event: Event) -> None:
        seen.append(event)

    unsubscribe = gateway.events.subscribe(collect)
    await gateway.handle(
        Request("PUT", "/v1/vault/db", body=b'{"password": "hunter2"}', principal=customer)
    )
    await gateway.handle(
        Request("PUT", "/v1/credentials/openai", body=b'{"api_key": "sk-abc"}', principal=customer)
    )
    await gateway.handle(Request("GET", "/v1/vault/db", principal=customer))
    await gateway.handle(Request("GET", "/v1/vault", query_string="x=1", principal=customer))
    unsubscribe()
    await gateway.handle(Request("GET", "/v1/vault", principal=customer))
    names = [e.name for e in seen]
    assert names == [
        "VaultHandler.update",
        "CredentialsHandler.update",
        "VaultHandler.get",
        "VaultHandler.getByParam",
    ]
    dumped = json.dumps([e.data for e in seen])
    assert "hunter2" not in dumped
    assert "sk-abc" not in dumped
    assert seen[0].data["input"]["id"] == "db"
    assert seen[0].customer_id == customer


async def test_a_failing_subscriber_does_not_fail_the_request(
    gateway: Gateway, customer: int
) -> None:
    async def broken(event: Event) -> None:
        raise RuntimeError("subscriber bug")

    gateway.events.subscribe(broken)
    response = await gateway.handle(Request("PUT", "/v1/vault/x", body=b"{}", principal=customer))
    assert response.status == 200


def test_url_derivation() -> None:
    assert kebab("StripeCustomers") == "stripe-customers"
    assert kebab("Text2Img") == "text2-img"
    assert kebab("Html2Pdf") == "html2-pdf"
    assert kebab("HeaderMarkdownExtractor") == "header-markdown-extractor"

    class WidgetsHandler(Handler):
        group = "shop"

        async def list(self) -> list[str]:
            return []

        async def delete(self, id: str) -> None:
            return None

    router = Router([WidgetsHandler])
    assert {(r.method, r.path, r.op) for r in router.routes} == {
        ("GET", "/v1/shop/widgets", "getAll"),
        ("DELETE", "/v1/shop/widgets/{id}", "delete"),
    }
    with pytest.raises(ValueError, match="claimed by both"):
        Router([WidgetsHandler, WidgetsHandler])


async def test_openapi_document_covers_every_route(gateway: Gateway) -> None:
    response = await gateway.handle(Request("GET", "/openapi.json"))
    doc = _json(response.body)
    assert doc["openapi"] == "3.1.0"
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    assert documented == {(r.method, r.path) for r in gateway.router.routes}
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', response.body.decode()))  # type: ignore[union-attr]
    assert refs <= set(doc["components"]["schemas"])
    put = doc["paths"]["/v1/keys"]["post"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PublicKeyUpload"
    }
    assert "publicKey" in doc["components"]["schemas"]["PublicKeyUpload"]["properties"]


def test_server_refuses_an_oversized_body_before_reading_it(harness: Harness) -> None:
    big = b"x" * (33 * 1024 * 1024)
    response = httpx.put(f"{harness.server.url}/v1/vault/big", content=big, timeout=30)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


def test_head_answers_like_get_without_a_body(harness: Harness) -> None:
    response = httpx.head(f"{harness.server.url}/openapi.json")
    assert response.status_code == 200
    assert response.content == b""


def test_server_answers_carry_their_length(harness: Harness) -> None:
    response = httpx.get(f"{harness.server.url}/openapi.json")
    assert int(response.headers["content-length"]) == len(response.content)
    assert "transfer-encoding" not in response.headers
