"""``client.vault``: put, get, list, delete, in both modes."""

from __future__ import annotations

import pytest

from endpointr import BadRequestError, Endpointr, NotFoundError


def test_put_get_list_delete(client: Endpointr) -> None:
    stored = client.vault.put("ses-prod", {"smtp_user": "AKIA1", "smtp_port": 587})
    assert stored.name == "ses-prod"
    assert client.vault.get("ses-prod") == {"smtp_user": "AKIA1", "smtp_port": 587}
    assert [e.name for e in client.vault.list()] == ["ses-prod"]
    client.vault.put("ses-prod", {"smtp_user": "AKIA2"})
    assert client.vault.get("ses-prod") == {"smtp_user": "AKIA2"}
    assert client.vault.delete("ses-prod").deleted is True
    assert client.vault.list() == []


def test_unknown_entry_is_404(client: Endpointr) -> None:
    with pytest.raises(NotFoundError) as info:
        client.vault.get("nothing-here")
    assert info.value.status_code == 404
    assert "PUT /v1/vault/nothing-here" in info.value.message
    assert info.value.request_id


@pytest.mark.parametrize("name", ["Upper", "-leading", "x" * 65, "has space", "dot.ted"])
def test_bad_names_are_400(client: Endpointr, name: str) -> None:
    with pytest.raises(BadRequestError, match="not a vault name"):
        client.vault.put(name, {"a": 1})


def test_entries_are_per_customer(client: Endpointr, mode: str, harness) -> None:  # type: ignore[no-untyped-def]
    client.vault.put("shared-name", {"owner": "first"})
    other = harness.local("other-" + mode) if mode == "local" else harness.remote("other-" + mode)
    with other, pytest.raises(NotFoundError):
        other.vault.get("shared-name")
