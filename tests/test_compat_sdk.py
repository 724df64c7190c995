"""``client.ai.completions.create()``: the OpenAI-compatible endpoint from the Endpointr SDK
itself (no openai package), sync and async, in both modes."""

from __future__ import annotations

import json

import httpx
import pytest

from endpointr import APIError, AsyncEndpointr, AuthenticationError, Endpointr
from endpointr.types.completions import ChatCompletion, ChatCompletionChunk
from tests.support.llm import (
    WEATHER_TOOL,
    anthropic_message,
    corpus_stream,
    openai_completion,
    tool_use,
)
from tests.support.upstream import FakeUpstream


def anthropic_route(upstream: FakeUpstream):  # type: ignore[no-untyped-def]
    return upstream.router.post(f"{upstream.url}/anthropic/v1/messages")


def test_create(client: Endpointr, upstream: FakeUpstream) -> None:
    client.credentials.set("anthropic", api_key="sk-ant-sdk-test-key")
    route = anthropic_route(upstream).respond(
        json=anthropic_message(
            [
                {"type": "text", "text": "Checking."},
                tool_use("get_weather", {"city": "Oslo"}, "toolu_01Sdk"),
            ],
            stop_reason="tool_use",
        )
    )
    reply = client.ai.completions.create(
        model="anthropic/claude-sonnet-4-6",
        messages=[{"role": "user", "content": "Weather in Oslo?"}],
        tools=[WEATHER_TOOL],
        tool_choice="auto",
        max_tokens=64,
    )
    assert isinstance(reply, ChatCompletion)
    assert reply.model == "anthropic/claude-sonnet-4-6"
    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content == "Checking."
    call = (choice.message.tool_calls or [])[0]
    assert call.id == "toolu_01Sdk" and call.function is not None
    assert json.loads(call.function.arguments or "") == {"city": "Oslo"}
    assert reply.usage is not None and reply.usage.total_tokens == 37
    assert json.loads(route.calls.last.request.content)["max_tokens"] == 64


def test_stream_with_tool_call_and_usage(client: Endpointr, upstream: FakeUpstream) -> None:
    client.credentials.set("anthropic", api_key="sk-ant-sdk-test-key")
    anthropic_route(upstream).mock(side_effect=lambda _: corpus_stream("one_tool"))
    with client.ai.completions.create(
        model="claude-sonnet-4-6",
        messages=[{"role": "user", "content": "Weather?"}],
        tools=[WEATHER_TOOL],
        stream=True,
        include_usage=True,
    ) as stream:
        chunks = list(stream)
    assert all(isinstance(c, ChatCompletionChunk) for c in chunks)
    fragments = [
        tc.function.arguments or ""
        for c in chunks
        for choice in c.choices
        for tc in choice.delta.tool_calls or []
        if tc.function is not None
    ]
    assert json.loads("".join(fragments)) == {"city": "Copenhagen"}
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "tool_calls"
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 442


def test_mid_stream_error_raises(client: Endpointr, upstream: FakeUpstream) -> None:
    client.credentials.set("anthropic", api_key="sk-ant-sdk-test-key")
    anthropic_route(upstream).mock(side_effect=lambda _: corpus_stream("mid_stream_error"))
    stream = client.ai.completions.create(
        model="claude-sonnet-4-6", messages=[{"role": "user", "content": "x"}], stream=True
    )
    text: list[str] = []
    with pytest.raises(APIError, match="Overloaded"):  # noqa: PT012
        for chunk in stream:
            text.append(chunk.choices[0].delta.content or "")
    assert "".join(text) == "Once upon"


def test_missing_credentials(client: Endpointr) -> None:
    with pytest.raises(AuthenticationError) as info:
        client.ai.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}])
    assert "PUT /v1/credentials/openai" in info.value.message


async def test_async_create_and_stream(aclient: AsyncEndpointr, upstream: FakeUpstream) -> None:
    await aclient.credentials.set("openai", api_key="sk-proj-sdk-test-key")
    await aclient.credentials.set("anthropic", api_key="sk-ant-sdk-test-key")
    upstream.router.post(f"{upstream.url}/openai/v1/chat/completions").respond(
        json=openai_completion("hi")
    )
    reply = await aclient.ai.completions.create(
        model="openai/gpt-4o-mini",
        messages=[{"role": "user", "content": "x"}],
        extra_body={"seed": 3},
    )
    assert reply.choices[0].message.content == "hi"
    assert reply.model == "openai/gpt-4o-mini-2024-07-18"
    anthropic_route(upstream).mock(side_effect=lambda _: corpus_stream("text_then_tool"))
    stream = await aclient.ai.completions.create(
        model="claude-sonnet-4-6", messages=[{"role": "user", "content": "x"}], stream=True
    )
    async with stream:
        text = [c.choices[0].delta.content or "" async for c in stream if c.choices]
    assert "".join(text) == "Let me check the weather."


def test_routes_are_not_retried_as_if_idempotent(client: Endpointr, upstream: FakeUpstream) -> None:
    client.credentials.set("anthropic", api_key="sk-ant-sdk-test-key")
    route = anthropic_route(upstream).mock(
        return_value=httpx.Response(
            400, json={"type": "error", "error": {"type": "invalid_request_error", "message": "no"}}
        )
    )
    with pytest.raises(APIError):
        client.ai.completions.create(
            model="claude-sonnet-4-6", messages=[{"role": "user", "content": "x"}]
        )
    assert route.call_count == 1
