from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import IO, TYPE_CHECKING, Any, Literal, Union

import httpx

from ...._media import data_uri, image_format, read_image
from ....types.ai import (
    ChatResponse,
    ImageResponse,
    ModelList,
    ProviderName,
    StreamEvent,
    Upload,
)
from ..._ai_events import normaliser
from ..._base import NOT_GIVEN, Timeout
from ..._streaming import ServerSentEvent
from .._resource import AsyncAPIResource
from .._stream import AsyncStream

if TYPE_CHECKING:
    from .completions import AsyncCompletions

ImageInput = Union[bytes, str, os.PathLike[str], IO[bytes]]  # noqa: UP007 - runtime alias


_CHAT_FIELDS = (
    "prompt", "messages", "system", "provider", "model", "temperature", "max_tokens", "top_p",
    "stop", "oauth_token", "api_key", "image_url",
)  # fmt: skip


def _chat_body(args: Mapping[str, Any]) -> dict[str, Any]:
    """The request body from a chat-like method's arguments (its ``locals()``)."""
    body = {k: args[k] for k in _CHAT_FIELDS if args.get(k) is not None}
    if "messages" in body:
        body["messages"] = [dict(m) for m in body["messages"]]
    if args.get("json"):
        body["json"] = True
    return body


class AsyncAIStream(AsyncStream[StreamEvent]):
    """``client.ai.stream(...)``: typed events from whichever provider answers.

    ``TextEvent`` (``.text``) for each piece of the answer, one ``DoneEvent``
    (``.finish_reason``, ``.usage``) at the end, an ``ErrorEvent`` (``.error``) if the provider
    fails mid-stream, ``FrameEvent`` for the provider's other frames; each keeps its frame as
    ``.raw``. ``.provider`` and ``.model`` say who answers.
    """

    def parser(self, response: httpx.Response) -> Callable[[ServerSentEvent], StreamEvent | None]:
        return normaliser(response.headers.get("x-endpointr-provider"))

    @property
    def provider(self) -> str | None:
        """The provider answering (known once the stream is open)."""
        return self._header("x-endpointr-provider")

    @property
    def model(self) -> str | None:
        """The model answering (known once the stream is open)."""
        return self._header("x-endpointr-model")

    def _header(self, name: str) -> str | None:
        value: str | None = self.response.headers.get(name)
        return value


class AsyncAI(AsyncAPIResource):
    """Chat, streams, vision, image generation, models and uploads across AI providers
    (``/v1/ai/*``). Omit ``provider`` to use your priority list, with failover."""

    @cached_property
    def completions(self) -> AsyncCompletions:
        """The OpenAI-compatible endpoint (``/v1/chat/completions``), in OpenAI's shape."""
        from .completions import AsyncCompletions

        return AsyncCompletions(self._client)

    async def chat(
        self,
        *,
        prompt: str | None = None,
        messages: Iterable[Mapping[str, str]] | None = None,
        system: str | None = None,
        provider: ProviderName | None = None,
        model: str | None = None,
        json: bool = False,
        temperature: float | None = None,
        max_tokens: int | None = None,
        top_p: float | None = None,
        stop: str | list[str] | None = None,
        oauth_token: str | None = None,
        api_key: str | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ChatResponse:
        """Send ``prompt`` (or ``messages``: ``[{"role", "content"}, ...]``); the answer says
        which provider and model gave it. ``json=True`` asks for one JSON object, parsed into
        ``.parsed``. ``oauth_token`` / ``api_key`` override claude-cli's / openai-cli's
        stored credentials for this call."""
        body = _chat_body(locals())
        return await self._client._request(
            "POST", "/v1/ai/chat", json=body, cast=ChatResponse, timeout=timeout
        )

    def stream(
        self,
        *,
        prompt: str | None = None,
        messages: Iterable[Mapping[str, str]] | None = None,
        system: str | None = None,
        provider: ProviderName | None = None,
        model: str | None = None,
        json: bool = False,
        temperature: float | None = None,
        max_tokens: int | None = None,
        top_p: float | None = None,
        stop: str | list[str] | None = None,
        oauth_token: str | None = None,
        api_key: str | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> AsyncAIStream:
        """The chat answer as it is written: ``async with client.ai.stream(prompt=...) as s:
        async for event in s: ...`` (no failover: the first provider that can stream answers).
        """
        body = _chat_body(locals())
        return AsyncAIStream(self._client, "POST", "/v1/ai/stream", json=body, timeout=timeout)

    async def vision(
        self,
        *,
        image_url: str | None = None,
        image: ImageInput | None = None,
        prompt: str | None = None,
        messages: Iterable[Mapping[str, str]] | None = None,
        system: str | None = None,
        provider: ProviderName | None = None,
        model: str | None = None,
        json: bool = False,
        temperature: float | None = None,
        max_tokens: int | None = None,
        top_p: float | None = None,
        stop: str | list[str] | None = None,
        oauth_token: str | None = None,
        api_key: str | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ChatResponse:
        """Ask about an image: ``image_url`` (https, ``data:`` URI, or an upload's URL) or
        ``image`` (bytes, a path or a binary file, sent inline)."""
        if (image_url is None) == (image is None):
            raise TypeError("pass image_url or image (bytes, a path or a binary file)")
        body = _chat_body(locals())
        if image is not None:
            data = read_image(image)
            body["image_url"] = data_uri(data, image_format(data))
        return await self._client._request(
            "POST", "/v1/ai/vision", json=body, cast=ChatResponse, timeout=timeout
        )

    async def image(
        self,
        *,
        prompt: str,
        provider: Literal["openai", "openrouter"] | None = None,
        model: str | None = None,
        size: str | None = None,
        n: int | None = None,
        quality: str | None = None,
        style: str | None = None,
        response_format: Literal["url", "b64_json"] | None = None,
        reference_images: Iterable[str] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ImageResponse:
        """Generate images (``reference_images``: https URLs, data URIs or base64, for edits
        and style transfer). ``.images`` holds ``{url}`` or ``{b64_json}`` items."""
        fields = {
            "prompt": prompt, "provider": provider, "model": model, "size": size, "n": n,
            "quality": quality, "style": style, "response_format": response_format,
            "reference_images": None if reference_images is None else list(reference_images),
        }  # fmt: skip
        body = {k: v for k, v in fields.items() if v is not None}
        return await self._client._request(
            "POST", "/v1/ai/image", json=body, cast=ImageResponse, timeout=timeout
        )

    async def models(
        self, *, provider: ProviderName | None = None, timeout: Timeout = NOT_GIVEN
    ) -> ModelList:
        """The models a provider offers you (default: the first in your priority list that
        can list them)."""
        params = {"provider": provider} if provider else None
        return await self._client._request(
            "GET", "/v1/ai/models", params=params, cast=ModelList, timeout=timeout
        )

    async def upload(
        self,
        image: ImageInput | None = None,
        *,
        image_base64: str | None = None,
        format: Literal["png", "jpeg", "gif", "webp"] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Upload:
        """Store an image for 30 minutes and get a public URL for it (``.url``), e.g. for
        :meth:`vision`. ``image``: bytes, a path or a binary file; or ``image_base64``."""
        if (image is None) == (image_base64 is None):
            raise TypeError("pass image (bytes, a path or a binary file) or image_base64")
        if image is not None:
            import base64

            image_base64 = base64.b64encode(read_image(image)).decode("ascii")
        body: dict[str, Any] = {"image_base64": image_base64}
        if format is not None:
            body["format"] = format
        return await self._client._request(
            "POST", "/v1/ai/upload", json=body, cast=Upload, timeout=timeout
        )
