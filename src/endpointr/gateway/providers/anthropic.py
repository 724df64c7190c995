"""Anthropic's Messages API (``/v1/messages``, ``/v1/models``).

Request building and response parsing are small functions of their own so that other
translations (an OpenAI-compatible endpoint) can share them.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from ...types.ai import finish_reason, total_input_tokens
from .base import ChatMessage, ChatRequest, ChatResult, ImagePart, StreamResult
from .http import HTTPProvider

API_VERSION = "2023-06-01"
#: Anthropic requires max_tokens; this is what a request that names none gets.
DEFAULT_MAX_TOKENS = 4096
_MODELS_PAGE = 1000


def image_block(part: ImagePart) -> dict[str, Any]:
    """An image content block: a URL Anthropic fetches, or base64 bytes."""
    if part.data is None:
        return {"type": "image", "source": {"type": "url", "url": part.url}}
    from ..._media import MIME_TYPES

    assert part.format is not None
    encoded = part.data_uri().partition(",")[2]
    source = {"type": "base64", "media_type": MIME_TYPES[part.format], "data": encoded}
    return {"type": "image", "source": source}


def message_content(message: ChatMessage) -> str | list[dict[str, Any]]:
    if not message.images:
        return message.text
    return [*(image_block(p) for p in message.images), {"type": "text", "text": message.text}]


def messages_payload(request: ChatRequest, *, stream: bool = False) -> dict[str, Any]:
    """The ``/v1/messages`` body: system prompt top-level, sampling controls renamed."""
    payload: dict[str, Any] = {
        "model": request.model,
        "max_tokens": request.max_tokens or DEFAULT_MAX_TOKENS,
        "messages": [{"role": m.role, "content": message_content(m)} for m in request.messages],
    }
    if request.system:
        payload["system"] = request.system
    if request.temperature is not None:
        payload["temperature"] = request.temperature
    if request.top_p is not None:
        payload["top_p"] = request.top_p
    if request.stop:
        payload["stop_sequences"] = request.stop
    if stream:
        payload["stream"] = True
    return payload


def parse_message(body: Any) -> ChatResult | None:
    """A ``message`` body as a ChatResult (its text blocks joined); ``None`` if not one."""
    if not isinstance(body, dict) or not isinstance(body.get("content"), list):
        return None
    text = "".join(
        b.get("text", "")
        for b in body["content"]
        if isinstance(b, dict) and b.get("type") == "text"
    )
    usage = body.get("usage") or {}
    return ChatResult(
        model=str(body.get("model") or ""),
        content=text,
        finish_reason=finish_reason(body.get("stop_reason")),
        input_tokens=total_input_tokens(usage),
        output_tokens=usage.get("output_tokens"),
    )


def model_info(raw: dict[str, Any]) -> dict[str, Any]:
    info = {k: v for k, v in raw.items() if k not in ("type", "display_name", "created_at")}
    info["name"] = raw.get("display_name")
    created = raw.get("created_at")
    if isinstance(created, str):
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(created.replace("Z", "+00:00"))
            info["created"] = int(when.timestamp())
    return info


class Anthropic(HTTPProvider):
    name = "anthropic"
    base_url_setting = "anthropic_base_url"

    def headers(self) -> dict[str, str]:
        return {"x-api-key": str(self.credentials["api_key"]), "anthropic-version": API_VERSION}

    async def chat(self, request: ChatRequest) -> ChatResult:
        payload = messages_payload(request)
        return await self.complete("/v1/messages", payload, parse_message, request)

    async def stream(self, request: ChatRequest) -> StreamResult:
        payload = messages_payload(request, stream=True)
        return StreamResult(request.model, await self.open_stream("/v1/messages", payload))

    async def models(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": _MODELS_PAGE}
        while True:
            body = await self.send("GET", "/v1/models", params=params)
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise self.malformed("a model list without data")
            found.extend(model_info(m) for m in data if isinstance(m, dict) and m.get("id"))
            if not body.get("has_more") or not body.get("last_id"):
                return found
            params = {"limit": _MODELS_PAGE, "after_id": body["last_id"]}
