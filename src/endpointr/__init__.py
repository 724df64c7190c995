"""endpointr: a typed Python SDK with an embedded gateway.

    from endpointr import Endpointr

    client = Endpointr(api_key=..., base_url=...)   # an Endpointr server over HTTP
    client = Endpointr.local()                      # the same gateway, in this process

Only the client and the errors load here; the gateway, crypto and provider SDKs load when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    EndpointrError,
    InternalServerError,
    MethodNotAllowedError,
    NotFoundError,
    NotImplementedByProviderError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    VaultError,
    VaultKeyError,
    WebhookVerificationError,
)
from ._version import __version__
from .clients import NOT_GIVEN, AsyncEndpointr, Endpointr, NotGiven

if TYPE_CHECKING:
    from . import webhooks as webhooks
    from .admin import Admin
    from .gateway.settings import Settings

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "Admin",
    "AsyncEndpointr",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "Endpointr",
    "EndpointrError",
    "InternalServerError",
    "MethodNotAllowedError",
    "NotFoundError",
    "NotGiven",
    "NotImplementedByProviderError",
    "PermissionDeniedError",
    "RateLimitError",
    "Settings",
    "UnprocessableEntityError",
    "VaultError",
    "VaultKeyError",
    "WebhookVerificationError",
    "__version__",
]

_LAZY = {"Admin": "endpointr.admin", "Settings": "endpointr.gateway.settings"}
_SUBMODULES = ("webhooks",)  # endpointr.webhooks.verify(...) works after a plain import endpointr


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"endpointr.{name}")
    raise AttributeError(f"module 'endpointr' has no attribute {name!r}")
