"""What the sync and async clients share and that does no I/O: options, retry policy,
envelope unwrapping and the status -> exception mapping."""

from __future__ import annotations

import email.utils
import functools
import json
import random
import time
from collections.abc import Hashable
from typing import Any, Final, TypeVar, Union, cast

import httpx

from .._errors import APIStatusError, status_error_class
from .._version import __version__

T = TypeVar("T")

DEFAULT_BASE_URL: Final = "http://127.0.0.1:8080"
LOCAL_BASE_URL: Final = "http://endpointr.local"
DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES: Final = 2
CONNECTION_LIMITS: Final = httpx.Limits(max_connections=100, max_keepalive_connections=20)
USER_AGENT: Final = f"endpointr-python/{__version__}"
TOKEN_REFRESH_MARGIN: Final = 120.0  # rotate a JWT this many seconds before it expires
_RETRY_STATUSES: Final = frozenset({408, 409, 429, 500, 502, 503, 504})
_IDEMPOTENT: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_REAUTH_CODES: Final = frozenset({"token_expired", "token_revoked", "token_missing"})


class NotGiven:
    """Marks an argument the caller did not pass (``None`` may be a meaningful value)."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()
Timeout = Union[float, httpx.Timeout, None, NotGiven]  # noqa: UP007 - a runtime alias on 3.10


def to_timeout(value: float | httpx.Timeout | None) -> httpx.Timeout:
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


@functools.lru_cache(maxsize=512)
def _adapter(tp: Hashable) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(tp)  # type: ignore[arg-type]


def cast_to(tp: type[T], data: Any) -> T:
    """Validate ``data`` as ``tp`` (a pydantic model, ``list[Model]``, ``dict`` …)."""
    return _adapter(cast(Hashable, tp)).validate_python(data)  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=4096)
def parse_url(url: str) -> httpx.URL:
    """URLs are immutable and parsing one costs more than an in-process gateway call: cache."""
    return httpx.URL(url)


def unwrap(response: httpx.Response) -> Any:
    """The ``data`` of an enveloped answer, or the whole JSON body of an unwrapped one."""
    body = json.loads(response.content) if response.content else None
    if isinstance(body, dict) and "httpCode" in body and "data" in body:
        return body["data"]
    return body


@functools.lru_cache(maxsize=512)
def _enveloped(tp: Hashable) -> Any:
    from pydantic import BaseModel, create_model

    model: type[BaseModel] = create_model("Enveloped", data=(Any, ...))
    model.model_fields["data"].annotation = tp  # type: ignore[assignment]
    model.model_rebuild(force=True)
    return model


def parse(tp: type[T], response: httpx.Response) -> T:
    """The answer's ``data`` as ``tp``. An envelope as this project's gateway writes it (its
    head first) is validated straight from the bytes, with no intermediate dicts: for a
    list of thousands of objects that halves the cost. Other bodies go through :func:`unwrap`."""
    content = response.content
    if content.startswith(b'{"httpCode":'):
        model = _enveloped(cast(Hashable, tp))
        return model.model_validate_json(content).data  # type: ignore[no-any-return]
    return cast_to(tp, unwrap(response))


def status_error(response: httpx.Response) -> APIStatusError:
    """The exception for a 4xx/5xx answer (its body must have been read)."""
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text or None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        message = str(error.get("message") or response.reason_phrase)
        code, type_ = error.get("code"), error.get("type")
    else:
        message = str(error or response.reason_phrase or f"HTTP {response.status_code}")
        code = type_ = None
    cls = status_error_class(response.status_code)
    return cls(message, response=response, body=body, code=code, type=type_)


def needs_reauth(response: httpx.Response) -> bool:
    if response.status_code != 401:
        return False
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return False
    return isinstance(error, dict) and error.get("code") in _REAUTH_CODES


def should_retry(
    method: str, response: httpx.Response | None, error: httpx.TransportError | None
) -> bool:
    """Connection failures and transient statuses; a POST only when it cannot have run twice."""
    if response is not None:
        hint = response.headers.get("x-should-retry")
        if hint == "false":
            return False
        if hint == "true":
            return True
        return response.status_code in _RETRY_STATUSES and method in _IDEMPOTENT
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True  # the request never left
    return isinstance(error, httpx.TransportError) and method in _IDEMPOTENT


def retry_delay(attempt: int, response: httpx.Response | None) -> float:
    """Honour ``Retry-After`` (seconds or an HTTP date, ≤ 60 s); else exponential with jitter."""
    if response is not None:
        header = response.headers.get("retry-after-ms")
        seconds: float | None = float(header) / 1000 if header and _is_number(header) else None
        header = response.headers.get("retry-after")
        if seconds is None and header:
            if _is_number(header):
                seconds = float(header)
            else:
                try:
                    when = email.utils.parsedate_to_datetime(header).timestamp()
                except (TypeError, ValueError):
                    when = time.time()
                seconds = float(when) - time.time()
        if seconds is not None and 0 <= seconds <= 60:
            return seconds
    return min(0.5 * 2.0**attempt, 8.0) * (1 - 0.25 * random.random())


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def path_segment(value: str) -> str:
    """One path segment, percent-encoded so it cannot climb out of its route."""
    from urllib.parse import quote

    return quote(str(value), safe="")
