"""The vault at rest: no plaintext in the file, ciphertexts bound to their row, master keys."""

from __future__ import annotations

import base64
import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from endpointr import Admin, Endpointr, InternalServerError, VaultKeyError
from endpointr.gateway import masterkey
from endpointr.gateway.masterkey import KeyFileWarning
from tests.conftest import MASTER_KEY

OTHER_KEY = base64.b64encode(b"o" * 32).decode()


def _files(vault: Path) -> bytes:
    return b"".join(p.read_bytes() for p in vault.parent.glob(vault.name + "*"))


def _digest(vault: Path) -> str:
    return hashlib.sha256(_files(vault)).hexdigest()


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return tmp_path / "vault.db"


def test_no_plaintext_secret_reaches_the_file(vault: Path) -> None:
    secrets = {
        "vault": "smtp-pass-3f9a1c77e2",
        "credential": "sk-live-9b1e44d0aa71",
        "nested": "deep-secret-5c2e81f0",
    }
    with Admin(vault, master_key=MASTER_KEY) as admin:
        api_key = admin.create_customer("acme").api_key
        admin.set_credentials("openai", {"api_key": secrets["credential"]}, customer="acme")
    with Endpointr.local(vault, customer="acme", master_key=MASTER_KEY) as client:
        client.vault.put("ses", {"smtp_pass": secrets["vault"], "x": {"y": [secrets["nested"]]}})
        assert client.vault.get("ses")["smtp_pass"] == secrets["vault"]
        token = client.auth.issue().token
        gateway = client._transport.open()[0]
        signing_key = client._transport._runner.run(gateway.auth._signing_key())
    raw = _files(vault)
    for plaintext in [*secrets.values(), api_key, signing_key.hex(), token]:
        assert plaintext.encode() not in raw, plaintext
    assert MASTER_KEY.encode() not in raw and base64.b64decode(MASTER_KEY) not in raw


def test_a_sealed_value_moved_to_another_row_or_customer_fails(vault: Path) -> None:
    for name in ("alice", "bob"):
        with Endpointr.local(vault, customer=name, master_key=MASTER_KEY) as c:
            c.vault.put("db", {"password": f"{name}-pw"})
            c.vault.put("other", {"password": f"{name}-other"})
    with sqlite3.connect(vault) as db:
        alice_id = db.execute("SELECT id FROM customers WHERE name='alice'").fetchone()[0]
        bob_id = db.execute("SELECT id FROM customers WHERE name='bob'").fetchone()[0]
        sealed = db.execute(
            "SELECT sealed FROM secrets WHERE customer_id=? AND name='db'", (alice_id,)
        ).fetchone()[0]
        db.execute(
            "UPDATE secrets SET sealed=? WHERE customer_id=? AND name='db'", (sealed, bob_id)
        )
        db.execute(
            "UPDATE secrets SET sealed=? WHERE customer_id=? AND name='other'", (sealed, alice_id)
        )
    with Endpointr.local(vault, customer="bob", master_key=MASTER_KEY) as bob:
        with pytest.raises(InternalServerError) as info:
            bob.vault.get("db")
        assert "alice-pw" not in str(info.value.body)
        assert bob.vault.get("other") == {"password": "bob-other"}
    with Endpointr.local(vault, customer="alice", master_key=MASTER_KEY) as alice:
        assert alice.vault.get("db") == {"password": "alice-pw"}
        with pytest.raises(InternalServerError):
            alice.vault.get("other")


def test_wrong_master_key_raises_and_changes_nothing(vault: Path) -> None:
    with Endpointr.local(vault, master_key=MASTER_KEY) as c:
        c.vault.put("x", {"a": 1})
    before = _digest(vault)
    with pytest.raises(VaultKeyError, match="does not open this vault"):
        Endpointr.local(vault, master_key=OTHER_KEY)
    with pytest.raises(VaultKeyError, match="base64"):
        Endpointr.local(vault, master_key="not-base64!")
    assert _digest(vault) == before
    with Endpointr.local(vault, master_key=MASTER_KEY) as c:
        assert c.vault.get("x") == {"a": 1}


async def test_async_local_raises_vault_key_error_on_enter(vault: Path) -> None:
    from endpointr import AsyncEndpointr

    with Endpointr.local(vault, master_key=MASTER_KEY):
        pass
    with pytest.raises(VaultKeyError):
        async with AsyncEndpointr.local(vault, master_key=OTHER_KEY):
            pass


def test_key_file_is_private_and_announced(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(masterkey, "_recommended_keyring", lambda: None)
    key_dir = tmp_path / "keys"
    monkeypatch.setenv("ENDPOINTR_KEY_DIR", str(key_dir))
    with pytest.warns(KeyFileWarning, match="ENDPOINTR_MASTER_KEY"):
        client = Endpointr.local(vault)
    with client:
        client.vault.put("x", {"a": 1})
    (key_file,) = key_dir.iterdir()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_dir.stat().st_mode) == 0o700
    assert key_file.parent != vault.parent
    with Endpointr.local(vault) as again:  # found again, no new warning, same secrets
        assert again.vault.get("x") == {"a": 1}
    key_file.unlink()
    with pytest.raises(VaultKeyError, match="no master key found"):
        Endpointr.local(vault)


class _MemoryKeyring:
    """A keyring backend as the OS ones look to endpointr (priority ≥ 1, not plaintext)."""

    priority = 5

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.store.get((service, user))

    def set_password(self, service: str, user: str, value: str) -> None:
        self.store[(service, user)] = value

    def delete_password(self, service: str, user: str) -> None:
        self.store.pop((service, user), None)


def test_recommended_keyring_holds_the_key_and_survives_rotation(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ring = _MemoryKeyring()
    monkeypatch.setattr(masterkey, "_recommended_keyring", lambda: ring)
    monkeypatch.setenv("ENDPOINTR_KEY_DIR", str(tmp_path / "keys"))
    with Endpointr.local(vault) as c:
        c.vault.put("x", {"a": 1})
    assert not (tmp_path / "keys").exists()
    (entry,) = ring.store.values()
    with Admin(vault) as admin:
        assert admin.master_key_source.startswith("keyring")
        admin.rotate_master_key()
    (rotated,) = ring.store.values()
    assert rotated != entry
    with Endpointr.local(vault) as c:
        assert c.vault.get("x") == {"a": 1}
    with pytest.raises(VaultKeyError):
        Endpointr.local(vault, master_key=entry)


def test_insecure_keyring_backends_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    class PlaintextKeyring(_MemoryKeyring):  # what keyrings.alt's file backend is called
        pass

    for backend in (fail.Keyring(), PlaintextKeyring()):
        monkeypatch.setattr(masterkey, "_keyring_checked", False)
        monkeypatch.setattr(keyring, "get_keyring", lambda b=backend: b)
        assert masterkey._recommended_keyring() is None
    monkeypatch.setattr(masterkey, "_keyring_checked", False)
    good = _MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: good)
    assert masterkey._recommended_keyring() is good
    monkeypatch.setattr(masterkey, "_keyring_checked", False)


def test_rotate_key_with_a_configured_key_keeps_every_secret(vault: Path) -> None:
    with Endpointr.local(vault, customer="acme", master_key=MASTER_KEY) as c:
        for i in range(20):
            c.vault.put(f"entry-{i}", {"i": i})
        c.credentials.set("openai", api_key="sk-rotate")
    with Admin(vault, master_key=MASTER_KEY) as admin:
        new = admin.rotate_master_key()
    new_b64 = base64.b64encode(new).decode()
    with pytest.raises(VaultKeyError):
        Endpointr.local(vault, master_key=MASTER_KEY)
    with Endpointr.local(vault, customer="acme", master_key=new_b64) as c:
        assert [c.vault.get(f"entry-{i}")["i"] for i in range(20)] == list(range(20))
        assert c.credentials.retrieve("openai").exists


def test_interrupted_rotation_is_finished_on_next_open(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vault switched keys but the key file was not yet replaced: the staged key opens it."""
    monkeypatch.setattr(masterkey, "_recommended_keyring", lambda: None)
    monkeypatch.setenv("ENDPOINTR_KEY_DIR", str(tmp_path / "keys"))
    with pytest.warns(KeyFileWarning), Endpointr.local(vault) as c:
        c.vault.put("x", {"a": 1})

    def crash(self: Any, new: bytes) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(masterkey.MasterKey, "commit", crash)
    with Admin(vault) as admin, pytest.raises(KeyboardInterrupt):
        admin.rotate_master_key()
    monkeypatch.undo()
    monkeypatch.setattr(masterkey, "_recommended_keyring", lambda: None)
    monkeypatch.setenv("ENDPOINTR_KEY_DIR", str(tmp_path / "keys"))
    with Endpointr.local(vault) as c:
        assert c.vault.get("x") == {"a": 1}
    assert not list((tmp_path / "keys").glob("*.new"))


WRITER = textwrap.dedent(
    """
    import sys
    from endpointr import Endpointr
    vault, who, n, key = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    with Endpointr.local(vault, customer="shared", master_key=key) as c:
        for i in range(n):
            c.vault.put(f"{who}-{i}", {"who": who, "i": i})
            c.credentials.set(f"svc-{who}-{i % 5}", token=str(i))
    """
)


def test_two_processes_writing_one_vault_lose_nothing(vault: Path) -> None:
    with Endpointr.local(vault, customer="shared", master_key=MASTER_KEY):
        pass
    n = 150
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(vault), who, str(n), MASTER_KEY])
        for who in ("p1", "p2")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with Endpointr.local(vault, customer="shared", master_key=MASTER_KEY) as c:
        names = {e.name for e in c.vault.list()}
        assert names == {f"{w}-{i}" for w in ("p1", "p2") for i in range(n)}
        assert c.vault.get("p2-149") == {"who": "p2", "i": 149}
    assert os.path.getsize(vault) > 0


def test_vault_files_are_private(vault: Path) -> None:
    with Endpointr.local(vault, master_key=MASTER_KEY) as c:
        c.vault.put("x", {"a": 1})
        for path in vault.parent.glob(vault.name + "*"):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_deleting_a_customer_leaves_nothing_of_it(vault: Path) -> None:
    with Endpointr.local(vault, customer="gone", master_key=MASTER_KEY) as c:
        c.vault.put("db", {"password": "pw"})
        c.credentials.set("openai", api_key="sk-gone")
        c.webhooks.create(event="VaultHandler.update", url="https://hooks.example.com/x")
        c.vault.put("db", {"password": "pw2"})  # queues a delivery job for the webhook
        c.bindings.bindings.create(
            trigger_event="VaultHandler.delete",
            action="endpointr.vault.put",
            mapping={"id": "copy", "from": "$.input.id"},
        )
        c.auth.revoke(c.auth.issue().token)
    with Endpointr.local(vault, customer="kept", master_key=MASTER_KEY) as k:
        k.vault.put("db", {"password": "kept"})
    with sqlite3.connect(vault) as db:
        gone = db.execute("SELECT id FROM customers WHERE name='gone'").fetchone()[0]
        db.execute(
            "INSERT INTO meta_ad_objects (customer_id, level, id, data, synced_at)"
            " VALUES (?, 'campaign', '1', '{}', 0)",
            (gone,),
        )

    def rows_of(customer_id: int) -> dict[str, int]:
        counts = {}
        with sqlite3.connect(vault) as db:
            for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"):
                cols = {r[1] for r in db.execute(f'PRAGMA table_info("{table}")')}
                if "customer_id" in cols:
                    n = db.execute(
                        f'SELECT count(*) FROM "{table}" WHERE customer_id = ?', (customer_id,)
                    ).fetchone()[0]
                    if n:
                        counts[table] = n
        return counts

    before = rows_of(gone)
    assert {"secrets", "webhooks", "jobs", "bindings", "revoked_tokens", "meta_ad_objects"} <= set(
        before
    ), before
    with Admin(vault, master_key=MASTER_KEY) as admin:
        admin.delete_customer("gone")
    assert rows_of(gone) == {}
    with Endpointr.local(vault, customer="kept", master_key=MASTER_KEY) as k:
        assert k.vault.get("db") == {"password": "kept"}
