"""``/v1/marketing/campaigns``."""

from __future__ import annotations

from ....types._base import Deleted
from ....types.marketing import (
    AccountQuery,
    Campaign,
    CampaignBody,
    CampaignUpdate,
    ObjectPage,
    RetrieveQuery,
    StatusChange,
)
from ...actions import action
from ._base import GraphObjectHandler, Prepared, changed_fields, create_fields
from ._mirror import CAMPAIGNS


class CampaignsHandler(GraphObjectHandler[Campaign]):
    level = CAMPAIGNS

    async def list(self, query: AccountQuery) -> Prepared[ObjectPage[Campaign]]:
        """Campaigns of an ad account, from the local mirror (``refresh=true``: from Meta)."""
        return await self.account_page(CAMPAIGNS, query)

    async def retrieve(self, id: str, query: RetrieveQuery) -> Campaign:
        """One campaign: the mirror first, Meta with ``refresh=true`` or when not mirrored."""
        return await self._retrieve(id, query.refresh)

    @action("meta.campaigns.create")
    @action("meta.campaigns.activate", fixed={"action": "activate"})
    @action("meta.campaigns.pause", fixed={"action": "pause"})
    @action("meta.campaigns.archive", fixed={"action": "archive"})
    async def create(self, body: CampaignBody) -> Campaign:
        """Create a campaign (PAUSED and ``special_ad_categories: []`` unless given), or
        ``{action: set_status|activate|pause|archive, id}``."""
        if isinstance(body, StatusChange):
            return await self._set_status(body)
        return await self._create(body.account_id, create_fields(body))

    @action("meta.campaigns.update")
    async def update(self, id: str, body: CampaignUpdate) -> Campaign:
        """Change the fields sent (and only those)."""
        return await self._update(id, changed_fields(body))

    async def delete(self, id: str) -> Deleted:
        """Delete in Meta; the mirror keeps the row, marked deleted."""
        return await self._delete(id)
