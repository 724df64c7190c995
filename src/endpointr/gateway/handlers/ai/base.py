"""What the AI handlers share: turning a request into the normalised provider request,
choosing providers with failover, and keeping credentials and image bytes out of events."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any, ClassVar, TypeVar

from ....types.ai import Attempt, ChatParams, ChatResponse, ProviderChoice, Usage
from ...errors import BadRequest
from ...events import redact
from ...handler import Handler
from ...providers.base import (
    JSON_INSTRUCTION,
    Capability,
    ChatMessage,
    ChatRequest,
    ChatResult,
    ImagePart,
    Provider,
)
from ...providers.routing import candidates, check_overrides, with_failover

T = TypeVar("T")
_FENCED = re.compile(r"^```[a-zA-Z]*\s*\n(.*?)\n?```\s*$", re.DOTALL)
_BIG = 512  # strings past this size that are image bytes are summarised in events
_BYTES_FIELDS = frozenset({"image_base64", "b64_json"})


def conversation(params: ChatParams) -> tuple[str | None, list[ChatMessage]]:
    """(system prompt, user/assistant turns): every system message, then ``system``, then
    the JSON instruction, joined into one system prompt."""
    systems: list[str] = []
    turns: list[ChatMessage] = []
    if params.messages is None:
        turns.append(ChatMessage("user", params.prompt or ""))
    else:
        for m in params.messages:
            if m.role == "system":
                systems.append(m.content)
            else:
                turns.append(ChatMessage(m.role, m.content))
    if params.system:
        systems.append(params.system)
    if params.json_mode:
        systems.append(JSON_INSTRUCTION)
    if not any(t.role == "user" for t in turns):
        raise BadRequest("messages must include at least one user message", code="no_user_message")
    return "\n\n".join(systems) or None, turns


def parse_json_answer(text: str) -> Any:
    """The JSON an answer holds (code fences and surrounding prose tolerated), else None."""
    text = text.strip()
    fenced = _FENCED.match(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    for opener, closer in (("{", "}"), ("[", "]")):
        start, end = text.find(opener), text.rfind(closer)
        if 0 <= start < end:
            try:
                return json.loads(text[start : end + 1])
            except ValueError:
                continue
    return None


def _summarise(value: Any, key: str = "") -> Any:
    """Image bytes (base64, data URIs) replaced by their size: events are not file transfers."""
    if isinstance(value, dict):
        return {k: _summarise(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_summarise(v, key) for v in value]
    if isinstance(value, str) and len(value) > _BIG:
        if key in _BYTES_FIELDS:
            return f"[base64, {len(value)} characters]"
        if value[:5].lower() == "data:":
            return f"[data URI, {len(value)} characters]"
    return value


class AIHandler(Handler):
    """A ``/v1/ai/*`` route: providers chosen per request, with failover."""

    abstract = True
    capability: ClassVar[Capability]

    def event_data(self, inputs: dict[str, Any], output: Any) -> Any:
        # Credential overrides are redacted by name; image bytes are summarised.
        return redact({"input": _summarise(inputs), "output": _summarise(output)})

    def providers(
        self, params: ProviderChoice, capability: Capability | None = None
    ) -> AsyncGenerator[Provider, None]:
        overrides = {
            name: value
            for name in ("oauth_token", "api_key")
            if (value := getattr(params, name, None))
        }
        check_overrides(params.provider, overrides)
        return candidates(
            self.ctx.gateway,
            self.customer,
            capability or self.capability,
            pinned=params.provider,
            overrides=overrides,
        )

    async def first(
        self,
        params: ProviderChoice,
        call: Callable[[Provider], Awaitable[T]],
        *,
        failover: bool = True,
    ) -> tuple[T, Provider, list[Attempt]]:
        return await with_failover(self.providers(params), call, failover=failover)

    @staticmethod
    def chat_request(
        params: ChatParams, provider: Provider, system: str | None, turns: list[ChatMessage]
    ) -> ChatRequest:
        stop = [params.stop] if isinstance(params.stop, str) else params.stop
        return ChatRequest(
            model=params.model or provider.default_model(),
            messages=turns,
            system=system,
            json_mode=params.json_mode,
            temperature=params.temperature,
            max_tokens=params.max_tokens,
            top_p=params.top_p,
            stop=stop,
        )

    async def answer(self, params: ChatParams, image: ImagePart | None = None) -> ChatResponse:
        """Chat (with ``image`` on the last user message, for vision) with failover."""
        system, turns = conversation(params)
        if image is not None:
            last_user = next(t for t in reversed(turns) if t.role == "user")
            last_user.images.append(image)

        async def call(provider: Provider) -> ChatResult:
            return await provider.chat(self.chat_request(params, provider, system, turns))

        result, provider, attempts = await self.first(params, call)
        return ChatResponse(
            provider=provider.name,
            model=result.model,
            content=result.content,
            finish_reason=result.finish_reason,
            usage=Usage(input_tokens=result.input_tokens, output_tokens=result.output_tokens),
            attempts=attempts,
            json=parse_json_answer(result.content) if params.json_mode else None,
        )
