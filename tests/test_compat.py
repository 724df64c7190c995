"""``/v1/chat/completions`` through the official openai SDK (``client.openai()``), sync and async,
in both modes, against mocked Anthropic, OpenAI and OpenRouter upstreams."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletion

from endpointr import AsyncEndpointr, Endpointr
from tests.conftest import Harness
from tests.support.llm import (
    CORPUS,
    FINISH_REASONS,
    SSE_HEADERS,
    WEATHER_TOOL,
    anthropic_error,
    anthropic_message,
    anthropic_text_stream,
    corpus_stream,
    openai_completion,
    openai_stream,
    sse,
    tool_use,
)
from tests.support.upstream import FakeUpstream

ANTHROPIC_KEY = "sk-ant-api03-test-key-0123456789"
OPENAI_KEY = "sk-proj-test-key-0123456789"
OPENROUTER_KEY = "sk-or-v1-test-key-0123456789"
CASES: dict[str, dict[str, Any]] = json.loads((CORPUS / "cases.json").read_text())


def messages_route(upstream: FakeUpstream) -> Any:
    return upstream.router.post(f"{upstream.url}/anthropic/v1/messages")


def openai_route(upstream: FakeUpstream) -> Any:
    return upstream.router.post(f"{upstream.url}/openai/v1/chat/completions")


def openrouter_route(upstream: FakeUpstream) -> Any:
    return upstream.router.post(f"{upstream.url}/openrouter/api/v1/chat/completions")


def sent(route: Any, call: int = -1) -> dict[str, Any]:
    return json.loads(route.calls[call].request.content)  # type: ignore[no-any-return]


@pytest.fixture
def oa(client: Endpointr) -> Any:
    client.credentials.set("anthropic", api_key=ANTHROPIC_KEY)
    with client.openai(max_retries=0) as oa:
        yield oa


@pytest.fixture
async def aoa(aclient: AsyncEndpointr) -> Any:
    await aclient.credentials.set("anthropic", api_key=ANTHROPIC_KEY)
    async with aclient.openai(max_retries=0) as oa:
        yield oa


# -- Anthropic: plain chat ---------------------------------------------------------------------


def test_anthropic_chat(oa: openai.OpenAI, upstream: FakeUpstream) -> None:
    route = messages_route(upstream).respond(json=anthropic_message("pong"))
    reply = oa.chat.completions.create(
        model="anthropic/claude-sonnet-4-6",
        messages=[
            {"role": "system", "content": "You are concise."},
            {"role": "user", "content": "Reply with exactly: pong"},
        ],
        max_tokens=50,
    )
    assert reply.choices[0].message.content == "pong"
    assert reply.choices[0].finish_reason == "stop"
    assert reply.model == "anthropic/claude-sonnet-4-6"
    assert reply.object == "chat.completion"
    assert reply.usage is not None and reply.usage.total_tokens == 37
    request = route.calls.last.request
    assert request.headers["x-api-key"] == ANTHROPIC_KEY
    assert request.headers["anthropic-version"] == "2023-06-01"
    assert sent(route) == {
        "model": "claude-sonnet-4-6",
        "max_tokens": 50,
        "system": "You are concise.",
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "Reply with exactly: pong"}]}
        ],
    }


def test_bare_claude_model_and_default_max_tokens(
    oa: openai.OpenAI, upstream: FakeUpstream
) -> None:
    route = messages_route(upstream).respond(json=anthropic_message("hi", model="claude-haiku-4-5"))
    reply = oa.chat.completions.create(
        model="claude-haiku-4-5", messages=[{"role": "user", "content": "hi"}]
    )
    assert reply.model == "claude-haiku-4-5"
    assert sent(route)["max_tokens"] == 4096


def test_ai_completions_path_is_the_same_handler(oa: openai.OpenAI, upstream: FakeUpstream) -> None:
    messages_route(upstream).respond(json=anthropic_message("same"))
    body = {"model": "anthropic/claude-sonnet-4-6", "messages": [{"role": "user", "content": "?"}]}
    reply = oa.post("/ai/completions", cast_to=ChatCompletion, body=body)
    assert reply.choices[0].message.content == "same"


@pytest.mark.parametrize(
    ("stop_reason", "finish_reason"), [*FINISH_REASONS, ("future_stop_reason", "stop")]
)
def test_every_finish_reason(
    oa: openai.OpenAI, upstream: FakeUpstream, stop_reason: str, finish_reason: str
) -> None:
    content: list[dict[str, Any]] = [{"type": "text", "text": "x"}]
    if stop_reason == "tool_use":
        content.append(tool_use("get_weather", {"city": "Oslo"}, "toolu_01"))
    messages_route(upstream).respond(json=anthropic_message(content, stop_reason=stop_reason))
    reply = oa.chat.completions.create(
        model="claude-sonnet-4-6", messages=[{"role": "user", "content": "x"}], stop=["###"]
    )
    assert reply.choices[0].finish_reason == finish_reason
    raw = reply.choices[0].model_dump()
    assert raw.get("stop_reason") == (stop_reason if stop_reason == "future_stop_reason" else None)


# -- Anthropic: tools ----------------------------------------------------------------------------


def test_tool_calling_round_trip(oa: openai.OpenAI, upstream: FakeUpstream) -> None:
    route = messages_route(upstream)
    route.side_effect = [
        httpx.Response(
            200,
            json=anthropic_message(
                [tool_use("get_weather", {"city": "Copenhagen"}, "toolu_01A09q90qw90lq917835lq9")],
                stop_reason="tool_use",
            ),
        ),
        httpx.Response(200, json=anthropic_message("15°C and light rain in Copenhagen.")),
    ]
    messages: list[Any] = [{"role": "user", "content": "What's the weather in Copenhagen?"}]
    first = oa.chat.completions.create(
        model="anthropic/claude-sonnet-4-6",
        messages=messages,
        tools=[WEATHER_TOOL],
        tool_choice="auto",
    )
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    call = choice.message.tool_calls[0]  # type: ignore[index]
    assert call.function.arguments == '{"city":"Copenhagen"}'
    assert sent(route, 0)["tools"][0]["input_schema"] == WEATHER_TOOL["function"]["parameters"]
    assert sent(route, 0)["tool_choice"] == {"type": "auto"}

    messages.append(choice.message.model_dump(exclude_none=True))
    messages.append({"role": "tool", "tool_call_id": call.id, "content": "15°C, light rain"})
    final = oa.chat.completions.create(
        model="anthropic/claude-sonnet-4-6", messages=messages, tools=[WEATHER_TOOL]
    )
    assert final.choices[0].finish_reason == "stop"
    assert final.choices[0].message.content == "15°C and light rain in Copenhagen."
    turns = sent(route, 1)["messages"]
    assert turns[1] == {
        "role": "assistant",
        "content": [
            {
                "type": "tool_use",
                "id": "toolu_01A09q90qw90lq917835lq9",
                "name": "get_weather",
                "input": {"city": "Copenhagen"},
            }
        ],
    }
    assert turns[2] == {
        "role": "user",
        "content": [
            {
                "type": "tool_result",
                "tool_use_id": "toolu_01A09q90qw90lq917835lq9",
                "content": "15°C, light rain",
            }
        ],
    }


def test_parallel_tool_calls(oa: openai.OpenAI, upstream: FakeUpstream) -> None:
    route = messages_route(upstream).respond(
        json=anthropic_message(
            [
                {"type": "text", "text": "Checking both."},
                tool_use("get_weather", {"city": "Paris"}, "toolu_01Paris"),
                tool_use("get_weather", {"city": "Oslo"}, "toolu_01Oslo"),
            ],
            stop_reason="tool_use",
        )
    )
    reply = oa.chat.completions.create(
        model="claude-sonnet-4-6",
        messages=[{"role": "user", "content": "Weather in Paris and Oslo?"}],
        tools=[WEATHER_TOOL],
        tool_choice="required",
        parallel_tool_calls=True,
    )
    calls = reply.choices[0].message.tool_calls or []
    assert [(c.id, json.loads(c.function.arguments)) for c in calls] == [
        ("toolu_01Paris", {"city": "Paris"}),
        ("toolu_01Oslo", {"city": "Oslo"}),
    ]
    assert reply.choices[0].message.content == "Checking both."
    assert sent(route)["tool_choice"] == {"type": "any"}


def test_named_tool_choice_without_parallel_calls(
    oa: openai.OpenAI, upstream: FakeUpstream
) -> None:
    route = messages_route(upstream).respond(json=anthropic_message("x"))
    oa.chat.completions.create(
        model="claude-sonnet-4-6",
        messages=[{"role": "user", "content": "x"}],
        tools=[WEATHER_TOOL],
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
        parallel_tool_calls=False,
    )
    assert sent(route)["tool_choice"] == {
        "type": "tool",
        "name": "get_weather",
        "disable_parallel_tool_use": True,
    }


# -- Anthropic: streams --------------------------------------------------------------------------


def _chunks_as_sent(chunks: list[Any]) -> list[dict[str, Any]]:
    out = []
    for chunk in chunks:
        data = chunk.model_dump(mode="json", exclude_unset=True)
        data["created"] = 1700000000  # the corpus was written with a fixed clock
        out.append(data)
    return out


def _expected(case: str) -> tuple[list[Any], dict[str, Any] | None]:
    lines = (CORPUS / f"{case}.expected.jsonl").read_text().splitlines()[:-1]
    frames = [json.loads(line) for line in lines]
    error = frames.pop()["error"] if "error" in frames[-1] else None
    return frames, error


@pytest.mark.parametrize("case", sorted(CASES))
def test_streams_reach_the_openai_sdk_as_the_corpus_says(
    oa: openai.OpenAI, upstream: FakeUpstream, case: str
) -> None:
    messages_route(upstream).mock(side_effect=lambda _: corpus_stream(case))
    expected, error = _expected(case)
    chunks: list[Any] = []
    options: Any = {"include_usage": True} if CASES[case]["include_usage"] else openai.omit
    stream = oa.chat.completions.create(
        model="anthropic/claude-sonnet-4-6",
        messages=[{"role": "user", "content": "go"}],
        stream=True,
        stream_options=options,
    )
    if error is None:
        chunks.extend(stream)
    else:
        with pytest.raises(openai.APIError) as info:
            chunks.extend(stream)
        assert info.value.message == error["message"]
    assert _chunks_as_sent(chunks) == expected


def test_stream_headers_and_raw_frames(oa: openai.OpenAI, upstream: FakeUpstream) -> None:
    route = messages_route(upstream).mock(side_effect=lambda _: sse(anthropic_text_stream("abc")))
    with oa.chat.completions.with_streaming_response.create(
        model="claude-sonnet-4-6", messages=[{"role": "user", "content": "x"}], stream=True
    ) as response:
        assert response.headers["content-type"] == "text/event-stream"
        body = b"".join(response.iter_bytes())
    assert body.endswith(b"data: [DONE]\n\n")
    assert sent(route)["stream"] is True


def test_stream_arrives_as_it_is_produced(
    oa: openai.OpenAI, upstream: FakeUpstream, mode: str
) -> None:
    """The first chunk reaches the caller while the upstream is still holding the rest."""
    gate = threading.Event()
    timed_out: list[bool] = []
    text = anthropic_text_stream("first second", pieces=2).encode()
    head, tail = text.split(b"event: content_block_stop")
    cut = head.rindex(b"event: content_block_delta")  # hold back the second delta too

    class Held(httpx.AsyncByteStream):
        async def __aiter__(self) -> Any:
            yield head[:cut]
            deadline = time.monotonic() + 5
            while not gate.is_set() and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.005)  # the gate is set from another thread
            timed_out.append(not gate.is_set())
            yield head[cut:] + b"event: content_block_stop" + tail

    messages_route(upstream).mock(
        side_effect=lambda _: httpx.Response(200, headers=SSE_HEADERS, stream=Held())
    )
    pieces = []
    for chunk in oa.chat.completions.create(
        model="claude-sonnet-4-6", messages=[{"role": "user", "content": "x"}], stream=True
    ):
        if chunk.choices and chunk.choices[0].delta.content:
            pieces.append(chunk.choices[0].delta.content)
            gate.set()
    assert "".join(pieces) == "first second"
    assert timed_out == [False], f"{mode}: the first chunk waited for the whole stream"


def test_stream_closed_early_by_the_caller(oa: openai.OpenAI, upstream: FakeUpstream) -> None:
    messages_route(upstream).mock(side_effect=lambda _: sse(anthropic_text_stream("a b c d e f")))
    with oa.chat.completions.create(
        model="claude-sonnet-4-6", messages=[{"role": "user", "content": "x"}], stream=True
    ) as stream:
        first = next(iter(stream))
    assert first.choices[0].delta.role == "assistant"
    # the connection is reusable afterwards
    messages_route(upstream).respond(json=anthropic_message("after"))
    reply = oa.chat.completions.create(
        model="claude-sonnet-4-6", messages=[{"role": "user", "content": "x"}]
    )
    assert reply.choices[0].message.content == "after"


# -- OpenAI and OpenRouter: near-passthrough -----------------------------------------------------


def test_openai_passthrough_strips_and_restores_the_prefix(
    client: Endpointr, oa: openai.OpenAI, upstream: FakeUpstream
) -> None:
    client.credentials.set("openai", api_key=OPENAI_KEY, organization="org-test")
    route = openai_route(upstream).respond(json=openai_completion("Hi"))
    reply = oa.chat.completions.create(
        model="openai/gpt-4o-mini",
        messages=[{"role": "user", "content": "Say hi in one word."}],
        response_format={"type": "json_object"},
        presence_penalty=0.5,
        frequency_penalty=0.1,
        seed=7,
        logprobs=False,
        n=1,
        user="u-1",
        extra_body={"store": False, "custom_field": {"x": 1}},
    )
    assert reply.choices[0].message.content == "Hi"
    assert reply.model == "openai/gpt-4o-mini-2024-07-18"
    assert reply.system_fingerprint == "fp_06737a9306"  # untouched
    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {OPENAI_KEY}"
    assert request.headers["openai-organization"] == "org-test"
    body = sent(route)
    assert body["model"] == "gpt-4o-mini"
    assert body["response_format"] == {"type": "json_object"}
    assert body["presence_penalty"] == 0.5 and body["frequency_penalty"] == 0.1
    assert body["seed"] == 7 and body["user"] == "u-1"
    assert body["custom_field"] == {"x": 1} and body["store"] is False


def test_bare_gpt_model_goes_upstream_byte_for_byte(
    client: Endpointr, oa: openai.OpenAI, upstream: FakeUpstream
) -> None:
    client.credentials.set("openai", api_key=OPENAI_KEY)
    upstream_body = openai_completion("ok")
    route = openai_route(upstream).respond(json=upstream_body)
    raw = oa.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "x"}], temperature=0.3
    )
    assert json.loads(raw.http_response.content) == upstream_body
    assert sent(route) == {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "x"}],
        "temperature": 0.3,
    }


@pytest.mark.parametrize("model", ["o1", "o3-mini", "o4-mini", "gpt-4.1"])
def test_openai_model_families(
    client: Endpointr, oa: openai.OpenAI, upstream: FakeUpstream, model: str
) -> None:
    client.credentials.set("openai", api_key=OPENAI_KEY)
    route = openai_route(upstream).respond(json=openai_completion("ok", model=model))
    oa.chat.completions.create(model=model, messages=[{"role": "user", "content": "x"}])
    assert sent(route)["model"] == model


def test_openai_stream_passes_through_with_the_prefix_restored(
    client: Endpointr, oa: openai.OpenAI, upstream: FakeUpstream
) -> None:
    client.credentials.set("openai", api_key=OPENAI_KEY)
    openai_route(upstream).mock(side_effect=lambda _: sse(openai_stream(["Hel", "lo"])))
    chunks = list(
        oa.chat.completions.create(
            model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "x"}], stream=True
        )
    )
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Hello"
    assert {c.model for c in chunks} == {"openai/gpt-4o-mini-2024-07-18"}
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_openai_tool_round_trip(
    client: Endpointr, oa: openai.OpenAI, upstream: FakeUpstream
) -> None:
    client.credentials.set("openai", api_key=OPENAI_KEY)
    call = {
        "id": "call_abc123",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city":"Copenhagen"}'},
    }
    route = openai_route(upstream)
    route.side_effect = [
        httpx.Response(
            200, json=openai_completion(None, tool_calls=[call], finish_reason="tool_calls")
        ),
        httpx.Response(200, json=openai_completion("15°C")),
    ]
    messages: list[Any] = [{"role": "user", "content": "Weather?"}]
    first = oa.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=[WEATHER_TOOL])
    assert first.choices[0].finish_reason == "tool_calls"
    messages.append(first.choices[0].message.model_dump(exclude_none=True))
    messages.append({"role": "tool", "tool_call_id": "call_abc123", "content": "15°C"})
    final = oa.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=[WEATHER_TOOL])
    assert final.choices[0].message.content == "15°C"
    assert sent(route, 1)["messages"][2] == {
        "role": "tool",
        "tool_call_id": "call_abc123",
        "content": "15°C",
    }


def test_openrouter_gets_the_model_verbatim(
    client: Endpointr, oa: openai.OpenAI, upstream: FakeUpstream
) -> None:
    client.credentials.set(
        "openrouter", api_key=OPENROUTER_KEY, referer="https://app.example", app_title="My App"
    )
    route = openrouter_route(upstream).respond(
        json=openai_completion("Bonjour", model="google/gemini-2.5-flash")
    )
    reply = oa.chat.completions.create(
        model="google/gemini-2.5-flash", messages=[{"role": "user", "content": "x"}]
    )
    assert reply.model == "google/gemini-2.5-flash"
    assert reply.choices[0].message.content == "Bonjour"
    request = route.calls.last.request
    assert sent(route)["model"] == "google/gemini-2.5-flash"
    assert request.headers["authorization"] == f"Bearer {OPENROUTER_KEY}"
    assert request.headers["http-referer"] == "https://app.example"
    assert request.headers["x-title"] == "My App"


def test_openrouter_stream(client: Endpointr, oa: openai.OpenAI, upstream: FakeUpstream) -> None:
    client.credentials.set("openrouter", api_key=OPENROUTER_KEY)
    body = ": OPENROUTER PROCESSING\n\n" + openai_stream(
        ["Bon", "jour"], model="mistralai/mixtral-8x7b-instruct"
    )
    openrouter_route(upstream).mock(side_effect=lambda _: sse(body))
    chunks = list(
        oa.chat.completions.create(
            model="mistralai/mixtral-8x7b-instruct",
            messages=[{"role": "user", "content": "x"}],
            stream=True,
        )
    )
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Bonjour"
    assert {c.model for c in chunks} == {"mistralai/mixtral-8x7b-instruct"}


# -- parameters ------------------------------------------------------------------------------------


def test_accepted_but_ignored_parameters_for_anthropic(
    oa: openai.OpenAI, upstream: FakeUpstream
) -> None:
    route = messages_route(upstream).respond(json=anthropic_message("ok"))
    reply = oa.chat.completions.create(
        model="claude-sonnet-4-6",
        messages=[{"role": "user", "content": "x"}],
        logprobs=True,
        top_logprobs=2,
        n=1,
        seed=1,
        logit_bias={"50256": -100},
        user="n8n-user",
        service_tier="auto",
        response_format={"type": "json_object"},
        presence_penalty=0.1,
        frequency_penalty=0.1,
        temperature=0.5,
        top_p=0.9,
    )
    assert reply.choices[0].message.content == "ok"
    body = sent(route)
    assert body["temperature"] == 0.5 and body["top_p"] == 0.9
    ignored = {"logprobs", "top_logprobs", "n", "seed", "logit_bias", "user", "service_tier"}
    assert not ignored & set(body)
    assert not {"response_format", "presence_penalty", "frequency_penalty"} & set(body)


def test_unknown_parameter_for_anthropic_is_a_400(
    oa: openai.OpenAI, upstream: FakeUpstream
) -> None:
    route = messages_route(upstream).respond(json=anthropic_message("ok"))
    with pytest.raises(openai.BadRequestError) as info:
        oa.chat.completions.create(
            model="claude-sonnet-4-6",
            messages=[{"role": "user", "content": "x"}],
            extra_body={"temprature": 0.2},
        )
    assert "temprature" in info.value.message
    assert not route.called


def test_untranslatable_message_is_a_400_naming_it(
    oa: openai.OpenAI, upstream: FakeUpstream
) -> None:
    with pytest.raises(openai.BadRequestError) as info:
        oa.chat.completions.create(
            model="claude-sonnet-4-6",
            messages=[
                {"role": "user", "content": "x"},
                {"role": "tool", "content": "orphan"},  # type: ignore[list-item, typeddict-item]
            ],
        )
    assert info.value.status_code == 400
    assert "messages[1]: a tool message needs the tool_call_id" in info.value.message
    assert info.value.body == {  # OpenAI's error shape, no envelope
        "message": "messages[1]: a tool message needs the tool_call_id of the call it answers",
        "type": "invalid_request_error",
        "code": "invalid_messages",
    }


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"messages": [{"role": "user", "content": "x"}]}, "body.model: Field required"),
        ({"model": "claude-sonnet-4-6", "messages": []}, "body.messages"),
        (
            {
                "model": "claude-sonnet-4-6",
                "messages": [{"role": "user", "content": "x"}],
                "temperature": 3,
            },
            "temperature",
        ),
        ({"model": "anthropic/", "messages": [{"role": "user", "content": "x"}]}, "names no model"),
    ],
)
def test_invalid_bodies_are_400s(oa: openai.OpenAI, body: dict[str, Any], fragment: str) -> None:
    with pytest.raises(openai.BadRequestError) as info:
        oa.post("/chat/completions", cast_to=ChatCompletion, body=body)
    assert fragment in info.value.message


# -- errors ----------------------------------------------------------------------------------------


def test_missing_upstream_credentials_is_a_401_with_the_fix(
    client: Endpointr, upstream: FakeUpstream
) -> None:
    with client.openai(max_retries=0) as oa:
        for model, provider in [
            ("claude-sonnet-4-6", "anthropic"),
            ("gpt-4o", "openai"),
            ("meta-llama/llama-3-70b", "openrouter"),
        ]:
            with pytest.raises(openai.AuthenticationError) as info:
                oa.chat.completions.create(model=model, messages=[{"role": "user", "content": "x"}])
            assert f"PUT /v1/credentials/{provider}" in info.value.message
            assert info.value.code == "missing_credentials"


def test_bad_api_key_is_a_401(harness: Harness, upstream: FakeUpstream) -> None:
    url = f"{harness.server.url}/v1"
    with (
        openai.OpenAI(api_key="epk_not-a-key", base_url=url, max_retries=0) as oa,
        pytest.raises(openai.AuthenticationError) as info,
    ):
        oa.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}])
    assert "api_key" in info.value.message
    assert info.value.body["type"] == "authentication_error"  # type: ignore[index]


def test_a_jwt_is_not_the_key_here(harness: Harness) -> None:
    with (
        harness.remote("jwt-holder") as c,
        openai.OpenAI(
            api_key=c.auth.issue().token, base_url=f"{harness.server.url}/v1", max_retries=0
        ) as oa,
        pytest.raises(openai.AuthenticationError),
    ):
        oa.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}])


@pytest.mark.parametrize(
    ("status", "type_", "exc", "expect_status"),
    [
        (400, "invalid_request_error", openai.BadRequestError, 400),
        (401, "authentication_error", openai.AuthenticationError, 401),
        (404, "not_found_error", openai.NotFoundError, 404),
        (429, "rate_limit_error", openai.RateLimitError, 429),
        (500, "api_error", openai.InternalServerError, 502),
        (529, "overloaded_error", openai.InternalServerError, 503),
    ],
)
def test_upstream_errors(
    oa: openai.OpenAI,
    upstream: FakeUpstream,
    status: int,
    type_: str,
    exc: type[openai.APIStatusError],
    expect_status: int,
) -> None:
    response = anthropic_error(status, type_, f"upstream said {status} for key {ANTHROPIC_KEY}")
    if status == 429:
        response.headers["retry-after"] = "7"
    messages_route(upstream).mock(return_value=response)
    for stream in (False, True):
        with pytest.raises(exc) as info:
            oa.chat.completions.create(
                model="claude-sonnet-4-6",
                messages=[{"role": "user", "content": "x"}],
                stream=stream,
            )
        err = info.value
        assert err.status_code == expect_status
        assert f"upstream said {status}" in err.message
        assert ANTHROPIC_KEY not in err.message and ANTHROPIC_KEY not in err.response.text
        if status == 401:
            assert "PUT /v1/credentials/anthropic" in err.message
        if status == 429:
            assert err.response.headers["retry-after"] == "7"


def test_upstream_unreachable_is_a_502(harness: Harness) -> None:
    from tests.support.server import free_port

    settings = harness.settings.model_copy(
        update={"anthropic_base_url": f"http://127.0.0.1:{free_port()}"}
    )
    with Endpointr.local(":memory:", settings=settings) as local:
        local.credentials.set("anthropic", api_key=ANTHROPIC_KEY)
        with local.openai(max_retries=0) as oa, pytest.raises(openai.InternalServerError) as info:
            oa.chat.completions.create(
                model="claude-sonnet-4-6", messages=[{"role": "user", "content": "x"}]
            )
    assert info.value.status_code == 502
    assert info.value.code == "upstream_unreachable"
    assert "cannot reach anthropic" in info.value.message


# -- async -----------------------------------------------------------------------------------------


async def test_async_chat_stream_and_tools(aoa: openai.AsyncOpenAI, upstream: FakeUpstream) -> None:
    route = messages_route(upstream)
    route.side_effect = [
        httpx.Response(200, json=anthropic_message("pong")),
        sse(anthropic_text_stream("streamed answer")),
        httpx.Response(
            200,
            json=anthropic_message(
                [tool_use("get_weather", {"city": "Oslo"}, "toolu_9")], stop_reason="tool_use"
            ),
        ),
        httpx.Response(200, json=anthropic_message("3°C")),
    ]
    reply = await aoa.chat.completions.create(
        model="anthropic/claude-sonnet-4-6", messages=[{"role": "user", "content": "ping"}]
    )
    assert reply.choices[0].message.content == "pong"

    stream = await aoa.chat.completions.create(
        model="anthropic/claude-sonnet-4-6",
        messages=[{"role": "user", "content": "go"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [c async for c in stream]
    assert (
        "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "streamed answer"
    )
    assert chunks[-1].usage is not None and chunks[-1].usage.prompt_tokens == 10

    messages: list[Any] = [{"role": "user", "content": "Weather in Oslo?"}]
    first = await aoa.chat.completions.create(
        model="claude-sonnet-4-6", messages=messages, tools=[WEATHER_TOOL]
    )
    call = first.choices[0].message.tool_calls[0]  # type: ignore[index]
    messages += [
        first.choices[0].message.model_dump(exclude_none=True),
        {"role": "tool", "tool_call_id": call.id, "content": "3°C"},
    ]
    final = await aoa.chat.completions.create(
        model="claude-sonnet-4-6", messages=messages, tools=[WEATHER_TOOL]
    )
    assert final.choices[0].message.content == "3°C"
    assert sent(route, 3)["messages"][2]["content"][0]["tool_use_id"] == "toolu_9"


async def test_async_stream_with_a_mid_stream_error(
    aoa: openai.AsyncOpenAI, upstream: FakeUpstream
) -> None:
    messages_route(upstream).mock(side_effect=lambda _: corpus_stream("mid_stream_error"))
    stream = await aoa.chat.completions.create(
        model="claude-sonnet-4-6", messages=[{"role": "user", "content": "x"}], stream=True
    )
    got: list[str] = []

    async def read() -> None:
        async for chunk in stream:
            got.append(chunk.choices[0].delta.content or "")

    with pytest.raises(openai.APIError, match="Overloaded"):
        await read()
    assert "".join(got) == "Once upon"


async def test_async_openai_passthrough_stream(
    aclient: AsyncEndpointr, aoa: openai.AsyncOpenAI, upstream: FakeUpstream
) -> None:
    await aclient.credentials.set("openai", api_key=OPENAI_KEY)
    openai_route(upstream).mock(side_effect=lambda _: sse(openai_stream(["a", "b", "c"])))
    stream = await aoa.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "x"}], stream=True
    )
    assert "".join([c.choices[0].delta.content or "" async for c in stream]) == "abc"
