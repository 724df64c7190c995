"""``/v1/vault/{name}``: customer-named JSON secrets, sealed at rest and returned on request."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ....types._base import Deleted
from ....types.vault import NAME_RE, VaultEntry, VaultEntrySummary
from ...actions import action
from ...errors import BadRequest, NotFound
from ...events import mask
from ...handler import Handler

KIND = "vault"


def _name(name: str) -> str:
    if not NAME_RE.match(name):
        raise BadRequest(
            f"{name!r} is not a vault name: 1-64 of a-z, 0-9, '-' and '_', "
            "starting with a letter or digit",
            code="invalid_vault_name",
        )
    return name


def _at(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, timezone.utc)


class VaultHandler(Handler):
    path = "/v1/vault"

    async def list(self) -> list[VaultEntrySummary]:
        """Names and update times of your entries (values stay sealed)."""
        names = await self.ctx.vault.names(self.customer.id, KIND)
        return [VaultEntrySummary(name=n, updated_at=_at(t)) for n, t in names]

    async def retrieve(self, id: str) -> VaultEntry:
        """The decrypted JSON object stored at the name."""
        stored = await self.ctx.vault.get(self.customer.id, KIND, _name(id))
        if stored is None:
            raise NotFound(
                f"no vault entry named {id!r}; PUT /v1/vault/{id} creates it",
                code="vault_entry_not_found",
            )
        return VaultEntry(name=id, data=stored[0], updated_at=_at(stored[1]))

    @action("endpointr.vault.put")
    async def update(self, id: str, body: dict[str, Any]) -> VaultEntrySummary:
        """Create or replace the entry at the name; the body is the JSON object to store."""
        updated_at = await self.ctx.vault.put(self.customer.id, KIND, _name(id), body)
        return VaultEntrySummary(name=id, updated_at=_at(updated_at))

    @action("endpointr.vault.delete")
    async def delete(self, id: str) -> Deleted:
        """Remove the entry."""
        if not await self.ctx.vault.delete(self.customer.id, KIND, _name(id)):
            raise NotFound(f"no vault entry named {id!r}", code="vault_entry_not_found")
        return Deleted(id=id)

    def event_data(self, inputs: dict[str, Any], output: Any) -> Any:
        # Every value in a vault entry is the customer's secret: subscribers see names only.
        if isinstance(output, dict) and "data" in output:
            output = output | {"data": mask(output["data"])}
        return {"input": mask(inputs) | {"id": inputs.get("id")}, "output": output}
