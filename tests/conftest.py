"""The dual-mode harness: every SDK-level test takes ``client`` (or ``aclient``) and runs twice,
against ``Endpointr.local()`` and against a real ``endpointr serve`` subprocess, both over the
same vault file, with upstreams served by :class:`FakeUpstream` on 127.0.0.1."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from endpointr import Admin, AsyncEndpointr, Endpointr
from endpointr.gateway.settings import Settings
from tests.support import fake_cli
from tests.support.receiver import Receiver
from tests.support.server import ServerProcess
from tests.support.upstream import FakeUpstream

MASTER_KEY = base64.b64encode(b"k" * 32).decode()
META_VERIFY_TOKEN = "meta-verify-" + "0" * 20
PLUGINS = "tests.plugins.faults,tests.plugins.jobs"


@dataclass
class Harness:
    """What a test may need beyond its client: the shared vault, its admin, the server."""

    vault: Path
    settings: Settings
    admin: Admin
    server: ServerProcess
    upstream: FakeUpstream

    def local(self, customer: str, **kwargs: object) -> Endpointr:
        return Endpointr.local(self.vault, customer=customer, settings=self.settings, **kwargs)  # type: ignore[arg-type]

    def alocal(self, customer: str, **kwargs: object) -> AsyncEndpointr:
        return AsyncEndpointr.local(self.vault, customer=customer, settings=self.settings, **kwargs)  # type: ignore[arg-type]

    def remote(self, customer: str, **kwargs: object) -> Endpointr:
        api_key = self.admin.create_customer(customer).api_key
        return Endpointr(api_key=api_key, base_url=self.server.url, **kwargs)  # type: ignore[arg-type]

    def aremote(self, customer: str, **kwargs: object) -> AsyncEndpointr:
        api_key = self.admin.create_customer(customer).api_key
        return AsyncEndpointr(api_key=api_key, base_url=self.server.url, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _isolated_keys(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the developer's real key files or vault."""
    monkeypatch.setenv("ENDPOINTR_KEY_DIR", str(tmp_path_factory.getbasetemp() / "keys"))
    monkeypatch.delenv("ENDPOINTR_MASTER_KEY", raising=False)
    monkeypatch.delenv("ENDPOINTR_VAULT", raising=False)
    monkeypatch.delenv("ENDPOINTR_API_KEY", raising=False)
    monkeypatch.delenv("ENDPOINTR_BASE_URL", raising=False)


@pytest.fixture(scope="session")
def upstream_server() -> Iterator[FakeUpstream]:
    server = FakeUpstream()
    yield server
    server.close()


@pytest.fixture
def upstream(upstream_server: FakeUpstream) -> Iterator[FakeUpstream]:
    """The fake upstream, with no routes: the test adds the ones it needs."""
    upstream_server.reset()
    yield upstream_server
    upstream_server.reset()


@pytest.fixture(scope="session")
def harness(
    tmp_path_factory: pytest.TempPathFactory, upstream_server: FakeUpstream
) -> Iterator[Harness]:
    root = tmp_path_factory.mktemp("gateway")
    vault = root / "vault.db"
    env = {
        "ENDPOINTR_MASTER_KEY": MASTER_KEY,
        "ENDPOINTR_ALLOW_PRIVATE_NETWORKS": "true",
        "ENDPOINTR_HANDLER_MODULES": PLUGINS,
        "ENDPOINTR_KEY_DIR": str(root / "keys"),
        "ENDPOINTR_META_WEBHOOK_VERIFY_TOKEN": META_VERIFY_TOKEN,
        **upstream_server.env(),
        **fake_cli.install(root),
    }
    settings = Settings.from_env(env, vault=str(vault))
    admin = Admin(settings=settings)
    server = ServerProcess(vault, env, root / "server.log")
    yield Harness(vault, settings, admin, server, upstream_server)
    server.close()
    admin.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on 127.0.0.1 that records deliveries."""
    r = Receiver()
    yield r
    r.close()


def _name() -> str:
    return "t-" + uuid.uuid4().hex[:12]


@pytest.fixture(params=["local", "remote"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(mode: str, harness: Harness) -> Iterator[Endpointr]:
    """A sync client of a fresh customer, in each mode."""
    c = harness.local(_name()) if mode == "local" else harness.remote(_name())
    yield c
    c.close()


@pytest.fixture
async def aclient(mode: str, harness: Harness) -> AsyncIterator[AsyncEndpointr]:
    """An async client of a fresh customer, in each mode."""
    c = harness.alocal(_name()) if mode == "local" else harness.aremote(_name())
    async with c:
        yield c


def pytest_report_header() -> str:
    return f"endpointr tests: dual-mode (local + endpointr serve), pid {os.getpid()}"
