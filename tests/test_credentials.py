"""``client.credentials``: per-service schemas, free-form maps, priority upkeep, no values out."""

from __future__ import annotations

import pytest

from endpointr import BadRequestError, Endpointr, NotFoundError
from tests.conftest import Harness


def _priority(harness: Harness, client: Endpointr) -> tuple[str, ...]:
    name = client.auth.introspect().user.name  # type: ignore[union-attr]
    return harness.admin.get_priority(customer=name)


def test_set_retrieve_delete(client: Endpointr) -> None:
    assert client.credentials.retrieve("openai").exists is False
    status = client.credentials.set("openai", api_key="sk-test-123", organization="org-1")
    assert status.exists and status.fields == ["api_key", "organization"]
    got = client.credentials.retrieve("openai")
    assert got.exists and got.service == "openai" and got.updated_at is not None
    assert "sk-test-123" not in got.model_dump_json()
    assert client.credentials.delete("openai").deleted
    assert client.credentials.retrieve("openai").exists is False
    with pytest.raises(NotFoundError):
        client.credentials.delete("openai")


def test_ai_providers_join_and_leave_the_priority_list(client: Endpointr, harness: Harness) -> None:
    client.credentials.set("anthropic", api_key="sk-ant-1")
    client.credentials.set("openai", api_key="sk-1")
    client.credentials.set("stripe", api_key="sk_live_1")  # not an AI provider
    client.credentials.set("anthropic", api_key="sk-ant-2")  # already listed: no duplicate
    assert _priority(harness, client) == ("anthropic", "openai")
    client.credentials.delete("anthropic")
    assert _priority(harness, client) == ("openai",)


@pytest.mark.parametrize(
    ("service", "fields", "message"),
    [
        ("openai", {"api_key": "sk-1", "api-key": "typo"}, "api-key: unknown field"),
        ("anthropic", {}, "api_key: Field required"),
        ("anthropic", {"api_key": ""}, "at least 1 character"),
        ("mailchimp", {"api_key": "abc"}, "data-center suffix"),
        ("dinero", {"client_id": "a", "client_secret": "b"}, "organization_id: Field required"),
        (
            "meta-ads",
            {"access_token": "a", "app_id": "1", "app_secret": "s", "api_version": "24"},
            "api_version",
        ),
    ],
)
def test_known_services_are_validated(
    client: Endpointr, service: str, fields: dict[str, str], message: str
) -> None:
    with pytest.raises(BadRequestError, match=message) as info:
        client.credentials.set(service, **fields)
    assert info.value.code == "invalid_credentials"
    assert client.credentials.retrieve(service).exists is False


def test_unknown_services_take_any_map(client: Endpointr) -> None:
    status = client.credentials.set("shortpixel", api_key="k", region={"eu": True})
    assert status.fields == ["api_key", "region"]
    with pytest.raises(BadRequestError, match="empty"):
        client.credentials.set("emptyservice")
    with pytest.raises(BadRequestError, match="not a service name"):
        client.credentials.set("Bad Service", api_key="x")
