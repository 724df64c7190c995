"""``/v1/marketing/audiences``: custom and lookalike audiences, and their users."""

from __future__ import annotations

import secrets
from typing import Any

from ....types._base import Deleted
from ....types.marketing import (
    AccountQuery,
    Audience,
    AudienceBody,
    AudienceUsers,
    AudienceUsersResult,
    LookalikeCreate,
    ObjectPage,
    RetrieveQuery,
)
from ...actions import action
from ...errors import BadRequest
from ...providers import meta_hashing
from ._base import GraphObjectHandler, Prepared, create_fields
from ._mirror import AUDIENCES

#: Meta takes at most 10,000 users per request; larger lists go in one session of batches.
BATCH = 10_000


def hash_users(body: AudienceUsers) -> tuple[list[str], list[list[str]], int, int]:
    """``(schema, rows, hashed, prehashed)``: every value normalised and hashed as its key
    demands; a 400 names the first user whose values do not fit the schema."""
    try:
        keys = [meta_hashing.audience_key(name) for name in body.schema_]
    except ValueError as exc:
        raise BadRequest(f"schema: {exc}", code="invalid_schema") from None
    rows: list[list[str]] = []
    counts = [0, 0]
    for n, user in enumerate(body.users):
        values = [user] if isinstance(user, str) else user
        if len(values) != len(keys):
            raise BadRequest(
                f"users[{n}] has {len(values)} value(s) but schema has {len(keys)} key(s)",
                code="invalid_users",
            )
        row = []
        for value, (_, normalise, hash_it) in zip(values, keys, strict=True):
            if not hash_it:
                row.append(normalise(value))
                continue
            digest, already = meta_hashing.hashed(value, normalise)
            counts[already] += 1
            row.append(digest)
        rows.append(row)
    return [key for key, _, _ in keys], rows, counts[0], counts[1]


class AudiencesHandler(GraphObjectHandler[Audience]):
    level = AUDIENCES
    sub_verbs = ("lookalike", "add_users", "remove_users")

    async def list(self, query: AccountQuery) -> Prepared[ObjectPage[Audience]]:
        """Custom and lookalike audiences of an ad account (``refresh=true``: from Meta)."""
        return await self.account_page(AUDIENCES, query)

    async def retrieve(self, id: str, query: RetrieveQuery) -> Audience:
        """One audience (rule, lookalike spec, approximate size): the mirror first."""
        return await self._retrieve(id, query.refresh)

    @action("meta.audiences.add_users", fixed={"action": "add_users"})
    @action("meta.audiences.remove_users", fixed={"action": "remove_users"})
    async def create(self, body: AudienceBody) -> Audience | AudienceUsersResult:
        """Create a custom audience; ``action: lookalike`` a lookalike of one;
        ``action: add_users|remove_users`` hashes and uploads (or removes) users."""
        if isinstance(body, AudienceUsers):
            self.op = body.action
            return await self._users(body)
        params = create_fields(body)
        if isinstance(body, LookalikeCreate):
            self.op = "lookalike"
            params["subtype"] = "LOOKALIKE"
        return await self._create(body.account_id, params)

    async def delete(self, id: str) -> Deleted:
        """Delete in Meta; the mirror keeps the row, marked deleted."""
        return await self._delete(id)

    async def _users(self, body: AudienceUsers) -> AudienceUsersResult:
        schema, rows, hashed, prehashed = hash_users(body)
        graph = await self.graph()
        method = "POST" if body.action == "add_users" else "DELETE"
        session_id = secrets.randbelow(2**53)
        batches = [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]
        result = AudienceUsersResult(
            audience_id=body.id, session_id=str(session_id), hashed=hashed, prehashed=prehashed
        )
        for seq, batch in enumerate(batches, start=1):
            answer: dict[str, Any] = await graph.call(
                method,
                f"{body.id}/users",
                data={
                    "payload": {"schema": schema, "data": batch},
                    "session": {
                        "session_id": session_id,
                        "batch_seq": seq,
                        "last_batch_flag": seq == len(batches),
                        "estimated_num_total": len(rows),
                    },
                },
            )
            result.num_received += int(answer.get("num_received", 0))
            result.num_invalid_entries += int(answer.get("num_invalid_entries", 0))
            result.invalid_entry_samples.update(answer.get("invalid_entry_samples") or {})
        return result
