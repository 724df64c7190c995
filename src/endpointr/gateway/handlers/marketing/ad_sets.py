"""``/v1/marketing/ad-sets``."""

from __future__ import annotations

from ....types._base import Deleted
from ....types.marketing import (
    AdSet,
    AdSetBody,
    AdSetQuery,
    AdSetUpdate,
    ObjectPage,
    RetrieveQuery,
    StatusChange,
)
from ...actions import action
from ...errors import BadRequest
from ...providers.meta_graph import act_id
from ...store.base import MirrorScope
from ._base import GraphObjectHandler, Prepared, changed_fields, create_fields
from ._mirror import AD_SETS, CAMPAIGNS


class AdSetsHandler(GraphObjectHandler[AdSet]):
    level = AD_SETS

    async def list(self, query: AdSetQuery) -> Prepared[ObjectPage[AdSet]]:
        """Ad sets of an ad account and/or one campaign (``refresh=true``: from Meta)."""
        account = act_id(query.account_id) if query.account_id else None
        if account is None and query.campaign_id is None:
            raise BadRequest("pass account_id, campaign_id, or both", code="missing_scope")
        path = f"{query.campaign_id}/adsets" if query.campaign_id else f"{account}/adsets"
        parent = await self.mirror.get(CAMPAIGNS, query.campaign_id) if query.campaign_id else None
        return await self.mirrored_page(
            AD_SETS,
            path,
            MirrorScope(account, query.campaign_id),
            refresh=query.refresh,
            limit=query.limit,
            synced_under=(account, parent.scope.account_id if parent else None),
        )

    async def retrieve(self, id: str, query: RetrieveQuery) -> AdSet:
        """One ad set: the mirror first, Meta with ``refresh=true`` or when not mirrored."""
        return await self._retrieve(id, query.refresh)

    @action("meta.ad_sets.create")
    @action("meta.ad_sets.activate", fixed={"action": "activate"})
    @action("meta.ad_sets.pause", fixed={"action": "pause"})
    @action("meta.ad_sets.archive", fixed={"action": "archive"})
    async def create(self, body: AdSetBody) -> AdSet:
        """Create an ad set, or ``{action: set_status|activate|pause|archive, id}``."""
        if isinstance(body, StatusChange):
            return await self._set_status(body)
        return await self._create(body.account_id, create_fields(body))

    @action("meta.ad_sets.update")
    async def update(self, id: str, body: AdSetUpdate) -> AdSet:
        """Change the fields sent (and only those)."""
        return await self._update(id, changed_fields(body))

    async def delete(self, id: str) -> Deleted:
        """Delete in Meta; the mirror keeps the row, marked deleted."""
        return await self._delete(id)
