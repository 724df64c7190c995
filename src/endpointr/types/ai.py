"""The AI routes' models: ``/v1/ai/{chat,stream,vision,image,models,upload}``.

Requests subclass :class:`Params` (an unknown field is a 400 naming it); answers subclass
:class:`Model`. The stream events at the end are what ``client.ai.stream()`` yields: one shape
whatever provider answered, each keeping the provider's own frame as ``.raw``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Union

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from ._base import Model, Params

ProviderName = Literal["openai", "anthropic", "openrouter", "claude-cli", "openai-cli"]
ImageFormat = Literal["png", "jpeg", "gif", "webp"]

#: Provider stop reasons, spelled the OpenAI way (``finish_reason``) whatever answered.
FINISH_REASONS: dict[str, str] = {
    "stop": "stop",
    "end_turn": "stop",
    "stop_sequence": "stop",
    "pause_turn": "stop",
    "length": "length",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_calls": "tool_calls",
    "tool_use": "tool_calls",
    "function_call": "tool_calls",
    "content_filter": "content_filter",
    "refusal": "content_filter",
    "error": "error",
}


def finish_reason(reason: str | None) -> str | None:
    """``end_turn`` -> ``stop``, ``max_tokens`` -> ``length`` …; unknown reasons pass through."""
    return None if reason is None else FINISH_REASONS.get(reason, reason)


def total_input_tokens(usage: dict[str, Any]) -> int | None:
    """Every input token of an Anthropic ``usage``, cached or not (counted apart there)."""
    counted = [
        n
        for k in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
        if isinstance(n := usage.get(k), int)
    ]
    return sum(counted) if counted else None


# -- requests ---------------------------------------------------------------------------------


class Message(Params):
    role: Literal["system", "user", "assistant"]
    content: str


class ProviderChoice(Params):
    provider: ProviderName | None = Field(
        default=None,
        description="Pin one provider (no failover); omit to walk your priority list.",
    )


class Routing(ProviderChoice):
    model: str | None = Field(
        default=None, min_length=1, description="Default: the provider's default model."
    )


class ChatParams(Routing):
    """``POST /v1/ai/chat`` (and ``/v1/ai/stream``): send ``prompt`` or ``messages``."""

    prompt: str | None = Field(default=None, min_length=1)
    messages: list[Message] | None = Field(default=None, min_length=1)
    system: str | None = Field(
        default=None, description="Added as a system message after any you sent."
    )
    json_mode: bool = Field(
        default=False, alias="json", description="Ask for one JSON object; the answer is parsed."
    )
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1)
    top_p: float | None = Field(default=None, ge=0, le=1)
    stop: str | list[str] | None = None
    oauth_token: str | None = Field(
        default=None, min_length=1, description="claude-cli token for this call only."
    )
    api_key: str | None = Field(
        default=None, min_length=1, description="openai-cli key for this call only."
    )

    @model_validator(mode="after")
    def _prompt_or_messages(self) -> ChatParams:
        if (self.prompt is None) == (self.messages is None):
            raise PydanticCustomError(
                "prompt_or_messages",
                "send prompt (a string) or messages (a list of {role, content}), "
                + ("not both" if self.prompt is not None else "one of them"),
            )
        return self


class VisionParams(ChatParams):
    """``POST /v1/ai/vision``: a chat whose (last) user message carries an image."""

    image_url: str = Field(
        min_length=1,
        description="An https URL, a data:image/...;base64 URI, or a URL from /v1/ai/upload.",
    )


class ImageParams(Routing):
    """``POST /v1/ai/image``: generate (or, with ``reference_images``, edit) images."""

    prompt: str = Field(min_length=1)
    size: str | None = Field(default=None, pattern=r"^(auto|\d{2,5}x\d{2,5})$")
    n: int | None = Field(default=None, ge=1, le=10)
    quality: str | None = None
    style: str | None = None
    response_format: Literal["url", "b64_json"] | None = None
    reference_images: list[str] | None = Field(
        default=None,
        max_length=16,
        description="https URLs, data: URIs or bare base64 (PNG assumed by content sniff).",
    )


class ModelsQuery(ProviderChoice):
    pass


class UploadParams(Params):
    """``POST /v1/ai/upload``: raw base64 of an image (no ``data:`` prefix)."""

    image_base64: str = Field(min_length=1)
    format: Literal["png", "jpeg", "jpg", "gif", "webp"] | None = Field(
        default=None, description="A hint; the bytes' magic numbers win."
    )


# -- answers ----------------------------------------------------------------------------------


class Usage(Model):
    input_tokens: int | None = None
    output_tokens: int | None = None


class Attempt(Model):
    """A provider tried before the one that answered (or before the error)."""

    provider: str
    status: int
    message: str
    code: str | None = None


class ChatResponse(Model):
    provider: str
    model: str
    content: str
    finish_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    attempts: list[Attempt] = Field(default_factory=list)
    parsed: Any = Field(
        default=None,
        alias="json",
        description="With json: true, the answer parsed as JSON (null when it did not parse).",
    )


def _is_none(value: Any) -> bool:
    return value is None


class GeneratedImage(Model):
    """``{url}`` or ``{b64_json}`` (plus ``revised_prompt`` when the provider gave one)."""

    url: str | None = Field(default=None, exclude_if=_is_none)
    b64_json: str | None = Field(default=None, exclude_if=_is_none)
    revised_prompt: str | None = Field(default=None, exclude_if=_is_none)


class ImageResponse(Model):
    provider: str
    model: str
    images: list[GeneratedImage]
    attempts: list[Attempt] = Field(default_factory=list)


class ModelInfo(Model):
    """One model; the provider's other fields (pricing, context_length …) pass through."""

    id: str
    name: str | None = None
    created: int | None = None
    owned_by: str | None = None


class ModelList(Model):
    provider: str
    models: list[ModelInfo]
    attempts: list[Attempt] = Field(default_factory=list)


class Upload(Model):
    url: str
    mime: str
    format: ImageFormat
    bytes: int
    expires_in: int
    expires_at: datetime


# -- stream events (client.ai.stream) ---------------------------------------------------------


class StreamError(Model):
    message: str
    type: str | None = None
    code: str | int | None = None


class TextEvent(Model):
    """A piece of the answer."""

    type: Literal["text"] = "text"
    text: str
    raw: Any = None


class DoneEvent(Model):
    """The answer is complete."""

    type: Literal["done"] = "done"
    finish_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    raw: Any = None


class ErrorEvent(Model):
    """The provider (or the gateway) failed mid-stream; nothing follows."""

    type: Literal["error"] = "error"
    error: StreamError
    raw: Any = None


class FrameEvent(Model):
    """Any other provider frame (start, ping, metadata): see ``.raw``."""

    type: Literal["frame"] = "frame"
    raw: Any = None


StreamEvent = Union[TextEvent, DoneEvent, ErrorEvent, FrameEvent]  # noqa: UP007 - runtime alias
