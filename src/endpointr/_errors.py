"""The exceptions the SDK raises, all importable from :mod:`endpointr`.

``EndpointrError`` is the root. Every failed request raises an :class:`APIError`: either
:class:`APIConnectionError` (nothing usable came back) or :class:`APIStatusError` (a 4xx/5xx
answer), the latter specialised by status code so callers can ``except NotFoundError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "EndpointrError",
    "InternalServerError",
    "MethodNotAllowedError",
    "NotFoundError",
    "NotImplementedByProviderError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "VaultError",
    "VaultKeyError",
    "WebhookVerificationError",
]


class EndpointrError(Exception):
    """Base class of every exception raised by endpointr."""


class VaultError(EndpointrError):
    """The local vault cannot be opened or used."""


class VaultKeyError(VaultError):
    """The master key does not open this vault (wrong key, or no key could be found)."""


class WebhookVerificationError(EndpointrError):
    """A webhook delivery's signature or timestamp did not verify."""


class APIError(EndpointrError):
    """A request to the gateway failed."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The gateway could not be reached, or the connection broke before an answer."""

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, request=request)


class APIStatusError(APIError):
    """The gateway answered with a 4xx or 5xx status."""

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any,
        code: str | None = None,
        type: str | None = None,
    ) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.request_id: str | None = response.headers.get("x-request-id")
        self.body = body
        self.code = code
        self.type = type

    def __str__(self) -> str:
        rid = f" (request {self.request_id})" if self.request_id else ""
        return f"{self.status_code} {self.message}{rid}"


class BadRequestError(APIStatusError):
    status_code = 400


class AuthenticationError(APIStatusError):
    status_code = 401


class PermissionDeniedError(APIStatusError):
    status_code = 403


class NotFoundError(APIStatusError):
    status_code = 404


class MethodNotAllowedError(APIStatusError):
    status_code = 405


class ConflictError(APIStatusError):
    status_code = 409


class UnprocessableEntityError(APIStatusError):
    status_code = 422


class RateLimitError(APIStatusError):
    status_code = 429


class InternalServerError(APIStatusError):
    status_code = 500


class NotImplementedByProviderError(APIStatusError):
    status_code = 501


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    501: NotImplementedByProviderError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """The exception class for an HTTP error status."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return InternalServerError if status >= 500 else APIStatusError
