"""The gateway's own request and response: what ``Gateway.handle`` takes and returns.

Both adapters (the ASGI app and the SDK's in-process transport) translate to and from these,
and nothing else reaches handler code.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

JSON = "application/json"
SSE = "text/event-stream"


@dataclass(slots=True)
class Request:
    method: str
    path: str
    query_string: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    principal: int | None = None  # a customer id vouched for by an in-process transport
    client: str | None = None

    def query_items(self) -> list[tuple[str, str]]:
        return parse_qsl(self.query_string, keep_blank_values=True)

    def bearer(self) -> str | None:
        value = self.headers.get("authorization", "")
        scheme, _, token = value.partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None


@dataclass(slots=True)
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | AsyncIterator[bytes] = b""

    @classmethod
    def json(
        cls, status: int, body: bytes, headers: list[tuple[str, str]] | None = None
    ) -> Response:
        return cls(status, [("content-type", JSON), *(headers or [])], body)

    @classmethod
    def stream(
        cls, chunks: AsyncIterator[bytes], media_type: str = SSE, status: int = 200
    ) -> Response:
        headers = [("content-type", media_type), ("cache-control", "no-cache")]
        if media_type == SSE:
            headers.append(("x-accel-buffering", "no"))
        return cls(status, headers, chunks)

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)
