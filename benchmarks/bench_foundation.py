"""Foundation: import cost, per-call latency of ``client.vault.get()`` in each mode, and the
throughput of ``endpointr serve`` on ``GET /v1/vault/{name}``.

    python -m benchmarks foundation
"""

from __future__ import annotations

import asyncio
import base64
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._harness import Table, ameasure, measure

KEY = base64.b64encode(b"b" * 32).decode()
CALLS = int(os.environ.get("BENCH_CALLS", "3000"))


def _import_time(statement: str, runs: int = 15) -> float:
    cmd = [sys.executable, "-c", statement]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def imports() -> Table:
    table = Table("import cost (fresh interpreter, median of 15, minus `pass`)", unit="ms")
    empty = _import_time("pass")
    base = _import_time("import httpx, pydantic") - empty
    table.add("import httpx, pydantic (baseline)", base, base)
    table.add("import endpointr", _import_time("import endpointr") - empty, base, "target ≤ 1.5×")
    table.add(
        "import endpointr; Endpointr.local",
        _import_time("import endpointr; endpointr.Endpointr.local") - empty,
        base,
        "attribute access only",
    )
    table.add("import openai (for scale)", _import_time("import openai") - empty, base)
    return table


class Server:
    def __init__(self, vault: Path) -> None:
        from tests.support.server import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "ENDPOINTR_MASTER_KEY": KEY}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "endpointr.cli", "serve", "--vault", str(vault), "--port",
             str(self.port), "--log-level", "warning"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        assert self.proc.stdout is not None
        self.api_key = ""
        for line in self.proc.stdout:
            found = re.search(r"(epk_[A-Za-z0-9_-]+)", line)
            if found and not self.api_key:
                self.api_key = found.group(1)
            if "Routes:" in line:
                break
        import httpx

        for _ in range(100):
            try:
                httpx.get(self.url + "/openapi.json")
                break
            except httpx.TransportError:
                time.sleep(0.1)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def latency(server: Server, vault: Path) -> Table:
    from endpointr import AsyncEndpointr, Endpointr

    table = Table(f"client.vault.get() per call (median of {CALLS})")
    results = {}
    with Endpointr.local(vault, master_key=KEY) as local:
        local.vault.put("bench", {"user": "AKIA", "pass": "x" * 40})
        results["local sync"] = measure("local sync", lambda: local.vault.get("bench"), CALLS)
    with Endpointr(api_key=server.api_key, base_url=server.url) as remote:
        results["remote sync"] = measure("remote", lambda: remote.vault.get("bench"), CALLS)

    async def run_async() -> None:
        async with AsyncEndpointr.local(vault, master_key=KEY) as alocal:
            results["local async"] = await ameasure(
                "local async", lambda: alocal.vault.get("bench"), CALLS
            )
        async with AsyncEndpointr(api_key=server.api_key, base_url=server.url) as aremote:
            results["remote async"] = await ameasure(
                "remote async", lambda: aremote.vault.get("bench"), CALLS
            )

    asyncio.run(run_async())
    base = results["local sync"].median
    table.add("local sync (baseline)", base, base, "target ≤ 250 µs")
    table.add("local async", results["local async"].median, base)
    table.add(
        "remote sync, endpointr serve on 127.0.0.1",
        results["remote sync"].median,
        base,
        "local ≥ 4× faster",
    )
    table.add("remote async", results["remote async"].median, base)
    return table


def throughput(server: Server) -> Table:
    import httpx

    table = Table("endpointr serve, GET /v1/vault/{name}, one worker", unit="req/s")
    token = httpx.post(f"{server.url}/v1/token", json={"api_key": server.api_key}).json()["data"][
        "token"
    ]
    wrk = shutil.which("wrk")
    if wrk is None:
        table.add("wrk not installed (apt-get install wrk): skipped", 0.0)
        return table
    cmd = [
        wrk,
        "-t1",
        "-c32",
        "-d8s",
        "-H",
        f"Authorization: Bearer {token}",
        f"{server.url}/v1/vault/bench",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    openapi = subprocess.run(
        [wrk, "-t1", "-c32", "-d8s", f"{server.url}/openapi.json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    baseline = float(re.search(r"Requests/sec:\s+([\d.]+)", openapi).group(1))  # type: ignore[union-attr]
    table.rows.append(
        (
            "GET /openapi.json (cached bytes, no auth): baseline",
            baseline,
            baseline,
            "wrk -t1 -c32 -d8s",
        )
    )
    note = "target ≥ 1,500; wrk -t1 -c32 -d8s" + (f"; {errors.group(1)} errors" if errors else "")
    table.rows.append(("GET /v1/vault/bench (JWT, SQLite read, unseal)", rate, baseline, note))
    return table


def run() -> list[Table]:
    tables = [imports()]
    with tempfile.TemporaryDirectory() as tmp:
        vault = Path(tmp) / "vault.db"
        server = Server(vault)
        try:
            with __import__("endpointr").Admin(vault, master_key=KEY) as admin:
                customer = admin.list_customers()[0].name
            from endpointr import Endpointr

            with Endpointr.local(vault, customer=customer, master_key=KEY) as c:
                c.vault.put("bench", {"user": "AKIA", "pass": "x" * 40})
            tables.append(latency(server, vault))
            tables.append(throughput(server))
        finally:
            server.close()
    return tables
