"""OpenAI's API (``/chat/completions``, ``/images``, ``/models``), and the OpenAI-compatible
base that OpenRouter extends."""

from __future__ import annotations

from typing import Any, ClassVar

from ...types.ai import finish_reason
from .base import (
    ChatMessage,
    ChatRequest,
    ChatResult,
    ImagePart,
    ImageRequest,
    ImageResult,
    StreamResult,
)
from .http import HTTPProvider


def content_parts(message: ChatMessage) -> str | list[dict[str, Any]]:
    """A message's content: plain text, or text and image_url parts."""
    if not message.images:
        return message.text
    parts: list[dict[str, Any]] = [{"type": "text", "text": message.text}]
    for image in message.images:
        url = image.url if image.data is None else image.data_uri()
        parts.append({"type": "image_url", "image_url": {"url": url}})
    return parts


def chat_messages(request: ChatRequest) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    if request.system:
        messages.append({"role": "system", "content": request.system})
    messages.extend({"role": m.role, "content": content_parts(m)} for m in request.messages)
    return messages


def parse_chat_completion(body: Any) -> ChatResult | None:
    """A ``chat.completion`` body as a ChatResult; ``None`` when it is not one."""
    try:
        choice = body["choices"][0]
        message = choice["message"]
    except (KeyError, IndexError, TypeError):
        return None
    usage = body.get("usage") or {}
    return ChatResult(
        model=str(body.get("model") or ""),
        content=message.get("content") or "",
        finish_reason=finish_reason(choice.get("finish_reason")),
        input_tokens=usage.get("prompt_tokens"),
        output_tokens=usage.get("completion_tokens"),
    )


class OpenAICompatible(HTTPProvider):
    """``/chat/completions`` and ``/models`` as OpenAI defines them."""

    #: The request field that caps the answer's length.
    max_tokens_field: ClassVar[str] = "max_tokens"

    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.credentials['api_key']}"}

    def chat_payload(self, request: ChatRequest, *, stream: bool = False) -> dict[str, Any]:
        payload: dict[str, Any] = {"model": request.model, "messages": chat_messages(request)}
        if request.temperature is not None:
            payload["temperature"] = request.temperature
        if request.max_tokens is not None:
            payload[self.max_tokens_field] = request.max_tokens
        if request.top_p is not None:
            payload["top_p"] = request.top_p
        if request.stop:
            payload["stop"] = request.stop
        if request.json_mode:
            payload["response_format"] = {"type": "json_object"}
        if stream:
            payload["stream"] = True
            payload["stream_options"] = {"include_usage": True}
        return payload

    async def chat(self, request: ChatRequest) -> ChatResult:
        payload = self.chat_payload(request)
        return await self.complete("/chat/completions", payload, parse_chat_completion, request)

    async def stream(self, request: ChatRequest) -> StreamResult:
        payload = self.chat_payload(request, stream=True)
        return StreamResult(request.model, await self.open_stream("/chat/completions", payload))

    async def models(self) -> list[dict[str, Any]]:
        body = await self.send("GET", "/models")
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list):
            raise self.malformed("a model list without data")
        return [self.model_info(m) for m in data if isinstance(m, dict) and m.get("id")]

    def model_info(self, raw: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in raw.items() if k != "object"}


class OpenAI(OpenAICompatible):
    name = "openai"
    base_url_setting = "openai_base_url"
    # Reasoning models refuse max_tokens; every chat model takes max_completion_tokens.
    max_tokens_field = "max_completion_tokens"

    def headers(self) -> dict[str, str]:
        headers = super().headers()
        if self.credentials.get("organization"):
            headers["openai-organization"] = str(self.credentials["organization"])
        return headers

    async def image(self, request: ImageRequest) -> ImageResult:
        """``/images/generations``, or ``/images/edits`` (multipart) with reference images."""
        fields: dict[str, Any] = {"model": request.model, "prompt": request.prompt}
        for name in ("n", "size", "quality"):
            if getattr(request, name) is not None:
                fields[name] = getattr(request, name)
        dalle = request.model.startswith("dall-e")
        # Only the DALL·E models take these; the gpt-image models always answer in base64.
        if dalle and request.response_format:
            fields["response_format"] = request.response_format
        if dalle and request.style and not request.references:
            fields["style"] = request.style
        if request.references:
            images = [await self.inline(part) for part in request.references]
            field = "image" if dalle else "image[]"
            files = [(field, _upload(i, part)) for i, part in enumerate(images)]
            data = {k: str(v) for k, v in fields.items()}
            body = await self.send("POST", "/images/edits", payload=data, files=files)
        else:
            body = await self.send("POST", "/images/generations", payload=fields)
        data_list = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data_list, list):
            raise self.malformed("an image answer without data")
        images_out = []
        for item in data_list:
            image = {k: item[k] for k in ("url", "b64_json", "revised_prompt") if item.get(k)}
            if "url" in image or "b64_json" in image:
                images_out.append(image)
        return ImageResult(request.model, images_out)


def _upload(index: int, part: ImagePart) -> tuple[str, bytes, str]:
    from ..._media import EXTENSIONS, MIME_TYPES

    assert part.data is not None
    assert part.format is not None
    return (f"reference-{index}.{EXTENSIONS[part.format]}", part.data, MIME_TYPES[part.format])
