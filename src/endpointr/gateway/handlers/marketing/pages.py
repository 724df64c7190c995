"""``/v1/marketing/pages``: the Facebook Pages the token can act for (``/me/accounts``)."""

from __future__ import annotations

from ....types.marketing import FacebookPage, ObjectPage, PagesQuery, RetrieveQuery
from ...store.base import MirrorScope
from ._base import MarketingHandler, Prepared
from ._mirror import PAGES, page_json


class PagesHandler(MarketingHandler):
    async def list(self, query: PagesQuery) -> Prepared[ObjectPage[FacebookPage]]:
        """Your Pages (``refresh=true``: from Meta). ``include_access_tokens=true`` asks Meta
        and adds each Page's access token; tokens are never mirrored."""
        if not query.include_access_tokens:
            return await self.mirrored_page(
                PAGES, "me/accounts", MirrorScope("me"), refresh=query.refresh, limit=query.limit
            )
        graph = await self.graph()
        fields = f"{PAGES.fields},access_token"
        items = await graph.collect("me/accounts", {"fields": fields}, limit=query.limit)
        untokened = [{k: v for k, v in item.items() if k != "access_token"} for item in items]
        await self.mirror.save(PAGES, untokened, scope=MirrorScope("me"))
        pages = PAGES.parse(items)
        return self.prepared(
            page_json((p.model_dump_json(exclude_unset=True) for p in pages), "live")
        )

    async def retrieve(self, id: str, query: RetrieveQuery) -> FacebookPage:
        """One Page: the mirror first."""
        return await self.mirrored(PAGES, id, refresh=query.refresh)
