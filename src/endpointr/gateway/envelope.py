"""The response envelope ``{httpCode, status, timestamp, requestId, version, data}`` and its
error twin (``data: null`` plus ``error: {message, type, code}``)."""

from __future__ import annotations

import functools
import json
import time
from datetime import datetime, timezone
from http import HTTPStatus
from typing import Any

from pydantic_core import to_json

from .._version import __version__
from .errors import HTTPError
from .http import Response

API_VERSION = __version__


@functools.lru_cache(maxsize=64)
def _status_line(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return f"HTTP/1.1 {status} {phrase}".rstrip()


@functools.lru_cache(maxsize=2)
def _timestamp(second: int) -> str:
    return datetime.fromtimestamp(second, timezone.utc).isoformat()


def _head(status: int, request_id: str) -> bytes:
    now = _timestamp(int(time.time()))
    return (
        f'{{"httpCode":{status},"status":"{_status_line(status)}","timestamp":"{now}",'
        f'"requestId":"{request_id}","version":"{API_VERSION}","data":'
    ).encode()


def ok(data: Any, request_id: str, status: int = 200) -> Response:
    return Response.json(
        status, wrap(to_json(data), request_id, status), [("x-request-id", request_id)]
    )


def wrap(data: bytes, request_id: str, status: int = 200) -> bytes:
    """The envelope around ``data``, JSON that is already serialised (no second encoding)."""
    return _head(status, request_id) + data + b"}"


def error_body(err: HTTPError) -> dict[str, Any]:
    error: dict[str, Any] = {"message": err.message, "type": err.type, "code": err.code}
    if err.details:
        error.update(err.details)
    return error


def error(err: HTTPError, request_id: str, *, envelope: bool = True) -> Response:
    headers = [("x-request-id", request_id), *err.headers]
    if err.retryable:
        headers.append(("x-should-retry", "true"))
    payload = json.dumps({"error": error_body(err)}, separators=(",", ":")).encode()
    body = _head(err.status_code, request_id) + b"null," + payload[1:] if envelope else payload
    return Response.json(err.status_code, body, headers)
