"""Every error class, raised in both modes by a real request; retries and timeouts."""

from __future__ import annotations

import uuid

import pytest

from endpointr import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncEndpointr,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    Endpointr,
    InternalServerError,
    MethodNotAllowedError,
    NotFoundError,
    NotImplementedByProviderError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from tests.conftest import Harness


def _key() -> str:
    return uuid.uuid4().hex[:10]


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (405, MethodNotAllowedError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (501, NotImplementedByProviderError),
        (418, APIStatusError),
    ],
)
def test_status_maps_to_its_exception(
    client: Endpointr, status: int, cls: type[APIStatusError]
) -> None:
    key = f"{status}-{_key()}"
    with pytest.raises(cls) as info:
        client.with_options(max_retries=0)._request("GET", f"/v1/testing/faults/{key}", cast=dict)
    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    assert err.message == f"fault {status} as asked"
    assert err.code == "fault"
    assert err.request_id and len(err.request_id) == 32
    assert isinstance(err.body, dict) and err.body["data"] is None


def test_natural_errors(client: Endpointr) -> None:
    with pytest.raises(NotFoundError) as info:
        client.vault.get("missing")
    assert info.value.code == "vault_entry_not_found"
    with pytest.raises(MethodNotAllowedError) as not_allowed:
        client._request("DELETE", "/v1/keys", cast=dict)
    assert not_allowed.value.response.headers["allow"] == "GET, POST"
    with pytest.raises(NotFoundError, match="no route"):
        client._request("GET", "/v1/nowhere", cast=dict)
    with pytest.raises(BadRequestError, match="not valid JSON"):
        client._request("PUT", "/v1/vault/x", content=b"{nope", cast=dict)


def test_unhandled_exception_is_a_500_without_detail(client: Endpointr) -> None:
    with pytest.raises(InternalServerError) as info:
        client.with_options(max_retries=0)._request("GET", "/v1/testing/crash", cast=dict)
    assert "sk-should-not-leak" not in info.value.response.text
    assert "Traceback" not in info.value.response.text
    assert info.value.request_id in info.value.message


def test_idempotent_requests_are_retried(client: Endpointr) -> None:
    key = f"503-{_key()}"
    echo = client._request(
        "GET", f"/v1/testing/faults/{key}", params={"fail_times": 2, "retry_after": "0"}, cast=dict
    )
    assert echo["attempts"] == 3


def test_retries_give_up_after_max_retries(client: Endpointr) -> None:
    key = f"503-{_key()}"
    with pytest.raises(InternalServerError):
        client.with_options(max_retries=1)._request(
            "GET", f"/v1/testing/faults/{key}", params={"retry_after": "0"}, cast=dict
        )
    echo = client._request("GET", f"/v1/testing/faults/200-{key}", cast=dict)
    assert echo["attempts"] == 1  # a different key: the counter above stopped at 2 tries


def test_a_post_is_not_retried_unless_the_server_says_so(client: Endpointr) -> None:
    key = f"503-{_key()}"
    with pytest.raises(InternalServerError):
        client._request("POST", f"/v1/testing/faults/{key}", params={"fail_times": 1}, cast=dict)
    again = f"503-{_key()}"
    echo = client._request(
        "POST",
        f"/v1/testing/faults/{again}",
        params={"fail_times": 1, "retryable": True, "retry_after": "0"},
        cast=dict,
    )
    assert echo["attempts"] == 2


def test_timeouts_per_call_raise_api_timeout_error(client: Endpointr) -> None:
    with pytest.raises(APITimeoutError):
        client.with_options(max_retries=0)._request(
            "GET", f"/v1/testing/faults/200-{_key()}", params={"sleep": 2}, cast=dict, timeout=0.3
        )


def test_client_timeout_applies_to_every_call(mode: str, harness: Harness) -> None:
    name = f"t-timeout-{_key()}"
    c = harness.local(name, timeout=0.3) if mode == "local" else harness.remote(name, timeout=0.3)
    with c, pytest.raises(APITimeoutError):
        c.with_options(max_retries=0)._request(
            "GET", f"/v1/testing/faults/200-{_key()}", params={"sleep": 2}, cast=dict
        )


def test_connection_error_when_nothing_listens() -> None:
    from tests.support.server import free_port

    c = Endpointr(api_key="epk_x", base_url=f"http://127.0.0.1:{free_port()}", max_retries=1)
    with c, pytest.raises(APIConnectionError) as info:
        c.vault.list()
    assert not isinstance(info.value, APITimeoutError)


async def test_async_errors_match(aclient: AsyncEndpointr) -> None:
    with pytest.raises(RateLimitError):
        await aclient.with_options(max_retries=0)._request(
            "GET", f"/v1/testing/faults/429-{_key()}", cast=dict
        )
    with pytest.raises(APITimeoutError):
        await aclient.with_options(max_retries=0)._request(
            "GET", f"/v1/testing/faults/200-{_key()}", params={"sleep": 2}, cast=dict, timeout=0.3
        )
    echo = await aclient._request(
        "GET", f"/v1/testing/faults/503-{_key()}", params={"fail_times": 1}, cast=dict
    )
    assert echo["attempts"] == 2
