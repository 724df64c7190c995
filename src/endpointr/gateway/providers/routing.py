"""Which provider answers: the contract's resolution and failover.

* ``provider`` in the request pins exactly that provider: no priority list, no failover. A
  provider without the capability is a 501; one without credentials a 400 naming the fix.
* Otherwise the customer's priority list is walked top to bottom, skipping providers that
  cannot do the operation or have no credentials (loaded lazily: the first survivor costs one
  vault read). A 5xx, 401, 403, 429 or connection failure moves on to the next survivor; any
  other 4xx is the caller's fault and surfaces at once. Streams never fail over.
* Credentials: the per-request override (``oauth_token`` for claude-cli, ``api_key`` for
  openai-cli), then the vault, then the server's own (CLI providers).

Every answer names the provider that gave it and the attempts that failed before it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from ...types.ai import Attempt
from ..errors import BadRequest, HTTPError, NotImplementedByProvider
from ..handlers.credentials.credentials import load_credentials
from . import adapter
from .base import CAPABILITIES, Capability, Provider, ProviderError

if TYPE_CHECKING:
    from ..gateway import Gateway
    from ..store import CustomerRecord

T = TypeVar("T")
log = logging.getLogger("endpointr.ai")

_DOES = {
    "chat": "chat",
    "vision": "read images (vision)",
    "image": "generate images",
    "stream": "stream",
    "models": "list models",
    "embed": "embed text",
}
_SETUP = {
    "openai": '{"api_key": "sk-..."}',
    "anthropic": '{"api_key": "sk-ant-..."}',
    "openrouter": '{"api_key": "sk-or-..."}',
    "claude-cli": '{"oauth_token": "..."} (from claude setup-token)',
    "openai-cli": '{"api_key": "sk-..."}',
}
_OVERRIDE_ELSE = {
    "claude-cli": "pass oauth_token in the body, set CLAUDE_CODE_OAUTH_TOKEN on the server, or ",
    "openai-cli": "pass api_key in the body, run `codex login` on the server, or ",
}


def able(capability: Capability) -> list[str]:
    return [name for name, can in CAPABILITIES.items() if capability in can]


def _put(name: str) -> str:
    return f"PUT /v1/credentials/{name} with {_SETUP[name]}"


async def _credentials(
    gateway: Gateway, customer: CustomerRecord, cls: type[Provider], overrides: Mapping[str, str]
) -> Mapping[str, object] | None:
    override = overrides.get(cls.override_field) if cls.override_field else None
    stored = None if override else await load_credentials(gateway, customer.id, cls.name)
    return cls.resolve_credentials(stored, override, gateway)


def check_overrides(pinned: str | None, overrides: Mapping[str, str]) -> None:
    """A credential override meant for another provider than the pinned one is a 400."""
    if pinned is None or not overrides:
        return
    field = adapter(pinned).override_field
    for name in overrides:
        if name != field:
            owner = "claude-cli" if name == "oauth_token" else "openai-cli"
            takes = f"takes {field}" if field else f"uses its stored credentials ({_put(pinned)})"
            raise BadRequest(
                f"{name} in the body overrides {owner}'s credentials, not {pinned}'s; "
                f"{pinned} {takes}",
                code="misplaced_override",
            )


async def candidates(
    gateway: Gateway,
    customer: CustomerRecord,
    capability: Capability,
    *,
    pinned: str | None,
    overrides: Mapping[str, str],
) -> AsyncGenerator[Provider, None]:
    """The providers to try, in order, each bound to its credentials."""
    if pinned is not None:
        cls = adapter(pinned)
        if capability not in cls.capabilities():
            raise NotImplementedByProvider(
                f"{pinned} cannot {_DOES[capability]}; providers that can: "
                + ", ".join(able(capability)),
                code="capability_not_supported",
            )
        credentials = await _credentials(gateway, customer, cls, overrides)
        if credentials is None:
            raise BadRequest(
                f"no {pinned} credentials: {_OVERRIDE_ELSE.get(pinned, '')}{_put(pinned)}",
                code="missing_credentials",
            )
        yield cls(gateway, credentials)
        return
    found = False
    for name in customer.provider_priority:
        if capability not in CAPABILITIES.get(name, ()):
            continue
        cls = adapter(name)
        credentials = await _credentials(gateway, customer, cls, overrides)
        if credentials is not None:
            found = True
            yield cls(gateway, credentials)
    if not found:
        raise _none_available(customer, capability)


def _none_available(customer: CustomerRecord, capability: Capability) -> HTTPError:
    can = able(capability)
    listed = [n for n in customer.provider_priority if n in CAPABILITIES]
    if listed and not any(capability in CAPABILITIES[n] for n in listed):
        why = f"no provider in your priority list ({', '.join(listed)}) can {_DOES[capability]}"
    else:
        why = f"no provider that can {_DOES[capability]} has credentials"
    return BadRequest(
        f"{why}: store credentials for one of {', '.join(can)}, e.g. {_put(can[0])}",
        code="missing_credentials",
    )


def as_http(error: ProviderError, attempts: list[Attempt]) -> HTTPError:
    """The answer to the caller when the providers failed: the last failure's status."""
    headers = [("retry-after", error.retry_after)] if error.retry_after else []
    return HTTPError(
        error.message,
        status=error.status,
        code=error.code or "upstream_error",
        headers=headers,
        retryable=error.status in (429, 503),  # the upstream said: try again later
        details={
            "provider": error.provider,
            "attempts": [a.model_dump(exclude_none=True) for a in attempts],
        },
    )


async def with_failover(
    providers: AsyncGenerator[Provider, None],
    call: Callable[[Provider], Awaitable[T]],
    *,
    failover: bool = True,
) -> tuple[T, Provider, list[Attempt]]:
    """``call`` the first provider, and the next ones while failures allow failover.

    Returns the result, the provider that produced it and the attempts that failed first.
    """
    attempts: list[Attempt] = []
    last: ProviderError | None = None
    try:
        async for provider in providers:
            try:
                return await call(provider), provider, attempts
            except ProviderError as exc:
                attempts.append(
                    Attempt(
                        provider=exc.provider, status=exc.status, message=exc.message, code=exc.code
                    )
                )
                if not (failover and exc.failover):
                    raise as_http(exc, attempts) from None
                log.info(
                    "%s failed (%s %s); trying the next provider", exc.provider, exc.status, exc
                )
                last = exc
    finally:
        await providers.aclose()
    assert last is not None  # candidates() raises when it has nothing to offer
    raise as_http(last, attempts)
