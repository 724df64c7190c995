"""A fake LLM upstream for the compat benchmark, run in its own process (``python -m
benchmarks._fake_llm PORT``): Anthropic's Messages API at ``POST /v1/messages`` and, for the
baseline, the same answers in OpenAI's shape at ``POST /v1/chat/completions``. Streams
(``"stream": true``) are ``STREAM_EVENTS`` text deltas, one network write per event, as the
providers send them. Bodies are prebuilt: the fake costs the same on both paths.
"""

from __future__ import annotations

import json
import sys
from typing import Any

STREAM_EVENTS = 500
TEXT = "The quick brown fox jumps over the lazy dog. " * 4
MODEL = "claude-sonnet-4-6"


def _sse(data: dict[str, Any], event: str | None = None) -> bytes:
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def anthropic_stream() -> list[bytes]:
    usage = {"input_tokens": 25, "output_tokens": 1}
    message = {
        "id": "msg_bench",
        "type": "message",
        "role": "assistant",
        "content": [],
        "model": MODEL,
        "stop_reason": None,
        "stop_sequence": None,
        "usage": usage,
    }
    frames = [
        _sse({"type": "message_start", "message": message}, "message_start"),
        _sse(
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
            "content_block_start",
        ),
    ]
    for i in range(STREAM_EVENTS):
        delta = {"type": "text_delta", "text": f"word{i} "}
        frames.append(
            _sse({"type": "content_block_delta", "index": 0, "delta": delta}, "content_block_delta")
        )
    frames += [
        _sse({"type": "content_block_stop", "index": 0}, "content_block_stop"),
        _sse(
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": STREAM_EVENTS},
            },
            "message_delta",
        ),
        _sse({"type": "message_stop"}, "message_stop"),
    ]
    return frames


def openai_stream() -> list[bytes]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        return _sse(
            {
                "id": "chatcmpl-bench",
                "object": "chat.completion.chunk",
                "created": 1700000000,
                "model": MODEL,
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
                ],
            }
        )

    frames = [chunk({"role": "assistant", "content": ""})]
    frames += [chunk({"content": f"word{i} "}) for i in range(STREAM_EVENTS)]
    return [*frames, chunk({}, "stop"), b"data: [DONE]\n\n"]


ANTHROPIC_MESSAGE = json.dumps(
    {
        "id": "msg_bench",
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": [{"type": "text", "text": TEXT}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {
            "input_tokens": 25,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": 40,
        },
    }
).encode()
OPENAI_COMPLETION = json.dumps(
    {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1700000000,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": TEXT, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 25, "completion_tokens": 40, "total_tokens": 65},
    }
).encode()
ANSWERS = {
    "/v1/messages": (ANTHROPIC_MESSAGE, anthropic_stream()),
    "/v1/chat/completions": (OPENAI_COMPLETION, openai_stream()),
}


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    if scope["path"] not in ANSWERS:
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    whole, frames = ANSWERS[scope["path"]]
    if b'"stream":true' not in body.replace(b" ", b""):
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": whole})
        return
    headers = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    for frame in frames:
        await send({"type": "http.response.body", "body": frame, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
        interface="asgi3",
        lifespan="off",
    )
