"""Events, webhooks and the job queue.

1. What the event fan-out adds to a handler call (``GET /v1/vault/{name}``) when the customer
   has 10 webhooks on the event, against the same call with nothing subscribed to the bus.
   Delivery is queued, not inline: the background work (matching, sealing, storing 10 delivery
   jobs) is measured on its own, per event.
2. ``POST /v1/inbound/stripe/{token}`` with 5 bindings on the event, against a vault write.
3. 10,000 queued webhook deliveries drained by 4 ``endpointr worker`` processes sharing one
   vault, to a receiver on 127.0.0.1 that checks for loss and duplicates; baseline: 1 worker.

    python -m benchmarks events
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from benchmarks._harness import Table, ameasure
from endpointr.gateway.events import Event
from endpointr.gateway.gateway import Gateway
from endpointr.gateway.http import Request
from endpointr.gateway.settings import Settings

MASTER_KEY = base64.b64encode(b"b" * 32).decode()
ROOT = Path(__file__).resolve().parents[1]


def _settings(vault: Path, **extra: object) -> Settings:
    options: dict[str, object] = {"jobs_concurrency": 0, "allow_private_networks": True, **extra}
    return Settings.from_env({}, vault=str(vault), master_key=MASTER_KEY, **options)


async def _webhooks(gw: Gateway, customer: int, n: int, url: str, event: str) -> None:
    for _ in range(n):
        await gw.handle(_req("POST", "/v1/webhooks", customer, {"event": event, "url": url}))


def _req(method: str, path: str, customer: int, body: object = None) -> Request:
    raw = b"" if body is None else json.dumps(body).encode()
    return Request(
        method,
        path,
        headers={"content-type": "application/json"},
        body=raw,
        principal=customer,
        client="in-process",
    )


# -- 1. fan-out ---------------------------------------------------------------------------------


async def _fan_out(root: Path) -> Table:
    gw = await Gateway.open(_settings(root / "fanout.db"))
    try:
        calls = {}
        for name, hooks in (("quiet", 0), ("busy", 10)):
            customer = (await gw.store.customers.create(name, None)).id
            await gw.handle(_req("PUT", "/v1/vault/bench-entry", customer, {"region": "eu"}))
            await _webhooks(gw, customer, hooks, "http://127.0.0.1:9/hook", "VaultHandler.get")
            calls[name] = _req("GET", "/v1/vault/bench-entry", customer)
        subscribers = list(gw.events._subscribers)

        async def ignore(event: Event) -> None:
            pass

        def config(customer: str, bus: list[Any]) -> Callable[[], Awaitable[None]]:
            async def call() -> None:
                gw.events._subscribers[:] = bus
                response = await gw.handle(calls[customer])
                assert response.status == 200, response.body

            return call

        configs = {
            "no event subscribers (baseline)": config("quiet", []),
            "one no-op subscriber (firing the event)": config("quiet", [ignore]),
            "webhook + binding subscribers, 0 webhooks": config("quiet", subscribers),
            "10 webhooks on the event": config("busy", subscribers),
        }
        samples: dict[str, list[float]] = {label: [] for label in configs}
        for _ in range(10):  # interleaved rounds, so drift on a shared machine hits all alike
            for label, call in configs.items():
                samples[label] += (await ameasure(label, call, 300, warmup=20)).seconds
            await gw.jobs.flush()
        # The deferred work of those calls: match, seal, store 10 deliveries per event.
        events = 300
        for _ in range(events):
            await configs["10 webhooks on the event"]()
        start = time.perf_counter()
        await gw.jobs.flush()
        background = (time.perf_counter() - start) / events
    finally:
        await gw.aclose()
    table = Table("Event fan-out per handler call (GET /v1/vault/{name}, in-process)")
    base = statistics.median(samples["no event subscribers (baseline)"])
    for label, seconds in samples.items():
        median = statistics.median(seconds)
        added = "" if label.startswith("no event") else f"{(median - base) * 1e6:+.1f} µs"
        target = " (target ≤ 50 µs)" if label.startswith("10 ") else ""
        table.add(label, median, base, added + target)
    table.add("background: store 10 deliveries of one event", background, base,
              "off the request path, batched")  # fmt: skip
    return table


# -- 2. inbound ---------------------------------------------------------------------------------


async def _inbound(root: Path) -> Table:
    import stripe

    gw = await Gateway.open(_settings(root / "inbound.db"))
    try:
        customer = (await gw.store.customers.create("bench", None)).id
        secret = "whsec_bench"
        created = await gw.handle(
            _req(
                "POST",
                "/v1/bindings/inbound-webhooks",
                customer,
                {"provider": "stripe", "secret": secret},
            )
        )
        path = json.loads(created.body)["data"]["path"]  # type: ignore[arg-type]
        for i in range(5):
            mapping = {"id": f"pay-{i}", "amount": "$.object.amount"}
            binding = {
                "trigger_event": "stripe.payment_intent.succeeded",
                "action": "endpointr.vault.put",
                "mapping": mapping,
            }
            await gw.handle(_req("POST", "/v1/bindings/bindings", customer, binding))

        async def receive() -> None:
            event = {
                "id": "evt_" + uuid.uuid4().hex,
                "type": "payment_intent.succeeded",
                "data": {"object": {"id": "pi_1", "amount": 2000, "currency": "usd"}},
            }
            body = json.dumps(event)
            header = stripe.WebhookSignature.generate_signature_header(body, secret)
            response = await gw.handle(
                Request("POST", path, headers={"stripe-signature": header}, body=body.encode())
            )
            assert response.status == 200, response.body

        put = _req("PUT", "/v1/vault/bench", customer, {"a": 1})

        async def vault_put() -> None:
            await gw.handle(put)

        base = await ameasure("PUT /v1/vault/{name} (baseline: one durable write)", vault_put, 300)
        got = await ameasure("POST /v1/inbound/stripe/{token}, 5 bindings", receive, 300)
    finally:
        await gw.aclose()
    table = Table("Inbound Stripe webhook: time to the 2xx (in-process)", unit="ms")
    table.add(base.label, base.median, base.median)
    table.add(
        got.label, got.median, base.median, f"p99 {got.p99 * 1e3:.2f} ms (target: median ≤ 5 ms)"
    )
    return table


# -- 3. workers ---------------------------------------------------------------------------------


class _Receiver:
    """A minimal HTTP/1.1 receiver (keep-alive) that counts ``webhook-id``s."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.first = self.last = 0.0
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hook"
        ready.set()
        self.loop.run_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                headers = dict(
                    line.split(": ", 1) for line in head.decode("latin-1").split("\r\n")[1:] if line
                )
                lower = {k.lower(): v for k, v in headers.items()}
                await reader.readexactly(int(lower.get("content-length", "0")))
                now = time.perf_counter()
                self.first = self.first or now
                self.last = now
                self.ids.append(lower["webhook-id"])
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    def reset(self) -> None:
        self.ids, self.first, self.last = [], 0.0, 0.0


async def _queue(vault: Path, url: str, count: int) -> None:
    gw = await Gateway.open(_settings(vault))
    try:
        customer = (await gw.store.customers.create(f"bench-{uuid.uuid4().hex[:6]}", None)).id
        await _webhooks(gw, customer, 1, url, "bench.delivery")
        for i in range(count):
            await gw.events.emit(Event("bench.delivery", customer, {"n": i}))
        await gw.jobs.flush()
    finally:
        await gw.aclose()


def _drain(vault: Path, receiver: _Receiver, count: int, workers: int) -> tuple[float, int, int]:
    """(deliveries per second, received, distinct) with ``workers`` worker processes."""
    receiver.reset()
    asyncio.run(_queue(vault, receiver.url, count))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ENDPOINTR_MASTER_KEY": MASTER_KEY,
        "ENDPOINTR_ALLOW_PRIVATE_NETWORKS": "true",
        "ENDPOINTR_JOB_POLL_INTERVAL": "0.2",
    }
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "endpointr.cli",
                "worker",
                "--vault",
                str(vault),
                "--concurrency",
                "8",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    deadline = time.monotonic() + 300
    try:
        while len(receiver.ids) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # a duplicate would arrive now
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
    received, distinct = len(receiver.ids), len(set(receiver.ids))
    elapsed = max(receiver.last - receiver.first, 1e-9)
    return received / elapsed, received, distinct


def _workers(root: Path) -> Table:
    receiver = _Receiver()
    one = _drain(root / "one.db", receiver, 2_500, 1)
    four = _drain(root / "four.db", receiver, 10_000, 4)
    table = Table(
        "Webhook deliveries drained by `endpointr worker` processes (one vault)",
        unit="deliveries/s",
    )
    table.add(
        "1 worker, 2,500 deliveries (baseline)",
        one[0],
        one[0],
        f"received {one[1]}, distinct {one[2]}",
    )
    table.add(
        "4 workers, 10,000 deliveries",
        four[0],
        one[0],
        f"received {four[1]}, distinct {four[2]}: lost {10_000 - four[2]}, "
        f"duplicated {four[1] - four[2]}",
    )
    return table


def run() -> list[Table]:
    with tempfile.TemporaryDirectory(prefix="endpointr-bench-") as tmp:
        root = Path(tmp)
        return [asyncio.run(_fan_out(root)), asyncio.run(_inbound(root)), _workers(root)]
