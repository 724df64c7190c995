"""Resolution and failover: the priority list, statuses that fail over and those that do not,
pinned providers, streams, capabilities and missing credentials."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from endpointr import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    Endpointr,
    NotImplementedByProviderError,
    RateLimitError,
)
from tests.support.ai import (
    anthropic_error,
    anthropic_message,
    mock_chat,
    openai_completion,
    openai_error,
    openai_images,
    paths,
    unique,
)


@pytest.fixture
def client(mode: str, harness) -> Iterator[Endpointr]:  # type: ignore[no-untyped-def]
    """No SDK retries here: each test counts the upstream calls the gateway makes."""
    name = "t-" + uuid.uuid4().hex[:12]
    c = (
        harness.local(name, max_retries=0)
        if mode == "local"
        else harness.remote(name, max_retries=0)
    )
    yield c
    c.close()


def dropping(_: httpx.Request) -> httpx.Response:
    """An upstream that sends its headers and then drops the connection."""

    async def body() -> Any:
        yield b'{"id": "chatcmpl-'
        raise ConnectionResetError("gone")

    return httpx.Response(200, headers={"content-type": "application/json"}, content=body())


# Each upstream failure, and the status the caller would have seen from that provider alone.
FAILOVER = [
    (lambda: openai_error(500), 502),
    (lambda: openai_error(502), 502),
    (lambda: openai_error(503), 503),
    (lambda: openai_error(401), 401),
    (lambda: openai_error(403, "Country, region, or territory not supported"), 403),
    (lambda: openai_error(429), 429),
]


@pytest.mark.parametrize(("failure", "status"), FAILOVER, ids=[500, 502, 503, 401, 403, 429])
def test_failover_to_the_next_provider(client: Endpointr, upstream, failure, status: int) -> None:  # type: ignore[no-untyped-def]
    first = upstream.router.post(paths(upstream)["openai"]).mock(return_value=failure())
    second = mock_chat(upstream, "anthropic", text="from anthropic")
    client.credentials.set("openai", api_key="sk-test-openai-0201")  # priority: openai,
    client.credentials.set("anthropic", api_key="sk-ant-test-0201")  # then anthropic

    answer = client.ai.chat(prompt="hi")

    assert (answer.provider, answer.content) == ("anthropic", "from anthropic")
    (attempt,) = answer.attempts
    assert (attempt.provider, attempt.status) == ("openai", status)
    assert attempt.message.startswith("openai answered ")
    assert (first.call_count, second.call_count) == (1, 1)


def test_connection_failure_fails_over(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(paths(upstream)["openai"]).mock(side_effect=dropping)
    mock_chat(upstream, "anthropic", text="from anthropic")
    client.credentials.set("openai", api_key="sk-test-openai-0202")
    client.credentials.set("anthropic", api_key="sk-ant-test-0202")

    answer = client.ai.chat(prompt="hi")

    assert answer.provider == "anthropic"
    (attempt,) = answer.attempts
    assert (attempt.provider, attempt.status, attempt.code) == (
        "openai",
        502,
        "upstream_unreachable",
    )


def test_anthropic_overloaded_fails_over_to_openai(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(paths(upstream)["anthropic"]).mock(return_value=anthropic_error(529))
    mock_chat(upstream, "openai", content="from openai")
    client.credentials.set("anthropic", api_key="sk-ant-test-0203")
    client.credentials.set("openai", api_key="sk-test-openai-0203")

    answer = client.ai.chat(prompt="hi")

    assert answer.provider == "openai"
    assert [(a.provider, a.status, a.code) for a in answer.attempts] == [
        ("anthropic", 503, "overloaded_error")
    ]
    assert answer.attempts[0].message == "anthropic answered 529: Overloaded"


def test_cli_failure_fails_over(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    mock_chat(upstream, "openai", content="from openai")
    client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-vault-0204")
    client.credentials.set("openai", api_key="sk-test-openai-0204")

    answer = client.ai.chat(prompt=unique("FAIL_LIMIT"))

    assert answer.provider == "openai"
    (attempt,) = answer.attempts
    assert (attempt.provider, attempt.status) == ("claude-cli", 429)
    assert "usage limit reached" in attempt.message


@pytest.mark.parametrize("status", [400, 404, 422])
def test_caller_errors_do_not_fail_over(client: Endpointr, upstream, status: int) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(paths(upstream)["openai"]).mock(
        return_value=openai_error(status, f"bad input {status}")
    )
    second = mock_chat(upstream, "anthropic")
    client.credentials.set("openai", api_key="sk-test-openai-0205")
    client.credentials.set("anthropic", api_key="sk-ant-test-0205")

    with pytest.raises(APIStatusError) as info:
        client.ai.chat(prompt="hi")

    assert info.value.status_code == status
    assert info.value.message == f"openai answered {status}: bad input {status}"
    assert second.call_count == 0


def test_pinned_provider_never_fails_over(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(paths(upstream)["openai"]).mock(return_value=openai_error(503))
    second = mock_chat(upstream, "anthropic")
    client.credentials.set("anthropic", api_key="sk-ant-test-0206")
    client.credentials.set("openai", api_key="sk-test-openai-0206")

    with pytest.raises(APIStatusError) as info:
        client.ai.chat(prompt="hi", provider="openai")

    assert info.value.status_code == 503
    assert info.value.body["error"]["provider"] == "openai"
    assert second.call_count == 0


def test_pinned_provider_skips_the_priority_list(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    first = mock_chat(upstream, "openai")
    mock_chat(upstream, "anthropic", text="pinned")
    client.credentials.set("openai", api_key="sk-test-openai-0207")
    client.credentials.set("anthropic", api_key="sk-ant-test-0207")
    assert client.ai.chat(prompt="hi", provider="anthropic").content == "pinned"
    assert first.call_count == 0


def test_streams_never_fail_over(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(paths(upstream)["openai"]).mock(return_value=openai_error(503))
    second = upstream.router.post(paths(upstream)["anthropic"])
    client.credentials.set("openai", api_key="sk-test-openai-0208")
    client.credentials.set("anthropic", api_key="sk-ant-test-0208")

    with pytest.raises(APIStatusError) as info:
        list(client.ai.stream(prompt="hi"))

    assert info.value.status_code == 503
    assert second.call_count == 0


def test_every_provider_failing_reports_every_attempt(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(paths(upstream)["openai"]).mock(return_value=openai_error(429))
    upstream.router.post(paths(upstream)["anthropic"]).mock(return_value=anthropic_error(401))
    client.credentials.set("openai", api_key="sk-test-openai-0209")
    client.credentials.set("anthropic", api_key="sk-ant-test-0209")

    with pytest.raises(AuthenticationError) as info:
        client.ai.chat(prompt="hi")

    error = info.value.body["error"]
    assert [(a["provider"], a["status"]) for a in error["attempts"]] == [
        ("openai", 429),
        ("anthropic", 401),
    ]
    assert info.value.message == "anthropic answered 401: invalid x-api-key"


def test_rate_limits_carry_retry_after(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(paths(upstream)["openai"]).mock(return_value=openai_error(429))
    client.credentials.set("openai", api_key="sk-test-openai-0210")
    with pytest.raises(RateLimitError) as info:
        client.ai.chat(prompt="hi")
    assert info.value.response.headers["retry-after"] == "7"
    assert info.value.code == "insufficient_quota"


def test_attempts_never_show_a_key(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    key = "sk-test-openai-secret-0211-abcdefgh"
    upstream.router.post(paths(upstream)["openai"]).mock(
        return_value=openai_error(401, f"Incorrect API key provided: {key}.")
    )
    mock_chat(upstream, "anthropic")
    client.credentials.set("openai", api_key=key)
    client.credentials.set("anthropic", api_key="sk-ant-test-0211")

    answer = client.ai.chat(prompt="hi")

    assert key not in answer.model_dump_json()
    assert (
        answer.attempts[0].message == "openai answered 401: Incorrect API key provided: [REDACTED]."
    )


def test_providers_without_the_capability_are_skipped(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    route = upstream.router.post(f"{upstream.url}/openai/v1/images/generations").mock(
        return_value=httpx.Response(200, json=openai_images(url="https://cdn.example/fox.png"))
    )
    client.credentials.set("anthropic", api_key="sk-ant-test-0212")  # first, but cannot draw
    client.credentials.set("openai", api_key="sk-test-openai-0212")

    answer = client.ai.image(prompt="A red fox in snow")

    assert answer.provider == "openai"
    assert answer.attempts == []
    assert route.call_count == 1


def test_providers_without_credentials_are_skipped(mode: str, upstream, harness) -> None:  # type: ignore[no-untyped-def]
    mock_chat(upstream, "openai", content="ok")
    name = "t-" + uuid.uuid4().hex[:12]
    if mode == "local":
        harness.admin.create_customer(name)
    customer = harness.local(name) if mode == "local" else harness.remote(name)
    harness.admin.set_credentials("openai", {"api_key": "sk-test-openai-0213"}, customer=name)
    harness.admin.set_priority(["claude-cli", "openai"], customer=name)  # claude-cli has none
    with customer:
        answer = customer.ai.chat(prompt="hi")
    assert (answer.provider, answer.attempts) == ("openai", [])


def test_no_credentials_says_which_put_fixes_it(client: Endpointr) -> None:
    with pytest.raises(BadRequestError) as info:
        client.ai.chat(prompt="hi")
    assert info.value.code == "missing_credentials"
    assert "PUT /v1/credentials/openai" in info.value.message


def test_no_provider_that_can_do_it(client: Endpointr) -> None:
    client.credentials.set("anthropic", api_key="sk-ant-test-0214")
    with pytest.raises(BadRequestError) as info:
        client.ai.image(prompt="A fox")
    assert info.value.message == (
        "no provider in your priority list (anthropic) can generate images: store credentials "
        'for one of openai, openrouter, e.g. PUT /v1/credentials/openai with {"api_key": "sk-..."}'
    )


def test_pinned_provider_without_credentials(client: Endpointr) -> None:
    with pytest.raises(BadRequestError) as info:
        client.ai.chat(prompt="hi", provider="claude-cli")
    assert info.value.message == (
        "no claude-cli credentials: pass oauth_token in the body, set CLAUDE_CODE_OAUTH_TOKEN on "
        'the server, or PUT /v1/credentials/claude-cli with {"oauth_token": "..."} '
        "(from claude setup-token)"
    )


@pytest.mark.parametrize(
    ("provider", "operation"),
    [
        ("anthropic", "image"),
        ("claude-cli", "image"),
        ("openai-cli", "image"),
        ("claude-cli", "models"),
        ("openai-cli", "models"),
    ],
)
def test_pinned_provider_without_the_capability_is_501(
    client: Endpointr, provider: str, operation: str
) -> None:
    call = {
        "image": lambda: client.ai.image(prompt="A fox", provider=provider),  # type: ignore[arg-type]
        "models": lambda: client.ai.models(provider=provider),  # type: ignore[arg-type]
    }[operation]
    with pytest.raises(NotImplementedByProviderError) as info:
        call()
    assert info.value.status_code == 501
    assert f"{provider} cannot" in info.value.message


def test_an_override_for_another_provider_is_refused(client: Endpointr) -> None:
    client.credentials.set("openai", api_key="sk-test-openai-0215")
    with pytest.raises(BadRequestError, match="api_key in the body overrides openai-cli's"):
        client.ai.chat(prompt="hi", provider="openai", api_key="sk-other")


def test_fixtures_used_here_are_the_documented_shapes() -> None:
    assert openai_completion()["object"] == "chat.completion"
    assert anthropic_message()["type"] == "message"
