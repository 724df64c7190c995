"""``client.ai.models``: each provider's catalogue in one shape (extra fields kept)."""

from __future__ import annotations

import httpx

from endpointr import Endpointr
from tests.support.ai import (
    anthropic_models,
    openai_error,
    openai_models,
    openrouter_models,
)


def test_openai_models(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    route = upstream.router.get(f"{upstream.url}/openai/v1/models").mock(
        return_value=httpx.Response(200, json=openai_models())
    )
    client.credentials.set("openai", api_key="sk-test-openai-0501")

    listing = client.ai.models()

    assert listing.provider == "openai"
    assert [m.id for m in listing.models] == ["gpt-4o-mini", "gpt-image-1"]
    assert (listing.models[0].created, listing.models[0].owned_by) == (1721172741, "system")
    assert route.calls.last.request.headers["authorization"] == "Bearer sk-test-openai-0501"


def test_anthropic_models_every_page(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    def pages(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("after_id")
        return httpx.Response(200, json=anthropic_models(2 if after else 1))

    route = upstream.router.get(f"{upstream.url}/anthropic/v1/models").mock(side_effect=pages)
    client.credentials.set("anthropic", api_key="sk-ant-test-0502")

    listing = client.ai.models(provider="anthropic")

    assert [(m.id, m.name) for m in listing.models] == [
        ("claude-sonnet-4-6", "Claude Sonnet 4.6"),
        ("claude-haiku-4-5-20251001", "Claude Haiku 4.5"),
    ]
    assert listing.models[0].created == 1771286400  # 2026-02-17T00:00:00Z
    assert route.call_count == 2
    assert route.calls[1].request.url.params["after_id"] == "claude-sonnet-4-6"
    assert route.calls[0].request.headers["x-api-key"] == "sk-ant-test-0502"


def test_openrouter_models_keep_their_details(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.get(f"{upstream.url}/openrouter/api/v1/models").mock(
        return_value=httpx.Response(200, json=openrouter_models())
    )
    client.credentials.set("openrouter", api_key="sk-or-test-0503")

    (model,) = client.ai.models(provider="openrouter").models

    assert model.id == "google/gemini-2.5-flash-image-preview"
    assert model.name == "Google: Gemini 2.5 Flash Image Preview (Nano Banana)"
    assert model.context_length == 32768  # type: ignore[attr-defined]  # passed through
    assert model.pricing["completion"] == "0.0000025"  # type: ignore[attr-defined]


def test_models_fail_over(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.get(f"{upstream.url}/openai/v1/models").mock(return_value=openai_error(500))
    upstream.router.get(f"{upstream.url}/anthropic/v1/models").mock(
        return_value=httpx.Response(200, json=anthropic_models(2))
    )
    client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-0504")  # cannot list: skipped
    client.credentials.set("openai", api_key="sk-test-openai-0504")
    client.credentials.set("anthropic", api_key="sk-ant-test-0504")

    listing = client.ai.models()

    assert listing.provider == "anthropic"
    assert [(a.provider, a.status) for a in listing.attempts] == [("openai", 502)]
