"""The OpenAI chat-completions wire format, as ``/v1/chat/completions`` accepts it.

Messages, tools and the rest stay plain JSON objects (they are forwarded or translated, and the
translation says precisely what is wrong with one); the fields listed here are the ones the
endpoint knows. Any other field is forwarded verbatim to OpenAI and OpenRouter, which judge it,
and refused with a 400 for Anthropic-routed models, where it would silently do nothing.
"""

from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import ConfigDict, Field

from ._base import Model, Params

Messages = list[dict[str, Any]]

#: OpenAI parameters an Anthropic-routed request accepts and ignores (no Anthropic equivalent):
#: the contract's list, then what the openai SDK, LangChain and n8n are known to send.
IGNORED_FOR_ANTHROPIC = (
    "logprobs", "top_logprobs", "n", "seed", "logit_bias", "user", "service_tier",
    "response_format", "presence_penalty", "frequency_penalty",
    "metadata", "store", "modalities", "prediction", "reasoning_effort", "verbosity",
    "prompt_cache_key", "safety_identifier", "web_search_options", "audio",
)  # fmt: skip


class StreamOptions(Model):
    include_usage: bool | None = None


class ChatCompletionCreate(Params):
    """The request body. Unlike other request models, unknown fields are kept (see the module
    docstring) rather than refused here."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(
        min_length=1,
        description="Picks the upstream: anthropic/… or claude-* → Anthropic; openai/…, gpt-*, "
        "o1-*, o3-*, o4-* → OpenAI; anything else → OpenRouter, verbatim.",
    )
    messages: Messages = Field(min_length=1)
    tools: list[dict[str, Any]] | None = None
    tool_choice: Union[Literal["auto", "none", "required"], dict[str, Any], None] = None  # noqa: UP007
    parallel_tool_calls: bool | None = None
    stream: bool | None = None
    stream_options: StreamOptions | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    max_tokens: int | None = Field(default=None, gt=0)
    max_completion_tokens: int | None = Field(default=None, gt=0)
    stop: Union[str, list[str], None] = None  # noqa: UP007
    # Forwarded to OpenAI and OpenRouter only.
    response_format: dict[str, Any] | None = None
    presence_penalty: float | None = Field(default=None, ge=-2, le=2)
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)
    # Accepted and forwarded to OpenAI/OpenRouter; ignored for Anthropic.
    logprobs: bool | None = None
    top_logprobs: int | None = None
    n: int | None = None
    seed: int | None = None
    logit_bias: dict[str, Any] | None = None
    user: str | None = None
    service_tier: str | None = None
    metadata: dict[str, Any] | None = None
    store: bool | None = None
    modalities: list[str] | None = None
    prediction: Any = None
    reasoning_effort: str | None = None
    verbosity: str | None = None
    prompt_cache_key: str | None = None
    safety_identifier: str | None = None
    web_search_options: Any = None
    audio: Any = None


# -- responses (``client.ai.completions.create()``) ----------------------------------------------


class FunctionCall(Model):
    name: str | None = None
    arguments: str | None = None  # JSON-encoded; streamed as fragments to concatenate


class ToolCall(Model):
    index: int | None = None  # streamed deltas only: which call a fragment belongs to
    id: str | None = None
    type: str | None = None
    function: FunctionCall | None = None


class AssistantMessage(Model):
    """A choice's ``message``, or a streamed chunk's ``delta`` (where every field is optional)."""

    role: str | None = None
    content: str | None = None
    refusal: str | None = None
    tool_calls: list[ToolCall] | None = None


class Usage(Model):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    prompt_tokens_details: dict[str, Any] | None = None


class Choice(Model):
    index: int = 0
    message: AssistantMessage
    finish_reason: str | None = None


class ChunkChoice(Model):
    index: int = 0
    delta: AssistantMessage
    finish_reason: str | None = None


class _Completion(Model):
    id: str
    created: int
    model: str
    usage: Usage | None = None


class ChatCompletion(_Completion):
    object: str = "chat.completion"
    choices: list[Choice]


class ChatCompletionChunk(_Completion):
    object: str = "chat.completion.chunk"
    choices: list[ChunkChoice]
