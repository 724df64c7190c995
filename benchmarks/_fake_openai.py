"""A fake OpenAI upstream for benchmarks, run in its own process (so its CPU time is not the
benchmarked process's): ``POST /v1/chat/completions`` answers one completion, or with
``"stream": true`` a stream of ``CHUNKS`` chunks (plus the usage chunk and ``[DONE]``), each
chunk its own write. ``POST /v1/messages`` gives the same answers the way Anthropic's Messages
API does (a message; ``CHUNKS`` text deltas between its stream's opening and closing events).
Bodies are built once; the server does as little as it can."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from typing import Any

CHUNKS = 500
MODEL = "gpt-4o-mini-2024-07-18"


def _chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> bytes:
    body = {
        "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
        "object": "chat.completion.chunk",
        "created": 1741570283,
        "model": MODEL,
        "service_tier": "default",
        "system_fingerprint": "fp_06737a9306",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        **extra,
    }
    return b"data: " + json.dumps(body, separators=(",", ":")).encode() + b"\n\n"


COMPLETION = json.dumps(
    {
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion",
        "created": 1741569952,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Hello! How can I help you today?",
                            "refusal": None, "annotations": []},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29},
        "service_tier": "default",
        "system_fingerprint": "fp_06737a9306",
    }
).encode()  # fmt: skip
STREAM = (
    [_chunk({"role": "assistant", "content": "", "refusal": None})]
    + [_chunk({"content": f"tok{i} "}) for i in range(CHUNKS)]
    + [_chunk({}, "stop")]
    + [
        b"data: "
        + json.dumps(
            {"id": "chatcmpl-B9", "object": "chat.completion.chunk", "created": 1741570283,
             "model": MODEL, "choices": [],
             "usage": {"prompt_tokens": 9, "completion_tokens": CHUNKS, "total_tokens": CHUNKS + 9}}
        ).encode()
        + b"\n\n",
        b"data: [DONE]\n\n",
    ]
)  # fmt: skip


TEXT = "Hello! How can I help you today?"


def _event(data: dict[str, Any]) -> bytes:
    return f"event: {data['type']}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


ANTHROPIC_MESSAGE = json.dumps(
    {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant",
     "model": "claude-sonnet-4-6", "content": [{"type": "text", "text": TEXT}],
     "stop_reason": "end_turn", "stop_sequence": None,
     "usage": {"input_tokens": 19, "cache_creation_input_tokens": 0,
               "cache_read_input_tokens": 0, "output_tokens": 10}}
).encode()  # fmt: skip
ANTHROPIC_STREAM = (
    [
        _event({"type": "message_start", "message": {
            "id": "msg_01Stream", "type": "message", "role": "assistant", "content": [],
            "model": "claude-sonnet-4-6", "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": 9, "output_tokens": 1}}}),
        _event({"type": "content_block_start", "index": 0,
                "content_block": {"type": "text", "text": ""}}),
    ]
    + [_event({"type": "content_block_delta", "index": 0,
               "delta": {"type": "text_delta", "text": f"tok{i} "}}) for i in range(CHUNKS)]
    + [
        _event({"type": "content_block_stop", "index": 0}),
        _event({"type": "message_delta", "delta": {"stop_reason": "end_turn",
                "stop_sequence": None}, "usage": {"output_tokens": CHUNKS}}),
        _event({"type": "message_stop"}),
    ]
)  # fmt: skip


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    anthropic = scope["path"].endswith("/messages")
    if b'"stream":true' in body.replace(b" ", b""):
        headers = [(b"content-type", b"text/event-stream")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for chunk in ANTHROPIC_STREAM if anthropic else STREAM:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send(
        {"type": "http.response.body", "body": ANTHROPIC_MESSAGE if anthropic else COMPLETION}
    )


class FakeOpenAI:
    """The server in a subprocess on 127.0.0.1; ``.url`` is its ``/v1`` base URL."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/v1"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks._fake_openai", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.close()
        raise RuntimeError("the fake OpenAI upstream did not start")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def __enter__(self) -> FakeOpenAI:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="error",
        access_log=False,
        lifespan="off",
        interface="asgi3",
    )
