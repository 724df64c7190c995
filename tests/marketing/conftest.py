"""Marketing tests: a fresh fake Graph API per test, and a client whose customer has meta-ads
credentials for it."""

from __future__ import annotations

import pytest

from endpointr import Endpointr
from tests.support.meta_graph import CREDENTIALS, FakeGraph
from tests.support.upstream import FakeUpstream


@pytest.fixture
def graph(upstream: FakeUpstream) -> FakeGraph:
    fake = FakeGraph(upstream)
    fake.add_account("1001")
    return fake


@pytest.fixture
def meta(client: Endpointr, graph: FakeGraph) -> Endpointr:
    """``client`` with meta-ads credentials stored (both modes)."""
    client.credentials.set("meta-ads", **CREDENTIALS)
    return client
