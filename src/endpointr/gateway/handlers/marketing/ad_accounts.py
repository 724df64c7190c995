"""``/v1/marketing/ad-accounts``: discovered through ``/me/adaccounts``, or through
``/{business_id}/owned_ad_accounts`` when the credentials name a business."""

from __future__ import annotations

from ....types.marketing import AdAccount, ListQuery, ObjectPage, RetrieveQuery
from ...providers.meta_graph import act_id
from ...store.base import MirrorScope
from ._base import MarketingHandler, Prepared
from ._mirror import ACCOUNTS


class AdAccountsHandler(MarketingHandler):
    async def list(self, query: ListQuery) -> Prepared[ObjectPage[AdAccount]]:
        """Every ad account the stored token can see (``refresh=true``: from Meta)."""
        business = (await self.graph()).business_id
        owner = business or "me"
        path = f"{business}/owned_ad_accounts" if business else "me/adaccounts"
        return await self.mirrored_page(
            ACCOUNTS, path, MirrorScope(owner), refresh=query.refresh, limit=query.limit
        )

    async def retrieve(self, id: str, query: RetrieveQuery) -> AdAccount:
        """One ad account, ``act_1234`` or ``1234``: the mirror first."""
        return await self.mirrored(ACCOUNTS, act_id(id), refresh=query.refresh)
