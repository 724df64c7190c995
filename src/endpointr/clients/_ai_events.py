"""``/v1/ai/stream`` frames, whatever provider sent them, as one kind of typed event.

The gateway relays each provider's own SSE frames and names the provider in the
``x-endpointr-provider`` header; a :class:`Normaliser` for that provider reads the frames:
``TextEvent`` for each piece of the answer, one ``DoneEvent`` (finish reason, usage) at the end,
``ErrorEvent`` for a failure, ``FrameEvent`` for everything else. Every event keeps its frame's
JSON as ``.raw``. Error frames the gateway itself writes (``event: error``) read the same for
every provider.
"""

from __future__ import annotations

import json
from typing import Any

from ..types.ai import (
    DoneEvent,
    ErrorEvent,
    FrameEvent,
    StreamError,
    StreamEvent,
    TextEvent,
    Usage,
    finish_reason,
    total_input_tokens,
)
from ._streaming import ServerSentEvent

_text = TextEvent.model_construct
_frame = FrameEvent.model_construct


def _error(error: Any, raw: Any) -> ErrorEvent:
    if isinstance(error, dict):
        detail = StreamError.model_construct(
            message=str(error.get("message") or "stream failed"),
            type=error.get("type"),
            code=error.get("code"),
        )
    else:
        detail = StreamError.model_construct(message=str(error), type=None, code=None)
    return ErrorEvent.model_construct(error=detail, raw=raw)


class Normaliser:
    """Reads one stream's frames in order (it keeps the finish reason and usage seen so far)."""

    def __init__(self) -> None:
        self.finish_reason: str | None = None
        self.input_tokens: int | None = None
        self.output_tokens: int | None = None

    def __call__(self, frame: ServerSentEvent) -> StreamEvent | None:
        try:
            data = json.loads(frame.data)
        except ValueError:
            return self.text_frame(frame)
        if frame.event == "error" or (isinstance(data, dict) and data.get("type") == "error"):
            return _error(data.get("error", data) if isinstance(data, dict) else data, data)
        return self.read(data) if isinstance(data, dict) else _frame(raw=data)

    def read(self, data: dict[str, Any]) -> StreamEvent:
        raise NotImplementedError

    def text_frame(self, frame: ServerSentEvent) -> StreamEvent | None:
        """A frame whose data is not JSON."""
        return _frame(raw=frame.data)

    def done(self, raw: Any) -> DoneEvent:
        usage = Usage.model_construct(
            input_tokens=self.input_tokens, output_tokens=self.output_tokens
        )
        return DoneEvent.model_construct(finish_reason=self.finish_reason, usage=usage, raw=raw)


class OpenAIChunks(Normaliser):
    """``chat.completion.chunk`` frames, ending in ``data: [DONE]`` (OpenAI, OpenRouter)."""

    def text_frame(self, frame: ServerSentEvent) -> StreamEvent | None:
        return self.done(frame.data) if frame.data == "[DONE]" else _frame(raw=frame.data)

    def read(self, data: dict[str, Any]) -> StreamEvent:
        if "error" in data:  # OpenRouter reports a mid-stream failure inside a chunk
            return _error(data["error"], data)
        usage = data.get("usage")
        if usage:
            self.input_tokens = usage.get("prompt_tokens")
            self.output_tokens = usage.get("completion_tokens")
        choices = data.get("choices")
        if choices:
            choice = choices[0]
            reason = choice.get("finish_reason")
            if reason:
                self.finish_reason = finish_reason(reason)
            text = (choice.get("delta") or {}).get("content")
            if text:
                return _text(text=text, raw=data)
        return _frame(raw=data)


class AnthropicEvents(Normaliser):
    """Messages API events: ``content_block_delta`` … ``message_stop``."""

    def read(self, data: dict[str, Any]) -> StreamEvent:
        kind = data.get("type")
        if kind == "content_block_delta":
            delta = data.get("delta") or {}
            if delta.get("type") == "text_delta":
                return _text(text=delta.get("text", ""), raw=data)
        elif kind == "message_start":
            usage = (data.get("message") or {}).get("usage") or {}
            self.input_tokens = total_input_tokens(usage)
            self.output_tokens = usage.get("output_tokens")
        elif kind == "message_delta":
            self.finish_reason = finish_reason((data.get("delta") or {}).get("stop_reason"))
            output = (data.get("usage") or {}).get("output_tokens")
            if output is not None:
                self.output_tokens = output
        elif kind == "message_stop":
            return self.done(data)
        return _frame(raw=data)


class ClaudeCliLines(AnthropicEvents):
    """Claude Code's stream-json lines: Anthropic events wrapped in ``stream_event``, then a
    ``result`` line that ends the run (with the run's usage, or its error)."""

    def read(self, data: dict[str, Any]) -> StreamEvent:
        kind = data.get("type")
        if kind == "stream_event":
            inner = data.get("event") or {}
            if inner.get("type") == "message_stop":
                return _frame(raw=data)  # the run ends at its result line
            event = super().read(inner)
            if isinstance(event, TextEvent):
                return _text(text=event.text, raw=data)
            return _frame(raw=data)
        if kind == "result":
            if data.get("is_error") or data.get("subtype", "success") != "success":
                message = data.get("result") or data.get("subtype") or "claude-cli failed"
                return _error({"message": message, "type": "cli_error"}, data)
            usage = data.get("usage") or {}
            self.input_tokens = total_input_tokens(usage)
            self.output_tokens = usage.get("output_tokens", self.output_tokens)
            self.finish_reason = self.finish_reason or "stop"
            return self.done(data)
        return _frame(raw=data)


_BY_PROVIDER: dict[str, type[Normaliser]] = {
    "openai": OpenAIChunks,
    "openrouter": OpenAIChunks,
    "anthropic": AnthropicEvents,
    "claude-cli": ClaudeCliLines,
}


def normaliser(provider: str | None) -> Normaliser:
    """The reader for ``provider``'s frames (OpenAI's chunk format when it is unknown)."""
    return _BY_PROVIDER.get(provider or "", OpenAIChunks)()
