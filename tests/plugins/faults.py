"""A handler group for tests, loaded through the ``handler_modules`` setting (as an operator
would load custom handlers): it answers with any status, slowly, or flakily, so every error
class and the retry policy can be exercised by real requests in both modes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import ClassVar

from pydantic import BaseModel

from endpointr.gateway.actions import action
from endpointr.gateway.errors import HTTPError
from endpointr.gateway.handler import Handler, route
from endpointr.gateway.http import Response


class FaultQuery(BaseModel):
    sleep: float = 0.0
    fail_times: int = 0
    retryable: bool = False
    retry_after: str | None = None


class Echo(BaseModel):
    attempts: int
    id: str


class FaultsHandler(Handler):
    group = "testing"
    attempts: ClassVar[dict[str, int]] = {}

    async def _answer(self, id: str, query: FaultQuery) -> Echo:
        count = self.attempts[id] = self.attempts.get(id, 0) + 1
        if query.sleep:
            await asyncio.sleep(query.sleep)
        status = id.partition("-")[0]
        failing = status.isdigit() and int(status) >= 400
        if failing and (query.fail_times == 0 or count <= query.fail_times):
            headers = [("retry-after", query.retry_after)] if query.retry_after else []
            raise HTTPError(
                f"fault {status} as asked",
                status=int(status),
                code="fault",
                headers=headers,
                retryable=query.retryable,
            )
        return Echo(attempts=count, id=id)

    async def retrieve(self, id: str, query: FaultQuery) -> Echo:
        """Answer with status ``id`` (``<status>-<key>``), after ``sleep`` seconds."""
        return await self._answer(id, query)

    @action("testing.faults.post")
    @route("POST", "/v1/testing/faults/{id}", op="post")
    async def post(self, id: str, query: FaultQuery) -> Echo:
        """The same, for a non-idempotent verb."""
        return await self._answer(id, query)

    @route("GET", "/v1/testing/crash", op="crash")
    async def crash(self) -> Echo:
        """An unhandled exception: the gateway must answer 500 without a traceback."""
        raise RuntimeError("secret internal detail sk-should-not-leak")


class StreamQuery(BaseModel):
    n: int = 5
    delay: float = 0.0
    key: str = ""


class StreamHandler(Handler):
    """``GET /v1/testing/stream``: ``n`` SSE frames, ``delay`` seconds apart. Records in
    ``progress[key]`` how many frames it produced and whether it was cancelled."""

    group = "testing"
    progress: ClassVar[dict[str, list[str]]] = {}

    async def list(self, query: StreamQuery) -> Response:
        log = self.progress.setdefault(query.key, [])

        async def frames() -> AsyncIterator[bytes]:
            try:
                for i in range(query.n):
                    log.append(f"sent {i}")
                    yield f"data: {i}\n\n".encode()
                    await asyncio.sleep(query.delay)
                log.append("done")
            except asyncio.CancelledError:
                log.append("cancelled")
                raise
            except GeneratorExit:
                log.append("closed")
                raise

        return Response.stream(frames())

    @route("GET", "/v1/testing/progress/{id}", op="progress")
    async def report(self, id: str) -> list[str]:
        """What the stream ``id`` did."""
        return self.progress.get(id, [])
