"""``/v1/marketing/insights``: performance rows from Meta, with snapshots kept for reuse."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from datetime import datetime, timezone
from typing import Any

from pydantic import TypeAdapter

from ....types.marketing import InsightsQuery, InsightsReport, InsightsRow
from ...providers.meta_graph import act_id
from ._base import MarketingHandler

#: A snapshot younger than this answers a ``cached`` query without calling Meta.
SNAPSHOT_TTL = 15 * 60
SAMPLE_ROWS = 3
#: Objects whose insights are fetched at the same time (Meta rate-limits bursts).
CONCURRENCY = 4
_ROWS = TypeAdapter(list[dict[str, Any]])


def _graph_params(query: InsightsQuery) -> dict[str, Any]:
    # Each row names its object, so rows of several ids (or breakdowns) can be told apart.
    fields = dict.fromkeys([*query.fields, f"{query.level}_id"])
    params: dict[str, Any] = {
        "level": query.level,
        "fields": ",".join(fields),
        "date_preset": query.date_preset,
        "time_range": query.time_range,
        "time_increment": query.time_increment,
    }
    if query.breakdowns:
        params["breakdowns"] = ",".join(query.breakdowns)
    if query.action_breakdowns:
        params["action_breakdowns"] = ",".join(query.action_breakdowns)
    return params


class InsightsHandler(MarketingHandler):
    async def list(self, query: InsightsQuery) -> InsightsReport:
        """Metrics for ``ids`` (CSV) at ``level``, over ``date_preset`` or ``time_range``,
        optionally per ``time_increment`` and ``breakdowns``. ``cached`` (default true) reuses a
        snapshot of the same query younger than 15 minutes and stores fresh rows as one."""
        return await self._insights(query)

    async def create(self, body: InsightsQuery) -> InsightsReport:
        """The same as GET, for parameters easier to send as JSON (lists, ``time_range``)."""
        return await self._insights(body)

    async def _insights(self, query: InsightsQuery) -> InsightsReport:
        ids = [act_id(i) if query.level == "account" else i for i in query.ids]
        params = _graph_params(query)
        key = hashlib.sha256(
            json.dumps([ids, params, query.limit], sort_keys=True, default=str).encode()
        ).hexdigest()
        snapshots = self.ctx.store.meta_ads_insights
        stored = await snapshots.get(self.customer.id, key) if query.cached else None
        if stored is not None and time.time() - stored[1] < SNAPSHOT_TTL:
            raw, fetched_at, cached = _ROWS.validate_json(stored[0]), stored[1], True
        else:
            graph = await self.graph()
            gate = asyncio.Semaphore(CONCURRENCY)

            async def rows_of(id: str) -> list[dict[str, Any]]:
                async with gate:
                    return await graph.collect(f"{id}/insights", params, limit=query.limit)

            pages = await asyncio.gather(*(rows_of(i) for i in ids))
            raw = [row for page in pages for row in page]
            fetched_at, cached = time.time(), False
            if query.cached:
                fetched_at = await snapshots.put(
                    self.customer.id, key, query.level, json.dumps(raw)
                )
        date_range: dict[str, Any] = (
            {"date_preset": query.date_preset}
            if query.date_preset
            else dict(query.time_range or {})
        )
        return InsightsReport(
            level=query.level,
            ids=ids,
            date_range=date_range,
            breakdowns=query.breakdowns,
            rows=[InsightsRow.model_validate(r) for r in raw],
            sample_raw=raw[:SAMPLE_ROWS],
            cached=cached,
            fetched_at=datetime.fromtimestamp(fetched_at, timezone.utc),
        )
