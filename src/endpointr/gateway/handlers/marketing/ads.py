"""``/v1/marketing/ads``."""

from __future__ import annotations

from typing import Any

from ....types._base import Deleted
from ....types.marketing import (
    STATUS_ACTIONS,
    Ad,
    AdBody,
    AdPreview,
    AdPreviewRequest,
    AdQuery,
    AdUpdate,
    ObjectPage,
    RetrieveQuery,
    StatusChange,
)
from ...actions import action
from ...errors import BadRequest
from ...providers.meta_graph import act_id
from ...store.base import MirrorRecord, MirrorScope
from ._base import GraphObjectHandler, Prepared, changed_fields, create_fields
from ._mirror import AD_SETS, ADS, CAMPAIGNS


def _creative(params: dict[str, Any]) -> dict[str, Any]:
    """Graph takes the creative as ``creative: {creative_id}`` or an inline spec."""
    creative_id = params.pop("creative_id", None)
    if creative_id is not None:
        params["creative"] = {"creative_id": creative_id}
    return params


def _parents(record: MirrorRecord | None) -> tuple[str | None, ...]:
    return (record.scope.account_id, record.scope.campaign_id) if record else ()


class AdsHandler(GraphObjectHandler[Ad]):
    level = ADS
    sub_verbs = (*STATUS_ACTIONS, "preview")

    async def list(self, query: AdQuery) -> Prepared[ObjectPage[Ad]] | AdPreview:
        """Ads of an ad account, campaign or ad set (``refresh=true``: from Meta), or
        ``action=preview&id=<ad>&ad_format=…``: the ad's HTML preview."""
        if query.action == "preview":
            if not query.id:
                raise BadRequest("action=preview needs id=<ad id>", code="missing_id")
            return await self._preview(query.id, query.ad_format)
        account = act_id(query.account_id) if query.account_id else None
        parent_id = query.adset_id or query.campaign_id
        if parent_id is None and account is None:
            raise BadRequest(
                "pass account_id, campaign_id or adset_id (or several)", code="missing_scope"
            )
        path = f"{parent_id or account}/ads"
        parent = None
        if query.adset_id:
            parent = await self.mirror.get(AD_SETS, query.adset_id)
        elif query.campaign_id:
            parent = await self.mirror.get(CAMPAIGNS, query.campaign_id)
        return await self.mirrored_page(
            ADS,
            path,
            MirrorScope(account, query.campaign_id, query.adset_id),
            refresh=query.refresh,
            limit=query.limit,
            synced_under=(account, query.campaign_id, *_parents(parent)),
        )

    async def retrieve(self, id: str, query: RetrieveQuery) -> Ad:
        """One ad: the mirror first, Meta with ``refresh=true`` or when not mirrored."""
        return await self._retrieve(id, query.refresh)

    @action("meta.ads.create")
    @action("meta.ads.activate", fixed={"action": "activate"})
    @action("meta.ads.pause", fixed={"action": "pause"})
    @action("meta.ads.archive", fixed={"action": "archive"})
    async def create(self, body: AdBody) -> Ad | AdPreview:
        """Create an ad (``creative_id`` or an inline ``creative`` spec), or
        ``{action: set_status|activate|pause|archive|preview, id}``."""
        if isinstance(body, StatusChange):
            return await self._set_status(body)
        if isinstance(body, AdPreviewRequest):
            self.op = "preview"
            return await self._preview(body.id, body.ad_format)
        params = _creative(create_fields(body))
        return await self._create(body.account_id, params)

    @action("meta.ads.update")
    async def update(self, id: str, body: AdUpdate) -> Ad:
        """Change the fields sent (and only those)."""
        return await self._update(id, _creative(changed_fields(body)))

    async def delete(self, id: str) -> Deleted:
        """Delete in Meta; the mirror keeps the row, marked deleted."""
        return await self._delete(id)

    async def _preview(self, id: str, ad_format: str) -> AdPreview:
        graph = await self.graph()
        previews = await graph.get(f"{id}/previews", ad_format=ad_format)
        bodies = [p.get("body") for p in previews.get("data") or [] if p.get("body")]
        if not bodies:
            raise BadRequest(f"Meta has no {ad_format} preview for ad {id}", code="meta_no_preview")
        return AdPreview(ad_id=id, ad_format=ad_format, body=bodies[0])
