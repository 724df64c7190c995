"""The ``endpointr`` command, run as a user runs it (a subprocess), over a temp vault."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from endpointr import Admin, AuthenticationError, Endpointr
from tests.conftest import MASTER_KEY


def run(
    vault: Path, *args: str, stdin: str = "", key: str = MASTER_KEY
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ENDPOINTR_MASTER_KEY": key}
    return subprocess.run(
        [sys.executable, "-m", "endpointr.cli", *args, "--vault", str(vault)],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return tmp_path / "vault.db"


def test_customers_lifecycle(vault: Path, tmp_path: Path) -> None:
    created = run(vault, "customers", "create", "acme")
    assert created.returncode == 0, created.stderr
    api_key = created.stdout.strip().splitlines()[-1]
    assert api_key.startswith("epk_") and len(api_key) > 40

    listed = run(vault, "customers", "list", "--json")
    assert [c["name"] for c in json.loads(listed.stdout)] == ["acme"]

    rotated = run(vault, "customers", "rotate-key", "acme")
    new_key = rotated.stdout.strip().splitlines()[-1]
    assert new_key != api_key
    with Admin(vault, master_key=MASTER_KEY) as admin:
        customers = admin.list_customers()
    assert customers[0].has_api_key

    duplicate = run(vault, "customers", "create", "acme")
    assert duplicate.returncode == 1
    assert "already exists" in duplicate.stderr

    assert run(vault, "customers", "delete", "acme").returncode == 0
    missing = run(vault, "customers", "delete", "acme")
    assert missing.returncode == 1
    assert "no customer named 'acme'" in missing.stderr


def test_credentials_from_stdin_and_priority(vault: Path) -> None:
    run(vault, "customers", "create", "default")
    secret = "sk-from-stdin-7788"
    stored = run(vault, "credentials", "set", "openai", stdin=json.dumps({"api_key": secret}))
    assert stored.returncode == 0, stored.stderr
    assert secret not in stored.stdout + stored.stderr
    run(vault, "credentials", "set", "anthropic", stdin='{"api_key": "sk-ant"}')
    assert run(vault, "priority", "get").stdout.split() == ["openai", "anthropic"]
    assert run(vault, "priority", "set", "anthropic", "openai").returncode == 0
    assert run(vault, "priority", "get").stdout.split() == ["anthropic", "openai"]
    bad = run(vault, "priority", "set", "gpt")
    assert bad.returncode == 1
    assert "unknown provider" in bad.stderr
    invalid = run(vault, "credentials", "set", "openai", stdin='{"api_key": ""}')
    assert invalid.returncode == 1
    assert "invalid openai credentials" in invalid.stderr
    with Endpointr.local(vault, master_key=MASTER_KEY) as client:
        assert client.credentials.retrieve("openai").fields == ["api_key"]
    assert run(vault, "credentials", "delete", "openai").returncode == 0
    assert run(vault, "priority", "get").stdout.split() == ["anthropic"]


def test_credentials_for_another_customer(vault: Path) -> None:
    run(vault, "customers", "create", "acme")
    result = run(
        vault, "credentials", "set", "stripe", "--customer", "acme", stdin='{"api_key": "sk_1"}'
    )
    assert result.returncode == 0, result.stderr
    assert "for 'acme'" in result.stdout


def test_routes_json(vault: Path) -> None:
    result = run(vault, "routes", "--json")
    routes = {(r["method"], r["path"]): r["handler"] for r in json.loads(result.stdout)}
    assert routes[("GET", "/v1/vault/{id}")] == "VaultHandler"
    assert routes[("PATCH", "/v1/token")] == "TokenHandler"
    plain = run(vault, "routes").stdout
    assert "DELETE  /v1/credentials/{id}" in plain


def test_vault_rotate_key_keeps_secrets(vault: Path) -> None:
    api_key = run(vault, "customers", "create", "acme").stdout.strip().splitlines()[-1]
    with Endpointr.local(vault, customer="acme", master_key=MASTER_KEY) as c:
        c.vault.put("kept", {"v": 1})
    info = run(vault, "vault", "info")
    assert "configured" in info.stdout
    rotated = run(vault, "vault", "rotate-key")
    assert rotated.returncode == 0, rotated.stderr
    new_key = rotated.stdout.strip().splitlines()[-1]
    old = run(vault, "customers", "list")
    assert old.returncode == 1
    assert "does not open this vault" in old.stderr
    with Endpointr.local(vault, customer="acme", master_key=new_key) as c:
        assert c.vault.get("kept") == {"v": 1}
        # api keys are hashes, untouched by the rotation: the old one still signs in
        assert c.auth.introspect(c.auth.issue(api_key=api_key).token).valid
        with pytest.raises(AuthenticationError):
            c.auth.issue(api_key=api_key + "x")


def test_secrets_are_never_taken_from_argv(vault: Path) -> None:
    result = run(vault, "credentials", "set", "openai", "--api-key", "sk-1")
    assert result.returncode == 2
    assert "unrecognized arguments" in result.stderr
