"""Bodies stream through both transports as the handler produces them, and stop when the
caller stops reading; a sync client works inside a running event loop (a Jupyter cell)."""

from __future__ import annotations

import asyncio
import time
import uuid

from endpointr import AsyncEndpointr, Endpointr


def _progress(client: Endpointr, key: str) -> list[str]:
    return client._request("GET", f"/v1/testing/progress/{key}", cast=list[str])


def test_frames_arrive_before_the_stream_ends(client: Endpointr) -> None:
    key = uuid.uuid4().hex
    params = {"n": 4, "delay": 0.3, "key": key}
    response = client._send("GET", "/v1/testing/stream", params=params, stream=True)
    try:
        lines = response.iter_lines()
        first = next(line for line in lines if line)
        arrived = time.monotonic()
        assert first == "data: 0"
        assert "done" not in _progress(client, key)  # the handler is still producing
        rest = [line for line in lines if line]
    finally:
        response.close()
    assert rest == ["data: 1", "data: 2", "data: 3"]
    assert time.monotonic() - arrived >= 0.6
    assert _progress(client, key)[-1] == "done"


def test_closing_early_stops_the_producer(client: Endpointr) -> None:
    key = uuid.uuid4().hex
    params = {"n": 50, "delay": 0.05, "key": key}
    response = client._send("GET", "/v1/testing/stream", params=params, stream=True)
    assert next(response.iter_lines()) == "data: 0"
    response.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _progress(client, key)[-1] not in ("cancelled", "closed"):
        time.sleep(0.05)
    progress = _progress(client, key)
    assert progress[-1] in ("cancelled", "closed")
    assert len(progress) < 40


async def test_async_stream(aclient: AsyncEndpointr) -> None:
    key = uuid.uuid4().hex
    params = {"n": 3, "delay": 0.2, "key": key}
    response = await aclient._send("GET", "/v1/testing/stream", params=params, stream=True)
    seen = []
    async for line in response.aiter_lines():
        if line:
            seen.append((line, time.monotonic()))
    await response.aclose()
    assert [s[0] for s in seen] == ["data: 0", "data: 1", "data: 2"]
    assert seen[-1][1] - seen[0][1] >= 0.3


async def test_sync_client_inside_a_running_loop(client: Endpointr) -> None:
    """What a notebook cell does: sync calls while the kernel's loop is running."""
    asyncio.get_running_loop()
    client.vault.put("notebook", {"cell": 1})
    assert client.vault.get("notebook") == {"cell": 1}
    response = client._send(
        "GET", "/v1/testing/stream", params={"n": 2, "key": uuid.uuid4().hex}, stream=True
    )
    assert [line for line in response.iter_lines() if line] == ["data: 0", "data: 1"]
    response.close()
