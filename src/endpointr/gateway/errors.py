"""Errors a handler raises to answer with a status; the gateway renders the error envelope."""

from __future__ import annotations

from typing import ClassVar

_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "method_not_allowed_error",
    409: "conflict_error",
    413: "request_too_large_error",
    422: "unprocessable_entity_error",
    429: "rate_limit_error",
    501: "not_implemented_error",
    502: "upstream_error",
    503: "unavailable_error",
    504: "upstream_timeout_error",
}


class HTTPError(Exception):
    """An answer with ``status``; ``message`` says what went wrong and how to fix it."""

    status: ClassVar[int] = 500

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        headers: list[tuple[str, str]] | None = None,
        retryable: bool = False,
        details: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status or self.status
        self.code = code
        self.headers = headers or []
        self.retryable = retryable
        self.details = details

    @property
    def type(self) -> str:
        return _TYPES.get(self.status_code, "api_error")


class BadRequest(HTTPError):
    status = 400


class Unauthorized(HTTPError):
    status = 401


class Forbidden(HTTPError):
    status = 403


class NotFound(HTTPError):
    status = 404


class MethodNotAllowed(HTTPError):
    status = 405


class Conflict(HTTPError):
    status = 409


class PayloadTooLarge(HTTPError):
    status = 413


class TooManyRequests(HTTPError):
    status = 429


class NotImplementedByProvider(HTTPError):
    status = 501


class BadGateway(HTTPError):
    status = 502
