"""Meta Marketing: listing 5,000 mirrored campaigns, and syncing a 200 × 5 × 5 account.

Graph is the fake of the test suite (``tests/support/meta_graph.py``) on 127.0.0.1, so the
"live" figures are a floor for real Meta, which answers in 100s of ms per page.

    python -m benchmarks marketing
"""

from __future__ import annotations

import base64
import math
import os
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks._harness import Table, measure

KEY = base64.b64encode(b"m" * 32).decode()
ACCOUNT = "act_1001"
RUNS = int(os.environ.get("BENCH_RUNS", "30"))


def _client(root: Path, upstream_url: str):  # type: ignore[no-untyped-def]
    from tests.support.meta_graph import CREDENTIALS

    from endpointr import Endpointr
    from endpointr.gateway.settings import Settings

    settings = Settings.from_env(
        {},
        vault=str(root / "vault.db"),
        master_key=KEY,
        key_dir=str(root / "keys"),
        meta_graph_url=f"{upstream_url}/graph",
    )
    client = Endpointr.local(root / "vault.db", settings=settings)
    client.credentials.set("meta-ads", **CREDENTIALS)
    return client


def mirror_list(upstream, root: Path) -> Table:  # type: ignore[no-untyped-def]
    from tests.support.meta_graph import FakeGraph

    graph = FakeGraph(upstream)
    graph.add_account("1001")
    graph.seed_tree(ACCOUNT, campaigns=5000, adsets=0, ads=0)
    table = Table("campaigns.list() of 5,000 campaigns, local mode (median)", unit="ms")
    with _client(root, upstream.url) as client:
        campaigns = client.marketing.campaigns
        first = campaigns.list(account_id=ACCOUNT)
        assert first.source == "live" and len(first.collection) == 5000
        live = measure(
            "live", lambda: campaigns.list(account_id=ACCOUNT, refresh=True), RUNS // 3, 1
        )
        graph.objects.clear()  # a user's process holds no fake Graph: keep its heap out of GC
        local = measure("local", lambda: campaigns.list(account_id=ACCOUNT), RUNS, 3)
        assert campaigns.list(account_id=ACCOUNT).source == "local"
        raw = measure(
            "raw",
            lambda: client._send("GET", "/v1/marketing/campaigns", params={"account_id": ACCOUNT}),
            RUNS,
            3,
        )
    table.add("refresh=True: 50 Graph pages (baseline)", live.median, live.median)
    table.add("refresh=False: the mirror, typed", local.median, live.median, "target ≤ 50 ms")
    table.add(
        "refresh=False: the gateway's answer (unparsed)",
        raw.median,
        live.median,
        "what the route costs before the SDK builds 5,000 models",
    )
    return table


def sync(upstream, root: Path) -> list[Table]:  # type: ignore[no-untyped-def]
    from tests.support.meta_graph import FakeGraph

    upstream.reset()
    graph = FakeGraph(upstream)
    graph.add_account("1001")
    graph.seed_tree(ACCOUNT, campaigns=200, adsets=5, ads=5)
    sizes = {"campaigns": 200, "adsets": 1000, "ads": 5000, "adcreatives": 5000}

    def fetch_only() -> None:  # the same pages with a bare httpx client: Graph's own cost
        from tests.support.meta_graph import APP_SECRET, TOKEN

        from endpointr.gateway.providers.meta_graph import appsecret_proof

        headers = {"authorization": f"Bearer {TOKEN}"}
        proof = appsecret_proof(APP_SECRET, TOKEN)
        with httpx.Client(base_url=graph.base, headers=headers) as http:
            for edge in sizes:
                params = {"limit": "100", "appsecret_proof": proof, "fields": "id,name"}
                while True:
                    page = http.get(f"{ACCOUNT}/{edge}", params=params).json()
                    after = page.get("paging", {}).get("next") and page["paging"]["cursors"]
                    if not after:
                        break
                    params["after"] = after["after"]

    start = time.perf_counter()
    fetch_only()
    fetched = time.perf_counter() - start
    with _client(root, upstream.url) as client:
        before = len(graph.calls)
        start = time.perf_counter()
        result = client.marketing.sync(account_id=ACCOUNT)
        took = time.perf_counter() - start
    timing = Table("sync of 200 campaigns × 5 ad sets × 5 ads (11,200 objects)", unit="s")
    timing.add("the same Graph pages, fetched bare (baseline)", fetched, fetched)
    timing.add("client.marketing.sync(mode='inline')", took, fetched, "target ≤ 5 s")
    counts = Table("sync: Graph requests per level (counted by the fake)", unit="requests")
    made = graph.calls[before:]
    for edge, n in sizes.items():
        pages = math.ceil(n / 100)
        requests = sum(1 for c in made if c.path == f"{ACCOUNT}/{edge}")
        counts.add(f"{edge}: {n} objects, {pages} pages of 100", requests, pages, "target ≤ 1×")
    assert result.requests == len(made)
    return [timing, counts]


def run() -> list[Table]:
    from tests.support.upstream import FakeUpstream

    upstream = FakeUpstream()
    try:
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            return [mirror_list(upstream, Path(a)), *sync(upstream, Path(b))]
    finally:
        upstream.close()
