"""The OpenAI-compatible endpoint's own cost: the official openai SDK sending sequential requests
through ``endpointr serve`` to a fake upstream on 127.0.0.1 (another process), minus the same
requests sent straight to the fake upstream. Both paths are timed in one interleaved loop.

    python -m benchmarks compat          # BENCH_COMPAT_CALLS=500 BENCH_COMPAT_STREAMS=40

- non-streamed, Anthropic-routed: median and p99 added latency (targets ≤ 1.0 ms, ≤ 3 ms);
- a 500-chunk Anthropic stream, translated event by event: added cost per chunk, and the
  same for an OpenAI stream relayed as bytes;
- the stream translator alone, in process, per chunk (target ≤ 15 µs).
"""

from __future__ import annotations

import base64
import gc
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._harness import Sample, Table

KEY = base64.b64encode(b"c" * 32).decode()
CALLS = int(os.environ.get("BENCH_COMPAT_CALLS", "500"))
STREAMS = int(os.environ.get("BENCH_COMPAT_STREAMS", "40"))
MESSAGES = [
    {"role": "system", "content": "You are concise."},
    {"role": "user", "content": "Describe a fox in one paragraph."},
]


def _wait(url: str, proc: subprocess.Popen[Any]) -> None:
    import httpx

    for _ in range(300):
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not come up")


def _start(args: list[str], env: dict[str, str], probe: str) -> subprocess.Popen[Any]:
    proc = subprocess.Popen(
        [sys.executable, *args], env={**os.environ, **env}, stdout=subprocess.DEVNULL
    )
    _wait(probe, proc)
    return proc


def interleaved(
    a: Callable[[], object], b: Callable[[], object], n: int, warmup: int = 20
) -> tuple[Sample, Sample]:
    """Time ``a`` and ``b`` alternately, ``n`` times each, so drift hits both alike."""
    for _ in range(warmup):
        a()
        b()
    gc.collect()
    clock = time.perf_counter
    sa: list[float] = []
    sb: list[float] = []
    for _ in range(n):
        start = clock()
        a()
        mid = clock()
        b()
        sb.append(clock() - mid)
        sa.append(mid - start)
    return Sample("a", sa), Sample("b", sb)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU a process has used (Linux): what it costs, whatever else runs."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def latency(direct: Any, gateway: Any, pids: tuple[int, int], fake_url: str) -> Table:
    def call(client: Any) -> Callable[[], object]:
        return lambda: client.chat.completions.create(
            model="claude-sonnet-4-6", messages=MESSAGES, max_tokens=100
        )

    before = [cpu_seconds(pid) for pid in pids]
    d, g = interleaved(call(direct), call(gateway), CALLS)
    after = [cpu_seconds(pid) for pid in pids]
    table = Table(
        f"openai SDK, non-streamed, Anthropic-routed: {CALLS} sequential calls each way", unit="ms"
    )
    table.add("straight to the fake upstream: median (baseline)", d.median, d.median)
    table.add("through endpointr serve: median", g.median, d.median)
    table.add("added by the gateway: median", g.median - d.median, d.median, "target ≤ 1.0 ms")
    table.add("straight to the fake upstream: p99", d.p99, d.median)
    table.add("through endpointr serve: p99", g.p99, d.median)
    table.add("added by the gateway: p99", g.p99 - d.p99, d.median, "target ≤ 3 ms")
    if None not in before and None not in after:
        fake_cpu = (after[1] - before[1]) / (2 * (CALLS + 20))  # type: ignore[operator]
        server_cpu = (after[0] - before[0]) / (CALLS + 20)  # type: ignore[operator]
        table.add("CPU per request: the fake upstream (a bare uvicorn app)", fake_cpu, d.median)
        table.add(
            "CPU per request: endpointr serve",
            server_cpu,
            d.median,
            "load-independent; /proc user+sys",
        )
        table.add(
            "CPU per request: a bare httpx.AsyncClient POST to the fake",
            _httpx_floor(fake_url),
            d.median,
            "the floor of any httpx-based hop",
        )
    return table


def _httpx_floor(url: str) -> float:
    """CPU one plain ``httpx.AsyncClient`` POST to the fake costs this process: what the
    gateway's own upstream call costs at least, on this machine."""
    import asyncio

    import httpx

    body = b'{"model":"claude-sonnet-4-6","max_tokens":100,"messages":[]}'

    async def run() -> float:
        async with httpx.AsyncClient() as client:
            for _ in range(20):
                await client.post(url + "/v1/messages", content=body)
            start = time.process_time()
            for _ in range(CALLS):
                (await client.post(url + "/v1/messages", content=body)).raise_for_status()
            return (time.process_time() - start) / CALLS

    return asyncio.run(run())


def streams(direct: Any, gateway: Any) -> Table:
    from benchmarks._fake_openai import CHUNKS as STREAM_EVENTS

    def consume(client: Any, model: str) -> Callable[[], object]:
        def run() -> object:
            n = 0
            for _ in client.chat.completions.create(model=model, messages=MESSAGES, stream=True):
                n += 1
            assert n >= STREAM_EVENTS, n
            return n

        return run

    per = float(STREAM_EVENTS)
    d, g = interleaved(
        consume(direct, "claude-sonnet-4-6"), consume(gateway, "claude-sonnet-4-6"), STREAMS, 3
    )
    pd, p = interleaved(consume(direct, "gpt-4o-mini"), consume(gateway, "gpt-4o-mini"), STREAMS, 3)
    table = Table(
        f"a {STREAM_EVENTS}-chunk stream read with the openai SDK, per chunk "
        f"(median of {STREAMS} streams each way)"
    )
    table.add("straight to the fake upstream (baseline)", d.median / per, d.median / per)
    table.add("through endpointr serve, Anthropic translated", g.median / per, d.median / per)
    table.add(
        "added per chunk: Anthropic translated",
        (g.median - d.median) / per,
        d.median / per,
        "end to end: translation + one more hop",
    )
    table.add(
        "added per chunk: OpenAI relayed as bytes",
        (p.median - pd.median) / per,
        d.median / per,
        "the hop alone, for comparison",
    )
    return table


def translator() -> Table:
    from pydantic_core import from_json

    from benchmarks._fake_openai import ANTHROPIC_STREAM as frames
    from benchmarks._fake_openai import CHUNKS as STREAM_EVENTS
    from endpointr.gateway.providers.anthropic_translate import StreamTranslator

    runs = 300

    def parse_only() -> None:
        for frame in frames:
            from_json(frame[frame.index(b"data:") + 5 :])

    def translate() -> None:
        t = StreamTranslator("claude-sonnet-4-6", 1700000000, prefix="anthropic/")
        for frame in frames:
            t.feed_bytes(frame)
        assert t.done

    base, work = interleaved(parse_only, translate, runs, 20)
    per = float(len(frames))
    table = Table(
        f"the stream translator alone, in process: {STREAM_EVENTS}-event stream, "
        f"one network read per event, per event (median of {runs})"
    )
    table.add("parse the event JSON only (baseline)", base.median / per, base.median / per)
    table.add(
        "StreamTranslator.feed_bytes: split, parse, translate, frame",
        work.median / per,
        base.median / per,
        "target ≤ 15 µs",
    )
    return table


def run() -> list[Table]:
    import openai
    from tests.support.server import free_port

    from benchmarks._fake_openai import FakeOpenAI
    from endpointr import Admin

    with tempfile.TemporaryDirectory() as tmp:
        vault = Path(tmp) / "vault.db"
        with Admin(vault, master_key=KEY) as admin:
            api_key = admin.create_customer("bench").api_key
            admin.set_credentials("anthropic", {"api_key": "sk-ant-bench"}, customer="bench")
            admin.set_credentials("openai", {"api_key": "sk-bench"}, customer="bench")
        port = free_port()
        fake = FakeOpenAI()
        fake_url = fake.url.removesuffix("/v1")
        env = {
            "ENDPOINTR_MASTER_KEY": KEY,
            "ENDPOINTR_ANTHROPIC_BASE_URL": fake_url,
            "ENDPOINTR_OPENAI_BASE_URL": fake_url + "/v1",
        }
        serve = ["-m", "endpointr.cli", "serve", "--vault", str(vault), "--port", str(port),
                 "--no-init", "--log-level", "warning"]  # fmt: skip
        server = _start(serve, env, f"http://127.0.0.1:{port}/openapi.json")
        try:
            with (
                openai.OpenAI(api_key="sk-bench", base_url=fake_url + "/v1") as direct,
                openai.OpenAI(api_key=api_key, base_url=f"http://127.0.0.1:{port}/v1") as gateway,
            ):
                tables = [
                    latency(direct, gateway, (server.pid, fake.process.pid), fake_url),
                    streams(direct, gateway),
                ]
        finally:
            server.terminate()
            server.wait(10)
            fake.close()
    return [*tables, translator()]
