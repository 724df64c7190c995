"""The provider interface, the capability map and the default models.

An adapter turns one normalised request (:class:`ChatRequest`, :class:`ImageRequest`) into its
provider's wire format and back. Adapters are built per request with the credentials that
request resolved; they never choose providers or retry (``routing.py`` does that) and raise
:class:`ProviderError` for every upstream failure, classified so failover can decide.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from ..._media import data_uri

if TYPE_CHECKING:
    from ..gateway import Gateway

Capability = Literal["chat", "vision", "image", "stream", "models", "embed"]

#: What each provider can do: the contract's table, the only place it is written down.
CAPABILITIES: dict[str, frozenset[Capability]] = {
    "openai": frozenset({"chat", "vision", "image", "stream", "models", "embed"}),
    "anthropic": frozenset({"chat", "vision", "stream", "models"}),
    "openrouter": frozenset({"chat", "vision", "image", "stream", "models", "embed"}),
    "claude-cli": frozenset({"chat", "vision", "stream"}),
    "openai-cli": frozenset({"chat"}),
}

#: The contract's default models, used when a request names none (and nowhere else).
DEFAULT_MODELS: dict[str, dict[Literal["chat", "image"], str]] = {
    "anthropic": {"chat": "claude-sonnet-4-6"},
    "claude-cli": {"chat": "claude-sonnet-4-6"},
    "openai": {"chat": "gpt-4o-mini", "image": "gpt-image-1"},
    "openai-cli": {"chat": "gpt-5"},
    "openrouter": {"chat": "openai/gpt-4o-mini", "image": "google/gemini-2.5-flash-image-preview"},
}

#: Statuses after which the next provider in the priority list is tried.
FAILOVER_STATUSES = frozenset({401, 403, 429})

JSON_INSTRUCTION = "Answer with one valid JSON object and nothing else: no prose, no code fences."

_KEYLIKE = re.compile(r"\b(sk|rk|pk)-[A-Za-z0-9_*.-]{8,}|\bBearer\s+\S+", re.IGNORECASE)


def scrub(message: str, secrets: Mapping[str, Any] = {}) -> str:
    """``message`` without the credentials in ``secrets`` or anything shaped like a key."""
    for value in secrets.values():
        if isinstance(value, str) and len(value) >= 8:
            message = message.replace(value, "[REDACTED]")
    return _KEYLIKE.sub("[REDACTED]", message)


class ProviderError(Exception):
    """A provider failed. ``status`` is what the caller sees (5xx upstream answers and
    connection failures become 502/503/504); ``failover`` says whether the next provider may
    be tried."""

    def __init__(
        self,
        provider: str,
        status: int,
        message: str,
        *,
        code: str | None = None,
        retry_after: str | None = None,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.status = status
        self.message = message
        self.code = code
        self.retry_after = retry_after

    @property
    def failover(self) -> bool:
        return self.status in FAILOVER_STATUSES or self.status >= 500


# -- normalised requests and results ----------------------------------------------------------


@dataclass(slots=True)
class ImagePart:
    """An image in a request: a URL the provider fetches itself, or bytes we send inline."""

    url: str | None = None
    data: bytes | None = None
    format: str | None = None  # png | jpeg | gif | webp, sniffed, when data is set

    def data_uri(self) -> str:
        assert self.data is not None
        assert self.format is not None
        return data_uri(self.data, self.format)


@dataclass(slots=True)
class ChatMessage:
    role: Literal["user", "assistant"]
    text: str
    images: list[ImagePart] = field(default_factory=list)


@dataclass(slots=True)
class ChatRequest:
    model: str
    messages: list[ChatMessage]
    system: str | None = None  # every system message, joined
    json_mode: bool = False
    temperature: float | None = None
    max_tokens: int | None = None
    top_p: float | None = None
    stop: list[str] | None = None


@dataclass(slots=True)
class ChatResult:
    model: str
    content: str
    finish_reason: str | None
    input_tokens: int | None = None
    output_tokens: int | None = None


@dataclass(slots=True)
class StreamResult:
    """An answer whose status is known (2xx) and whose body is still arriving."""

    model: str
    body: AsyncIterator[bytes]


@dataclass(slots=True)
class ImageRequest:
    model: str
    prompt: str
    n: int | None = None
    size: str | None = None
    quality: str | None = None
    style: str | None = None
    response_format: str | None = None
    references: list[ImagePart] = field(default_factory=list)


@dataclass(slots=True)
class ImageResult:
    model: str
    images: list[dict[str, str]]  # each {"url": …} or {"b64_json": …}, maybe "revised_prompt"


# -- the interface ----------------------------------------------------------------------------


class Provider:
    """One provider, bound to the credentials of one request."""

    name: ClassVar[str]
    #: The body field that overrides the stored credential for one call (CLI providers).
    override_field: ClassVar[str | None] = None

    def __init__(self, gateway: Gateway, credentials: Mapping[str, Any]) -> None:
        self.gateway = gateway
        self.settings = gateway.settings
        self.credentials = credentials

    @classmethod
    def capabilities(cls) -> frozenset[Capability]:
        return CAPABILITIES[cls.name]

    @classmethod
    def default_model(cls, kind: Literal["chat", "image"] = "chat") -> str:
        return DEFAULT_MODELS[cls.name][kind]

    @classmethod
    def resolve_credentials(
        cls, stored: Mapping[str, Any] | None, override: str | None, gateway: Gateway
    ) -> Mapping[str, Any] | None:
        """The credentials to call with: per-request override, then stored, then the server's
        own (CLI providers); ``None`` when there are none."""
        return stored

    def error(
        self, status: int, message: str, *, code: str | None = None, retry_after: str | None = None
    ) -> ProviderError:
        """A :class:`ProviderError` whose message carries no credential of this request."""
        return ProviderError(
            self.name,
            status,
            scrub(message, self.credentials),
            code=code,
            retry_after=retry_after,
        )

    async def inline(self, part: ImagePart) -> ImagePart:
        """The image with its bytes, fetched through the SSRF-safe fetcher if it is a URL."""
        from .media import load_image

        return await load_image(self.gateway, part)

    async def chat(self, request: ChatRequest) -> ChatResult:
        raise NotImplementedError

    async def stream(self, request: ChatRequest) -> StreamResult:
        raise NotImplementedError

    async def image(self, request: ImageRequest) -> ImageResult:
        raise NotImplementedError

    async def models(self) -> list[dict[str, Any]]:
        raise NotImplementedError
