"""Provider payloads for the fake upstream, shaped like the documented responses of Anthropic's
Messages API and OpenAI's chat completions, and SSE bodies sent frame by frame as the
providers do."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "anthropic_streams"
WEATHER_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Return current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name"}},
            "required": ["city"],
        },
    },
}
#: Anthropic stop_reason -> the finish_reason an OpenAI client must see.
FINISH_REASONS = [
    ("end_turn", "stop"),
    ("stop_sequence", "stop"),
    ("max_tokens", "length"),
    ("model_context_window_exceeded", "length"),
    ("tool_use", "tool_calls"),
    ("refusal", "content_filter"),
    ("pause_turn", "stop"),
]
SSE_HEADERS = {"content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache"}


class _Frames(httpx.AsyncByteStream):
    def __init__(self, frames: list[bytes]) -> None:
        self._frames = frames

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for frame in self._frames:
            yield frame


def sse(body: str | bytes) -> httpx.Response:
    """A 200 ``text/event-stream`` answer whose frames arrive one network write each."""
    raw = body.encode() if isinstance(body, str) else body
    frames = [f + b"\n\n" for f in raw.split(b"\n\n") if f.strip()]
    return httpx.Response(200, headers=SSE_HEADERS, stream=_Frames(frames))


def corpus_stream(case: str) -> httpx.Response:
    return sse((CORPUS / f"{case}.sse").read_bytes())


def anthropic_events(*events: dict[str, Any]) -> str:
    return "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events)


def anthropic_text_stream(text: str, *, msg_id: str = "msg_01Stream", pieces: int = 3) -> str:
    """A complete stream of ``text`` in ``pieces`` deltas."""
    size = max(1, -(-len(text) // pieces))
    deltas = [text[i : i + size] for i in range(0, len(text), size)]
    message = anthropic_message([], stop_reason=None, msg_id=msg_id)
    message["usage"] = {"input_tokens": 10, "output_tokens": 1}
    return anthropic_events(
        {"type": "message_start", "message": message},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "ping"},
        *(
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": d}}
            for d in deltas
        ),
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn", "stop_sequence": None},
            "usage": {"output_tokens": len(deltas)},
        },
        {"type": "message_stop"},
    )


def anthropic_message(
    content: list[dict[str, Any]] | str,
    *,
    stop_reason: str | None = "end_turn",
    model: str = "claude-sonnet-4-6",
    msg_id: str = "msg_01XFDUDYJgAACzvnptvVoYEL",
    usage: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if isinstance(content, str):
        content = [{"type": "text", "text": content}]
    return {
        "id": msg_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": usage
        or {
            "input_tokens": 25,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": 12,
        },
    }


def tool_use(name: str, tool_input: dict[str, Any], tool_id: str) -> dict[str, Any]:
    return {"type": "tool_use", "id": tool_id, "name": name, "input": tool_input}


def anthropic_error(status: int, type: str, message: str) -> httpx.Response:
    body = {"type": "error", "error": {"type": type, "message": message}}
    return httpx.Response(status, json=body, headers={"request-id": "req_011CTest"})


def openai_completion(
    content: str | None,
    *,
    model: str = "gpt-4o-mini-2024-07-18",
    tool_calls: list[dict[str, Any]] | None = None,
    finish_reason: str = "stop",
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return {
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion",
        "created": 1741569952,
        "model": model,
        "choices": [
            {"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}
        ],
        "usage": {
            "prompt_tokens": 19,
            "completion_tokens": 10,
            "total_tokens": 29,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
        },
        "service_tier": "default",
        "system_fingerprint": "fp_06737a9306",
    }


def openai_stream(text_pieces: list[str], *, model: str = "gpt-4o-mini-2024-07-18") -> str:
    """OpenAI's own chunk stream for a text answer (compact JSON, as OpenAI sends it)."""

    def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
        body = {
            "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
            "object": "chat.completion.chunk",
            "created": 1741569952,
            "model": model,
            "service_tier": "default",
            "system_fingerprint": "fp_06737a9306",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        return f"data: {json.dumps(body, separators=(',', ':'))}\n\n"

    frames = [chunk({"role": "assistant", "content": "", "refusal": None})]
    frames += [chunk({"content": p}) for p in text_pieces]
    frames.append(chunk({}, "stop"))
    return "".join(frames) + "data: [DONE]\n\n"
