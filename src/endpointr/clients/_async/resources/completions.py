"""``client.ai.completions``: the OpenAI-compatible endpoint without the openai package."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, Union, overload

import httpx

from ...._errors import APIError
from ....types.completions import ChatCompletion, ChatCompletionChunk
from ..._base import NOT_GIVEN, Timeout
from ..._streaming import ServerSentEvent
from .._resource import AsyncAPIResource
from .._stream import AsyncStream

PATH = "/v1/chat/completions"
ToolChoice = Union[Literal["auto", "none", "required"], Mapping[str, Any]]  # noqa: UP007


def _chunk(frame: ServerSentEvent) -> ChatCompletionChunk | None:
    if frame.data == "[DONE]":
        return None
    data = json.loads(frame.data)
    error = data.get("error") if isinstance(data, dict) else None
    if error is not None:  # the upstream failed mid-stream: as the openai SDK does, raise
        message = error.get("message") if isinstance(error, dict) else str(error)
        raise APIError(str(message or "the stream failed"))
    return ChatCompletionChunk.model_validate(data)


class AsyncCompletionStream(AsyncStream[ChatCompletionChunk]):
    """``chat.completion.chunk`` items; ``async with`` it to close the connection early."""

    def parser(
        self, response: httpx.Response
    ) -> Callable[[ServerSentEvent], ChatCompletionChunk | None]:
        return _chunk


class AsyncCompletions(AsyncAPIResource):
    """OpenAI-compatible chat completions (``POST /v1/chat/completions``): Anthropic, OpenAI
    and OpenRouter models by name, answered in OpenAI's shape."""

    @overload
    async def create(
        self,
        *,
        model: str,
        messages: Iterable[Mapping[str, Any]],
        stream: Literal[False] = False,
        tools: Iterable[Mapping[str, Any]] | None = None,
        tool_choice: ToolChoice | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        max_tokens: int | None = None,
        stop: str | list[str] | None = None,
        include_usage: bool = False,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ChatCompletion: ...

    @overload
    async def create(
        self,
        *,
        model: str,
        messages: Iterable[Mapping[str, Any]],
        stream: Literal[True],
        tools: Iterable[Mapping[str, Any]] | None = None,
        tool_choice: ToolChoice | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        max_tokens: int | None = None,
        stop: str | list[str] | None = None,
        include_usage: bool = False,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> AsyncCompletionStream: ...

    async def create(
        self,
        *,
        model: str,
        messages: Iterable[Mapping[str, Any]],
        stream: bool = False,
        tools: Iterable[Mapping[str, Any]] | None = None,
        tool_choice: ToolChoice | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        max_tokens: int | None = None,
        stop: str | list[str] | None = None,
        include_usage: bool = False,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ChatCompletion | AsyncCompletionStream:
        """A completion; with ``stream=True`` a stream of chunks to iterate. ``extra_body``
        carries any other OpenAI parameter (``response_format``, ``seed`` …)."""
        body: dict[str, Any] = {"model": model, "messages": [dict(m) for m in messages]}
        optional = {"tools": None if tools is None else [dict(t) for t in tools],
                    "tool_choice": tool_choice, "temperature": temperature, "top_p": top_p,
                    "max_tokens": max_tokens, "stop": stop}  # fmt: skip
        body.update({k: v for k, v in optional.items() if v is not None})
        body.update(extra_body or {})
        # The endpoint takes the raw api_key (in local mode: no header, the transport vouches).
        auth = self._client.api_key or "none"
        if not stream:
            return await self._client._request(
                "POST", PATH, json=body, cast=ChatCompletion, timeout=timeout, auth=auth
            )
        body["stream"] = True
        if include_usage:
            body["stream_options"] = {"include_usage": True}
        return AsyncCompletionStream(
            self._client, "POST", PATH, json=body, timeout=timeout, auth=auth
        )
