"""``POST /v1/chat/completions`` (and ``/v1/ai/completions``): the OpenAI-compatible endpoint.

The model picks the upstream (:func:`route_model`). Anthropic-routed requests are translated
both ways (``providers/anthropic_translate.py``), streams event by event as they arrive; OpenAI
and OpenRouter get the request almost as sent and their answers, streamed or not, come back as
bytes. Callers authenticate with their raw api_key and get OpenAI's wire format, errors
included: ``{"error": {"message", "type", "code"}}``.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import httpx
from pydantic_core import from_json, to_json

from ....types.completions import IGNORED_FOR_ANTHROPIC, ChatCompletionCreate
from ...errors import BadRequest, HTTPError, Unauthorized
from ...handler import Handler, route
from ...http import Response
from ...providers import ProviderError, adapter
from ...providers import anthropic_translate as anthropic
from ...providers.routing import as_http
from ..credentials.credentials import load_credentials

if TYPE_CHECKING:
    from ...gateway import Gateway
    from ...providers.http import HTTPProvider

PROVIDER_NAMES = {"anthropic": "Anthropic", "openai": "OpenAI", "openrouter": "OpenRouter"}
_OPENAI_MODEL = re.compile(r"gpt-|o[134](?:-|$)")
_MODEL_KEY = re.compile(rb'"model"\s*:\s*"')


@dataclass(frozen=True, slots=True)
class Target:
    """Where a model name sends a request."""

    provider: str  # anthropic | openai | openrouter
    model: str  # the name the upstream gets
    prefix: str = ""  # stripped for the upstream, put back in the model the caller sees


def route_model(model: str) -> Target:
    """``anthropic/…``, ``claude-*`` → Anthropic; ``openai/…``, ``gpt-*``, ``o1``/``o3``/``o4``
    (and their ``-*`` variants) → OpenAI; anything else → OpenRouter, verbatim."""
    for provider in ("anthropic", "openai"):
        prefix = provider + "/"
        if model.startswith(prefix):
            if len(model) == len(prefix):
                raise BadRequest(f"model {model!r} names no model after the provider")
            return Target(provider, model[len(prefix) :], prefix)
    if model.startswith("claude-"):
        return Target("anthropic", model)
    if _OPENAI_MODEL.match(model):
        return Target("openai", model)
    return Target("openrouter", model)


class Upstream:
    """One provider's adapter (base URL, auth headers, error classification, scrubbing),
    called with bytes over the gateway's HTTP client."""

    def __init__(self, gateway: Gateway, target: Target, credentials: dict[str, Any]) -> None:
        self.target = target
        self.name = PROVIDER_NAMES[target.provider]
        self.provider = cast("HTTPProvider", adapter(target.provider)(gateway, credentials))
        self.http = gateway.http
        self.path = "/v1/messages" if target.provider == "anthropic" else "/chat/completions"

    async def post(self, payload: bytes, *, stream: bool) -> httpx.Response:
        """Send; a 2xx answer comes back (its body unread when streaming), anything else
        raises the :class:`HTTPError` the caller sees."""
        request = self.provider.request("POST", self.path, content=payload)
        try:
            response = await self.http.send(request, stream=stream)
        except httpx.HTTPError as exc:
            raise self.failure(self.provider.transport_error(exc)) from None
        if response.status_code >= 400:
            try:
                await response.aread()
            except httpx.HTTPError as exc:
                raise self.failure(self.provider.transport_error(exc)) from None
            finally:
                await response.aclose()
            raise self.failure(self.provider.status_error(response))
        return response

    def failure(self, error: ProviderError) -> HTTPError:
        """The AI routes' answer for a failed upstream; a refused key says how to replace it."""
        if error.status in (401, 403):
            error.message += (
                f"; the {error.provider} api_key stored for this customer was refused: "
                f"replace it with PUT /v1/credentials/{error.provider}"
            )
        return as_http(error, [])


class CompletionsHandler(Handler):
    auth = "api_key"
    envelope = False

    @route("POST", "/v1/chat/completions", op="create")
    @route("POST", "/v1/ai/completions", op="create")
    async def complete(self, body: ChatCompletionCreate) -> Response:
        """OpenAI-compatible chat completions (streamed with ``stream: true``) for Anthropic,
        OpenAI and OpenRouter models; authenticate with your raw api_key."""
        target = route_model(body.model)
        credentials = await load_credentials(self.ctx.gateway, self.customer.id, target.provider)
        if not credentials or not credentials.get("api_key"):
            raise Unauthorized(
                f"model {body.model!r} routes to {PROVIDER_NAMES[target.provider]}, and no "
                f"{target.provider} api_key is stored for this customer: store one with "
                f'PUT /v1/credentials/{target.provider} {{"api_key": "…"}}',
                code="missing_credentials",
            )
        upstream = Upstream(self.ctx.gateway, target, credentials)
        if target.provider == "anthropic":
            return await self._anthropic(upstream, body)
        return await self._passthrough(upstream, body)

    async def _anthropic(self, upstream: Upstream, body: ChatCompletionCreate) -> Response:
        unknown = sorted(body.model_extra or ())
        if unknown:
            raise BadRequest(
                f"unknown field(s) {', '.join(unknown)}: not OpenAI chat-completions parameters "
                "that an Anthropic model can take",
                code="unknown_parameter",
            )
        fields = body.model_dump(exclude_none=True, exclude=set(IGNORED_FOR_ANTHROPIC))
        try:
            payload = anthropic.to_anthropic(fields, upstream.target.model)
        except anthropic.TranslationError as exc:
            raise BadRequest(str(exc), code="invalid_messages") from None
        created = int(time.time())
        if not body.stream:
            response = await upstream.post(to_json(payload), stream=False)
            try:
                message = from_json(response.content)
            except ValueError:
                message = None
            if not isinstance(message, dict) or not isinstance(message.get("content"), list):
                raise HTTPError(
                    f"{upstream.name} answered with a body that is not a message",
                    status=502,
                    code="upstream_malformed",
                )
            model = upstream.target.prefix + (message.get("model") or upstream.target.model)
            completion = anthropic.from_anthropic(message, model, created)
            return Response.json(200, to_json(completion))
        translator = anthropic.StreamTranslator(
            upstream.target.model,
            created,
            prefix=upstream.target.prefix,
            include_usage=bool(body.stream_options and body.stream_options.include_usage),
        )
        response = await upstream.post(to_json(payload), stream=True)
        return Response.stream(_translated(upstream, response, translator))

    async def _passthrough(self, upstream: Upstream, body: ChatCompletionCreate) -> Response:
        prefix = upstream.target.prefix
        if prefix:
            fields = body.model_dump(exclude_unset=True) | {"model": upstream.target.model}
            payload = to_json(fields)
        else:
            payload = self.ctx.request.body  # the model goes upstream verbatim: so can the rest
        response = await upstream.post(payload, stream=bool(body.stream))
        if body.stream:
            return Response.stream(_relayed(upstream, response, prefix.encode()))
        content = response.content
        if prefix:
            content = _MODEL_KEY.sub(b'"model":"' + prefix.encode(), content, count=1)
        return Response.json(200, content)

    def event_data(self, inputs: dict[str, Any], output: Any) -> Any:
        # Conversations are the customer's business: subscribers see what was asked of whom.
        body = inputs.get("body") or {}
        summary = {
            "model": body.get("model"),
            "stream": bool(body.get("stream")),
            "messages": len(body.get("messages") or ()),
            "tools": len(body.get("tools") or ()),
        }
        return {"input": summary, "output": None}


async def _translated(
    upstream: Upstream, response: httpx.Response, translator: anthropic.StreamTranslator
) -> AsyncIterator[bytes]:
    try:
        async for chunk in response.aiter_bytes():
            frames = translator.feed_bytes(chunk)
            if frames:
                yield frames
            if translator.done:
                return
        yield translator.close()  # the body ended before message_stop: say so
    except httpx.HTTPError as exc:
        yield translator.fail(upstream.provider.transport_error(exc).message)
    finally:
        await response.aclose()


async def _relayed(
    upstream: Upstream, response: httpx.Response, prefix: bytes
) -> AsyncIterator[bytes]:
    """The upstream's SSE bytes as they arrive; with ``prefix``, put back in every chunk's
    model (whole lines only, so a key split across network reads is still found)."""
    pending = b""
    replacement = b'"model":"' + prefix
    try:
        async for chunk in response.aiter_bytes():
            if not prefix:
                yield chunk
                continue
            pending += chunk
            cut = pending.rfind(b"\n") + 1
            if cut:
                yield _MODEL_KEY.sub(replacement, pending[:cut])
                pending = pending[cut:]
        if pending:
            yield pending
    except httpx.HTTPError as exc:
        failure = upstream.failure(upstream.provider.transport_error(exc))
        yield b"\n\n" + anthropic.error_frame(failure.message, failure.type, failure.code)
    finally:
        await response.aclose()
