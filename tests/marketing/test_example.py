"""examples/meta_marketing.py runs as it is, here against the fake Graph API."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.meta_graph import APP_ID, APP_SECRET, TOKEN, FakeGraph

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "meta_marketing.py"


def test_meta_marketing_example(graph: FakeGraph) -> None:
    graph.seed_tree("act_1001", campaigns=2, adsets=0, ads=0)
    env = {
        **os.environ,
        "ENDPOINTR_META_GRAPH_URL": graph.base.removesuffix("/v24.0/"),
        "META_ACCESS_TOKEN": TOKEN,
        "META_APP_ID": APP_ID,
        "META_APP_SECRET": APP_SECRET,
        "META_AD_ACCOUNT": "act_1001",
    }
    result = subprocess.run(
        [sys.executable, str(EXAMPLE)], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "token: SYSTEM_USER never expires: True" in out
    assert "created:" in out and "PAUSED []" in out
    assert "campaigns: 3 (live)" in out
    assert "again: 3 (local)" in out
    assert "last 7 days: 1000 impressions, 123.45 spent" in out
    assert len(graph.live("campaign")) == 2  # the example's campaign was deleted


def test_the_example_says_what_it_needs() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("META_")}
    result = subprocess.run(
        [sys.executable, str(EXAMPLE)], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 1
    assert "set META_ACCESS_TOKEN, META_APP_ID, META_APP_SECRET, META_AD_ACCOUNT" in result.stderr
