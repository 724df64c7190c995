"""Upstream payloads shaped like the providers' documented responses, and helpers that mount
them on the fake upstream. ``tests/test_ai_fidelity.py`` checks these same builders with the
official ``openai`` and ``anthropic`` SDKs, so the other tests can trust them."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import uuid
from typing import Any

import httpx
import respx

from tests.support.upstream import FakeUpstream

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkAAIAAAoAAv/lxKUAAAAASUVORK5CYII="
)
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\0" * 64
GIF_1PX = base64.b64decode("R0lGODlhAQABAAAAACwAAAAAAQABAAACAkQBADs=")
WEBP_HEAD = b"RIFF\x1a\x00\x00\x00WEBPVP8L" + bytes(18)

OPENAI_MODEL = "gpt-4o-mini-2024-07-18"
ANTHROPIC_MODEL = "claude-sonnet-4-6"


def sse(frames: list[tuple[str | None, Any]]) -> bytes:
    """An SSE body: ``(event name or None, data)`` pairs; data that is not a str is JSON."""
    out = []
    for event, data in frames:
        text = data if isinstance(data, str) else json.dumps(data)
        out.append((f"event: {event}\n" if event else "") + f"data: {text}\n\n")
    return "".join(out).encode()


# -- OpenAI (and OpenRouter, which speaks the same wire) -------------------------------------


def openai_completion(
    content: str = "Hello!",
    *,
    model: str = OPENAI_MODEL,
    finish_reason: str = "stop",
    prompt_tokens: int = 12,
    completion_tokens: int = 5,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion",
        "created": 1741569952,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": content,
                    "refusal": None,
                    "annotations": [],
                },
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "service_tier": "default",
        "system_fingerprint": "fp_06737a9306",
        **extra,
    }


def openai_chunk(delta: dict[str, Any], finish_reason: str | None = None, **extra: Any) -> dict:
    return {
        "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
        "object": "chat.completion.chunk",
        "created": 1741570283,
        "model": OPENAI_MODEL,
        "service_tier": "default",
        "system_fingerprint": "fp_06737a9306",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
        **extra,
    }


def openai_stream_frames(
    pieces: list[str], *, finish_reason: str = "stop", prompt_tokens: int = 9
) -> list[bytes]:
    """One SSE frame per chunk: role, the pieces, the finish, the usage chunk, ``[DONE]``."""
    chunks = [openai_chunk({"role": "assistant", "content": "", "refusal": None})]
    chunks += [openai_chunk({"content": piece}) for piece in pieces]
    chunks.append(openai_chunk({}, finish_reason))
    usage_chunk = openai_chunk({})
    usage_chunk["choices"] = []
    usage_chunk["usage"] = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": len(pieces),
        "total_tokens": prompt_tokens + len(pieces),
    }
    chunks.append(usage_chunk)
    return [sse([(None, c)]) for c in chunks] + [b"data: [DONE]\n\n"]


def openai_error(
    status: int, message: str | None = None, *, code: str | None = None
) -> httpx.Response:
    kinds = {
        400: ("invalid_request_error", None),
        401: ("invalid_request_error", "invalid_api_key"),
        403: ("invalid_request_error", "unsupported_country_region_territory"),
        404: ("invalid_request_error", "model_not_found"),
        429: ("insufficient_quota", "insufficient_quota"),
        500: ("server_error", None),
        502: ("server_error", None),
        503: ("server_error", None),
    }
    kind, default_code = kinds.get(status, ("invalid_request_error", None))
    text = message or {
        401: "Incorrect API key provided: sk-test1***********************cdef. You can find "
        "your API key at https://platform.openai.com/account/api-keys.",
        404: "The model `gpt-9` does not exist or you do not have access to it.",
        429: "You exceeded your current quota, please check your plan and billing details.",
    }.get(status, f"upstream failure {status}")
    body = {"error": {"message": text, "type": kind, "param": None, "code": code or default_code}}
    headers = {"x-request-id": "req_7d2a1c", **({"retry-after": "7"} if status == 429 else {})}
    return httpx.Response(status, json=body, headers=headers)


def openai_models() -> dict[str, Any]:
    return {
        "object": "list",
        "data": [
            {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "system"},
            {"id": "gpt-image-1", "object": "model", "created": 1745517030, "owned_by": "system"},
        ],
    }


def openai_images(*, b64: bytes | None = None, url: str | None = None, n: int = 1) -> dict:
    item: dict[str, Any] = (
        {"b64_json": base64.b64encode(b64).decode()} if b64 is not None else {"url": url}
    )
    if url is not None:
        item["revised_prompt"] = "A red fox standing in fresh snow, photorealistic."
    body: dict[str, Any] = {"created": 1745517040, "data": [dict(item) for _ in range(n)]}
    if b64 is not None:
        body["usage"] = {
            "input_tokens": 50,
            "output_tokens": 4160,
            "total_tokens": 4210,
            "input_tokens_details": {"image_tokens": 0, "text_tokens": 50},
        }
    return body


def openrouter_completion(content: str = "Hello!", **extra: Any) -> dict[str, Any]:
    body = openai_completion(content, model="openai/gpt-4o-mini", **extra)
    body.update(provider="OpenAI", id="gen-1741570283-abc")
    body["choices"][0]["native_finish_reason"] = "stop"
    return body


def openrouter_image_completion(png: bytes) -> dict[str, Any]:
    body = openrouter_completion("Here is your image.")
    body["model"] = "google/gemini-2.5-flash-image-preview"
    body["choices"][0]["message"]["images"] = [
        {
            "type": "image_url",
            "image_url": {"url": "data:image/png;base64," + base64.b64encode(png).decode()},
            "index": 0,
        }
    ]
    return body


def openrouter_models() -> dict[str, Any]:
    return {
        "data": [
            {
                "id": "google/gemini-2.5-flash-image-preview",
                "canonical_slug": "google/gemini-2.5-flash-image-preview",
                "name": "Google: Gemini 2.5 Flash Image Preview (Nano Banana)",
                "created": 1756218977,
                "context_length": 32768,
                "architecture": {
                    "modality": "text+image->text+image",
                    "input_modalities": ["image", "text"],
                    "output_modalities": ["image", "text"],
                },
                "pricing": {"prompt": "0.0000003", "completion": "0.0000025"},
            }
        ]
    }


# -- Anthropic ---------------------------------------------------------------------------------


def anthropic_message(
    text: str = "Hello!",
    *,
    model: str = ANTHROPIC_MODEL,
    stop_reason: str = "end_turn",
    input_tokens: int = 14,
    output_tokens: int = 6,
) -> dict[str, Any]:
    return {
        "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": text}],
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {
            "input_tokens": input_tokens,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": output_tokens,
            "service_tier": "standard",
        },
    }


def anthropic_stream_frames(pieces: list[str], *, stop_reason: str = "end_turn") -> list[bytes]:
    events: list[tuple[str, Any]] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY",
                    "type": "message",
                    "role": "assistant",
                    "content": [],
                    "model": ANTHROPIC_MODEL,
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 25, "output_tokens": 1},
                },
            },
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        ("ping", {"type": "ping"}),
    ]
    events += [
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}},
        )
        for p in pieces
    ]
    events += [
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                "usage": {"output_tokens": 15},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return [sse([e]) for e in events]


def anthropic_error(status: int, message: str | None = None) -> httpx.Response:
    kind = {
        400: "invalid_request_error",
        401: "authentication_error",
        403: "permission_error",
        404: "not_found_error",
        429: "rate_limit_error",
        500: "api_error",
        529: "overloaded_error",
    }.get(status, "api_error")
    text = message or {401: "invalid x-api-key", 529: "Overloaded"}.get(status, kind)
    body = {"type": "error", "error": {"type": kind, "message": text}, "request_id": "req_011CSHo"}
    return httpx.Response(status, json=body, headers={"request-id": "req_011CSHo"})


def anthropic_models(page: int = 1) -> dict[str, Any]:
    first = {
        "type": "model",
        "id": "claude-sonnet-4-6",
        "display_name": "Claude Sonnet 4.6",
        "created_at": "2026-02-17T00:00:00Z",
    }
    second = {
        "type": "model",
        "id": "claude-haiku-4-5-20251001",
        "display_name": "Claude Haiku 4.5",
        "created_at": "2025-10-15T00:00:00Z",
    }
    if page == 1:
        return {"data": [first], "has_more": True, "first_id": first["id"], "last_id": first["id"]}
    return {"data": [second], "has_more": False, "first_id": second["id"], "last_id": second["id"]}


# -- mounting --------------------------------------------------------------------------------


class Hold:
    """Makes an upstream hold back its last frame until :meth:`release` (at most 10 s) and
    records when it finally sent it."""

    def __init__(self) -> None:
        self.released = threading.Event()
        self.sent_last = threading.Event()

    def release(self) -> None:
        self.released.set()


def streaming(frames: list[bytes], *, hold: Hold | None = None) -> httpx.Response:
    """An SSE answer that sends ``frames`` one at a time (the last one as ``hold`` says)."""

    async def body() -> Any:
        for i, frame in enumerate(frames):
            if hold is not None and i == len(frames) - 1:
                await asyncio.to_thread(hold.released.wait, 10)
                hold.sent_last.set()
            yield frame

    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())


def unique(label: str) -> str:
    """A marker for one test run's prompt, to find its CLI run among the recorded ones."""
    return f"{label}-{uuid.uuid4().hex[:10]}"


def request_json(route: respx.Route, index: int = -1) -> Any:
    return json.loads(route.calls[index].request.content)


def paths(upstream: FakeUpstream) -> dict[str, str]:
    u = upstream.url
    return {
        "openai": f"{u}/openai/v1/chat/completions",
        "openrouter": f"{u}/openrouter/api/v1/chat/completions",
        "anthropic": f"{u}/anthropic/v1/messages",
    }


def mock_chat(upstream: FakeUpstream, provider: str, **kwargs: Any) -> respx.Route:
    """A successful non-streaming chat answer from ``provider``."""
    url = paths(upstream)[provider]
    if provider == "anthropic":
        body = anthropic_message(**kwargs)
    elif provider == "openrouter":
        body = openrouter_completion(**kwargs)
    else:
        body = openai_completion(**kwargs)
    return upstream.router.post(url).mock(return_value=httpx.Response(200, json=body))
