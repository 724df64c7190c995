"""AI chat and streams: endpointr's local mode against the official openai SDK (and litellm,
when it is installed), all against one fake OpenAI upstream served from another process.

Targets (issue #3): local-mode ``client.ai.chat`` median ≤ the openai SDK's direct call and
≤ 0.3× litellm's (≥ 1,000 calls each); ``client.ai.stream`` ≤ 0.5× the openai SDK's cost per
chunk of a 500-chunk stream. Calls are measured in interleaved rounds so that drift in a noisy
machine hits every contender alike.
"""

from __future__ import annotations

import asyncio
import base64
import os
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from benchmarks._fake_openai import CHUNKS, FakeOpenAI
from benchmarks._harness import Sample, Table, ameasure, measure

CALLS = 1000
ROUNDS = 10
STREAMS = 40
LITELLM_STREAMS = 8
MESSAGES = [{"role": "user", "content": "Say hello."}]


def _litellm() -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no network at import
    try:
        import litellm
    except ImportError:
        return None
    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm


def _settings(url: str) -> Any:
    from endpointr.gateway.settings import Settings

    key = base64.b64encode(secrets.token_bytes(32)).decode()
    return Settings.from_env({}, vault=":memory:", master_key=key, openai_base_url=url)


def _merge(label: str, parts: list[Sample]) -> Sample:
    return Sample(label, [s for part in parts for s in part.seconds])


def _rounds(contenders: dict[str, Callable[[int], Sample]], n: int) -> dict[str, Sample]:
    """Each contender measured ``n`` times in all, in ROUNDS interleaved rounds."""
    parts: dict[str, list[Sample]] = {name: [] for name in contenders}
    for _ in range(ROUNDS):
        for name, run in contenders.items():
            parts[name].append(run(max(n // ROUNDS, 1)))
    return {name: _merge(name, samples) for name, samples in parts.items()}


def _in_loop(loop: asyncio.AbstractEventLoop, label: str, fn: Callable[[], Awaitable[object]]):  # type: ignore[no-untyped-def]
    return lambda n: loop.run_until_complete(ameasure(label, fn, n, warmup=20))


class Clients:
    """Every contender's client, pointed at one fake upstream, closed together."""

    def __init__(self, url: str) -> None:
        import openai

        from endpointr import AsyncEndpointr, Endpointr

        self.url = url
        self.raw = httpx.Client()
        self.sdk = openai.OpenAI(api_key="sk-bench", base_url=url, max_retries=0)
        self.asdk = openai.AsyncOpenAI(api_key="sk-bench", base_url=url, max_retries=0)
        self.loop = asyncio.new_event_loop()
        self.mine = Endpointr.local(settings=_settings(url))
        self.mine.credentials.set("openai", api_key="sk-bench")
        self.amine = AsyncEndpointr.local(settings=_settings(url))
        self.loop.run_until_complete(self.amine.credentials.set("openai", api_key="sk-bench"))

    def close(self) -> None:
        self.mine.close()
        self.loop.run_until_complete(self.amine.close())
        self.loop.run_until_complete(self.asdk.close())
        self.loop.close()
        self.sdk.close()
        self.raw.close()


def chat(c: Clients, litellm: Any) -> list[Table]:
    url, loop, sdk, asdk, mine, amine, raw = c.url, c.loop, c.sdk, c.asdk, c.mine, c.amine, c.raw
    body = {"model": "gpt-4o-mini", "messages": MESSAGES}

    contenders: dict[str, Callable[[int], Sample]] = {
        "raw httpx (floor)": lambda n: measure(
            "raw", lambda: raw.post(url + "/chat/completions", json=body).json(), n, warmup=20
        ),
        "openai SDK, direct": lambda n: measure(
            "sdk",
            lambda: sdk.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES),  # type: ignore[arg-type]
            n,
            warmup=20,
        ),
        "openai SDK, direct (async)": _in_loop(
            loop,
            "asdk",
            lambda: asdk.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES),  # type: ignore[arg-type]
        ),
        "endpointr local: client.ai.chat": lambda n: measure(
            "mine", lambda: mine.ai.chat(prompt="Say hello.", provider="openai"), n, warmup=20
        ),
        "endpointr local: client.ai.chat (async)": _in_loop(
            loop, "amine", lambda: amine.ai.chat(prompt="Say hello.", provider="openai")
        ),
    }
    if litellm is not None:
        args = {"model": "openai/gpt-4o-mini", "messages": MESSAGES, "api_base": url}
        contenders["litellm.completion"] = lambda n: measure(
            "litellm", lambda: litellm.completion(**args, api_key="sk-bench"), n, warmup=20
        )
        contenders["litellm.acompletion (async)"] = _in_loop(
            loop, "alitellm", lambda: litellm.acompletion(**args, api_key="sk-bench")
        )
    results = _rounds(contenders, CALLS)
    base = results["openai SDK, direct"].median
    abase = results["openai SDK, direct (async)"].median
    table = Table(
        f"AI chat, one call (median of {CALLS}); ratio: against the openai SDK "
        "(sync against sync, async against async; target ≤ 1.00×)"
    )
    for name, sample in results.items():
        baseline = abase if "(async)" in name else base
        table.add(name, sample.median, None if "openai SDK" in name else baseline,
                  f"p99 {sample.p99 * 1e6:.0f} µs")  # fmt: skip
    if litellm is None:
        table.add("litellm", 0.0, None, "skipped: litellm is not installed")
        return [table]
    vs = Table("AI chat against litellm (sync against sync, async against async; target ≤ 0.30×)")
    for mine_name, lite_name in (
        ("endpointr local: client.ai.chat", "litellm.completion"),
        ("endpointr local: client.ai.chat (async)", "litellm.acompletion (async)"),
    ):
        lite = results[lite_name].median
        vs.add(lite_name, lite)
        vs.add(mine_name, results[mine_name].median, lite)
    return [table, vs]


def stream(c: Clients, litellm: Any) -> list[Table]:
    url, loop, sdk, mine, amine, raw = c.url, c.loop, c.sdk, c.mine, c.amine, c.raw
    body = {"model": "gpt-4o-mini", "messages": MESSAGES, "stream": True}

    def consume_raw() -> None:
        with raw.stream("POST", url + "/chat/completions", json=body) as response:
            for _ in response.iter_lines():
                pass

    def consume_sdk() -> None:
        for _ in sdk.chat.completions.create(
            model="gpt-4o-mini",
            messages=MESSAGES,  # type: ignore[arg-type]
            stream=True,
            stream_options={"include_usage": True},
        ):
            pass

    def consume_mine() -> None:
        with mine.ai.stream(prompt="Say hello.", provider="openai") as events:
            for _ in events:
                pass

    async def consume_amine() -> None:
        async with amine.ai.stream(prompt="Say hello.", provider="openai") as events:
            async for _ in events:
                pass

    def consume_litellm() -> None:
        for _ in litellm.completion(
            model="openai/gpt-4o-mini",
            messages=MESSAGES,
            api_base=url,
            api_key="sk-bench",
            stream=True,
        ):
            pass

    contenders: dict[str, Callable[[int], Sample]] = {
        "raw httpx, iter_lines (floor)": lambda n: measure("raw", consume_raw, n, warmup=3),
        "openai SDK stream": lambda n: measure("sdk", consume_sdk, n, warmup=3),
        "endpointr local: client.ai.stream": lambda n: measure("mine", consume_mine, n, warmup=3),
        "endpointr local: client.ai.stream (async)": _in_loop(loop, "amine", consume_amine),
    }
    results = _rounds(contenders, STREAMS)
    if litellm is not None:
        results["litellm stream"] = measure("litellm", consume_litellm, LITELLM_STREAMS, warmup=1)

    per_chunk = {name: sample.median / CHUNKS for name, sample in results.items()}
    base = per_chunk["openai SDK stream"]
    table = Table(
        f"AI stream, cost per chunk of a {CHUNKS}-chunk stream (median of {STREAMS} streams); "
        "ratio: against the openai SDK's own stream (target ≤ 0.50×)"
    )
    for name, value in per_chunk.items():
        table.add(name, value, None if name == "openai SDK stream" else base)
    if litellm is None:
        table.add("litellm stream", 0.0, None, "skipped: litellm is not installed")
    return [table]


def run() -> list[Table]:
    litellm = _litellm()
    with FakeOpenAI() as upstream:
        clients = Clients(upstream.url)
        try:
            return chat(clients, litellm) + stream(clients, litellm)
        finally:
            clients.close()
