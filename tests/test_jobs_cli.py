"""``endpointr jobs`` and the Admin API over a vault file."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from endpointr import Admin
from endpointr.cli import main
from endpointr.gateway.gateway import Gateway
from endpointr.gateway.settings import Settings
from tests.conftest import MASTER_KEY, PLUGINS


async def _enqueue(vault: Path, log: Path) -> str:
    settings = Settings.from_env(
        {}, vault=str(vault), master_key=MASTER_KEY, handler_modules=PLUGINS, jobs_concurrency=0
    )
    gw = await Gateway.open(settings)
    try:
        customer = (await gw.store.customers.create("acme", None)).id
        return await gw.jobs.enqueue(
            "testing.record", {"path": str(log), "fail_until": 1}, customer_id=customer
        )
    finally:
        await gw.aclose()


def test_jobs_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault, log = tmp_path / "vault.db", tmp_path / "log"
    monkeypatch.setenv("ENDPOINTR_MASTER_KEY", MASTER_KEY)
    monkeypatch.setenv("ENDPOINTR_HANDLER_MODULES", PLUGINS)
    job_id = asyncio.run(_enqueue(vault, log))
    assert main(["jobs", "run-pending", "--vault", str(vault), "--customer", "acme"]) == 0
    assert (
        "ran 1: 0 succeeded, 1 will retry, 0 failed; 0 still due; next at"
        in capsys.readouterr().out
    )
    assert main(["jobs", "list", "--vault", str(vault)]) == 0
    listed = capsys.readouterr().out
    assert job_id in listed
    assert "queued" in listed
    assert "failing attempt 1 as asked" in listed
    assert main(["jobs", "retry", job_id, "--vault", str(vault)]) == 0
    assert main(["jobs", "run-pending", "--vault", str(vault)]) == 0
    assert "ran 1: 1 succeeded" in capsys.readouterr().out.splitlines()[-1]
    with Admin(vault) as admin:
        [job] = admin.list_jobs(customer="acme")
    assert (job.state, [a.outcome for a in job.history]) == ("succeeded", ["retry", "succeeded"])
    assert main(["jobs", "retry", "job_nope", "--vault", str(vault)]) == 1
