"""``/v1/marketing/catalogs``: the business's product catalogs (needs ``business_id`` in the
meta-ads credentials), with their product sets, products and diagnostics."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_json

from ....types.marketing import Catalog, CatalogQuery, ObjectPage, RetrieveQuery
from ...errors import BadRequest
from ...store.base import MirrorScope
from ._base import MarketingHandler, Prepared
from ._mirror import CATALOGS, page_json


class CatalogsHandler(MarketingHandler):
    sub_verbs = ("product_sets", "products", "diagnostics")

    async def list(self, query: CatalogQuery) -> Prepared[ObjectPage[Any]]:
        """The business's catalogs (``refresh=true``: from Meta), or one catalog's
        ``action=product_sets|products|diagnostics&id=<catalog>`` (always from Meta)."""
        graph = await self.graph()
        if query.action is not None:
            if not query.id:
                raise BadRequest(f"action={query.action} needs id=<catalog id>", code="missing_id")
            self.op = query.action
            items = await graph.collect(f"{query.id}/{query.action}", limit=query.limit)
            return self.prepared(page_json((to_json(i).decode() for i in items), "live"))
        if not graph.business_id:
            raise BadRequest(
                "catalogs belong to a business: add business_id to your meta-ads credentials "
                "(PUT /v1/credentials/meta-ads)",
                code="meta_business_id_missing",
            )
        return await self.mirrored_page(
            CATALOGS,
            f"{graph.business_id}/owned_product_catalogs",
            MirrorScope(graph.business_id),
            refresh=query.refresh,
            limit=query.limit,
        )

    async def retrieve(self, id: str, query: RetrieveQuery) -> Catalog:
        """One catalog: the mirror first."""
        return await self.mirrored(CATALOGS, id, refresh=query.refresh)
