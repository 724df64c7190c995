"""``/v1/marketing/creatives``: creatives are immutable in Meta, so there is no PUT."""

from __future__ import annotations

from ....types._base import Deleted
from ....types.marketing import (
    AccountQuery,
    Creative,
    CreativeBody,
    CreativeValidation,
    ObjectPage,
    RetrieveQuery,
)
from ...errors import HTTPError
from ...providers.meta_graph import act_id
from ._base import GraphObjectHandler, Prepared, create_fields
from ._mirror import CREATIVES


class CreativesHandler(GraphObjectHandler[Creative]):
    level = CREATIVES
    sub_verbs = ("validate",)

    async def list(self, query: AccountQuery) -> Prepared[ObjectPage[Creative]]:
        """Creatives of an ad account (``refresh=true``: from Meta)."""
        return await self.account_page(CREATIVES, query)

    async def retrieve(self, id: str, query: RetrieveQuery) -> Creative:
        """One creative: the mirror first, Meta with ``refresh=true`` or when not mirrored."""
        return await self._retrieve(id, query.refresh)

    async def create(self, body: CreativeBody) -> Creative | CreativeValidation:
        """Create a creative, or with ``action: validate`` have Meta check it without
        creating anything (``{valid, errors}``)."""
        if body.action == "create":
            return await self._create(body.account_id, create_fields(body))
        self.op = "validate"
        graph = await self.graph()
        params = {**create_fields(body), "execution_options": ["validate_only"]}
        try:
            await graph.post(f"{act_id(body.account_id)}/{CREATIVES.edge}", params)
        except HTTPError as exc:
            if exc.status_code != 400:
                raise
            return CreativeValidation(
                valid=False, errors=[{"message": exc.message, **(exc.details or {})}]
            )
        return CreativeValidation(valid=True)

    async def delete(self, id: str) -> Deleted:
        """Delete in Meta; the mirror keeps the row, marked deleted."""
        return await self._delete(id)
