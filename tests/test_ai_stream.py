"""``client.ai.stream``: each provider's native frames, read as one kind of typed event."""

from __future__ import annotations

import os
import time
from typing import Any

import httpx
import pytest

from endpointr import AsyncEndpointr, AuthenticationError, Endpointr
from endpointr.types.ai import DoneEvent, ErrorEvent, FrameEvent, TextEvent
from tests.support import fake_cli
from tests.support.ai import (
    Hold,
    anthropic_stream_frames,
    openai_stream_frames,
    paths,
    request_json,
    sse,
    streaming,
    unique,
)


def texts(events: list[Any]) -> list[str]:
    return [e.text for e in events if isinstance(e, TextEvent)]


def test_openai_stream(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    route = upstream.router.post(paths(upstream)["openai"]).mock(
        side_effect=lambda _: streaming(openai_stream_frames(["Rain ", "on ", "roofs."]))
    )
    client.credentials.set("openai", api_key="sk-test-openai-0101")

    with client.ai.stream(prompt="Write a haiku about rain.", max_tokens=200) as stream:
        assert (stream.provider, stream.model) == ("openai", "gpt-4o-mini")
        events = list(stream)

    assert texts(events) == ["Rain ", "on ", "roofs."]
    done = events[-1]
    assert isinstance(done, DoneEvent)
    assert done.finish_reason == "stop"
    assert (done.usage.input_tokens, done.usage.output_tokens) == (9, 3)
    assert all(e.raw is not None for e in events)
    assert events[1].raw["object"] == "chat.completion.chunk"  # the provider's own frame
    assert [type(e) for e in events].count(DoneEvent) == 1
    body = request_json(route)
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["max_completion_tokens"] == 200


def test_anthropic_stream(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(paths(upstream)["anthropic"]).mock(
        side_effect=lambda _: streaming(anthropic_stream_frames(["Hello", "!"]))
    )
    client.credentials.set("anthropic", api_key="sk-ant-test-0102")

    with client.ai.stream(prompt="Say hello") as stream:
        events = list(stream)

    assert stream.provider == "anthropic"
    assert texts(events) == ["Hello", "!"]
    assert any(isinstance(e, FrameEvent) and e.raw == {"type": "ping"} for e in events)
    done = events[-1]
    assert isinstance(done, DoneEvent)
    assert done.finish_reason == "stop"
    assert (done.usage.input_tokens, done.usage.output_tokens) == (25, 15)
    assert done.raw == {"type": "message_stop"}


def test_openrouter_stream_skips_its_comments(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    frames = [b": OPENROUTER PROCESSING\n\n", *openai_stream_frames(["Bon", "jour"])]
    upstream.router.post(paths(upstream)["openrouter"]).mock(
        side_effect=lambda _: streaming(frames)
    )
    client.credentials.set("openrouter", api_key="sk-or-test-0103")

    with client.ai.stream(prompt="Say hello in French") as stream:
        events = list(stream)

    assert stream.provider == "openrouter"
    assert texts(events) == ["Bon", "jour"]
    assert isinstance(events[-1], DoneEvent)


def test_claude_cli_stream(client: Endpointr, harness) -> None:  # type: ignore[no-untyped-def]
    client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-vault-0104")
    marker = unique("cli-stream")

    with client.ai.stream(prompt=marker, provider="claude-cli") as stream:
        events = list(stream)

    assert stream.provider == "claude-cli"
    assert "".join(texts(events)) == f"You said: {marker}"
    assert len(texts(events)) == 3  # word by word, as the partial messages arrived
    done = events[-1]
    assert isinstance(done, DoneEvent)
    assert done.finish_reason == "stop"
    assert done.usage.output_tokens == 3
    assert done.raw["type"] == "result"
    assert events[0].raw["type"] == "system"  # the run's init line, as claude wrote it
    (run,) = fake_cli.calls(harness.vault.parent, marker)
    assert "--include-partial-messages" in run["argv"]


async def test_async_stream(aclient: AsyncEndpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(paths(upstream)["openai"]).mock(
        side_effect=lambda _: streaming(openai_stream_frames(["a", "b"]))
    )
    await aclient.credentials.set("openai", api_key="sk-test-openai-0105")
    async with aclient.ai.stream(prompt="hi") as stream:
        events = [event async for event in stream]
    assert texts(events) == ["a", "b"]
    assert isinstance(events[-1], DoneEvent)


def test_provider_error_mid_stream_is_an_error_event(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    frames = anthropic_stream_frames(["Partial"])[:4]
    frames.append(
        sse(
            [
                (
                    "error",
                    {
                        "type": "error",
                        "error": {"type": "overloaded_error", "message": "Overloaded"},
                    },
                )
            ]
        )
    )
    upstream.router.post(paths(upstream)["anthropic"]).mock(side_effect=lambda _: streaming(frames))
    client.credentials.set("anthropic", api_key="sk-ant-test-0106")

    events = list(client.ai.stream(prompt="hi"))

    assert texts(events) == ["Partial"]
    error = events[-1]
    assert isinstance(error, ErrorEvent)
    assert (error.error.type, error.error.message) == ("overloaded_error", "Overloaded")


def test_upstream_dropping_mid_stream_is_an_error_event(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    def dropping(_: httpx.Request) -> httpx.Response:
        async def body() -> Any:
            yield openai_stream_frames(["first"])[1]
            raise ConnectionResetError("upstream went away")

        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    upstream.router.post(paths(upstream)["openai"]).mock(side_effect=dropping)
    client.credentials.set("openai", api_key="sk-test-openai-0107")

    events = list(client.ai.stream(prompt="hi"))

    assert texts(events) == ["first"]
    error = events[-1]
    assert isinstance(error, ErrorEvent)
    assert error.error.code == "upstream_unreachable"
    assert "cannot reach openai" in error.error.message


def test_claude_cli_dying_mid_stream_is_an_error_event(client: Endpointr) -> None:
    client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-vault-0108")
    events = list(client.ai.stream(prompt=unique("DIE_MIDWAY")))
    assert texts(events) == ["You "]
    error = events[-1]
    assert isinstance(error, ErrorEvent)
    assert "socket hang up" in error.error.message


def test_failure_before_the_stream_starts_is_an_http_error(client: Endpointr) -> None:
    client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-vault-0109")
    with pytest.raises(AuthenticationError, match="claude-cli failed: Invalid API key"):
        list(client.ai.stream(prompt=unique("FAIL_AUTH")))


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_first_text_arrives_before_the_upstream_finishes(
    client: Endpointr, upstream, provider: str
) -> None:  # type: ignore[no-untyped-def]
    """The gateway relays chunks as they come: the caller reads the first text while the
    upstream still holds back its last chunk (were anything buffering, the upstream would send
    it after 10 s and only then would the first text arrive)."""
    hold = Hold()
    frames = (
        openai_stream_frames(["one ", "two"])
        if provider == "openai"
        else anthropic_stream_frames(["one ", "two"])
    )
    upstream.router.post(paths(upstream)[provider]).mock(
        side_effect=lambda _: streaming(frames, hold=hold)
    )
    client.credentials.set(provider, api_key="sk-test-0110")

    with client.ai.stream(prompt="count") as stream:
        events = iter(stream)
        first = next(e for e in events if isinstance(e, TextEvent))
        assert not hold.sent_last.is_set(), "the upstream finished before the first text arrived"
        hold.release()
        rest = list(events)
    assert first.text == "one "
    assert texts(rest) == ["two"]
    assert isinstance(rest[-1], DoneEvent)


async def test_first_text_arrives_early_async(aclient: AsyncEndpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    hold = Hold()
    upstream.router.post(paths(upstream)["openai"]).mock(
        side_effect=lambda _: streaming(openai_stream_frames(["one ", "two"]), hold=hold)
    )
    await aclient.credentials.set("openai", api_key="sk-test-0111")
    held_at_first_text = None
    async with aclient.ai.stream(prompt="count") as stream:
        async for event in stream:
            if isinstance(event, TextEvent) and held_at_first_text is None:
                held_at_first_text = not hold.sent_last.is_set()
                hold.release()
    assert held_at_first_text is True
    assert isinstance(event, DoneEvent)


def test_leaving_the_block_closes_the_stream(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    hold = Hold()
    upstream.router.post(paths(upstream)["openai"]).mock(
        side_effect=lambda _: streaming(openai_stream_frames(["one ", "two"]), hold=hold)
    )
    client.credentials.set("openai", api_key="sk-test-0112")
    with client.ai.stream(prompt="count") as stream:
        first = next(e for e in stream if isinstance(e, TextEvent))
    hold.release()
    assert first.text == "one "
    assert stream.response.is_closed


def test_leaving_a_cli_stream_stops_the_cli(client: Endpointr, harness) -> None:  # type: ignore[no-untyped-def]
    client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-vault-0113")
    marker = unique("DRIP")
    with client.ai.stream(prompt=f"{marker} and many more words to come") as stream:
        first = next(e for e in stream if isinstance(e, TextEvent))
    assert first.text == "You "
    (run,) = fake_cli.calls(harness.vault.parent, marker)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and alive(run["pid"]):
        time.sleep(0.05)
    assert not alive(run["pid"]), "the claude process outlived its stream"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
