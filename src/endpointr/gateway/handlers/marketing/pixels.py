"""``/v1/marketing/pixels``: pixels (datasets), and server-side events for them through the
Conversions API, with customer data normalised and hashed here."""

from __future__ import annotations

import time

from ....types.marketing import (
    AccountQuery,
    ConversionEvents,
    ConversionsResult,
    ObjectPage,
    Pixel,
    RetrieveQuery,
)
from ...actions import action
from ...providers.meta_hashing import hash_user_data
from ._base import MarketingHandler, Prepared
from ._mirror import PIXELS


class PixelsHandler(MarketingHandler):
    async def list(self, query: AccountQuery) -> Prepared[ObjectPage[Pixel]]:
        """Pixels of an ad account (``refresh=true``: from Meta)."""
        return await self.account_page(PIXELS, query)

    async def retrieve(self, id: str, query: RetrieveQuery) -> Pixel:
        """One pixel: the mirror first."""
        return await self.mirrored(PIXELS, id, refresh=query.refresh)

    @action("meta.conversions.send")
    async def create(self, body: ConversionEvents) -> ConversionsResult:
        """Send Conversions API events to the pixel. ``user_data`` PII (em, ph, fn, ln, ge,
        db, ct, st, zp, country, external_id) is normalised and SHA-256 hashed before it
        leaves; values already hashed pass as they are. ``test_event_code`` lands the events in
        Events Manager's Test Events tab."""
        now = int(time.time())
        events = []
        for event in body.events:
            data = event.model_dump(exclude_none=True)
            data["event_time"] = event.event_time or now
            data["user_data"], _, _ = hash_user_data(event.user_data)
            events.append(data)
        graph = await self.graph()
        params: dict[str, object] = {"data": events}
        if body.test_event_code:
            params["test_event_code"] = body.test_event_code
        answer = await graph.post(f"{body.pixel_id}/events", params)
        return ConversionsResult(
            pixel_id=body.pixel_id,
            events_received=int(answer.get("events_received", 0)),
            messages=answer.get("messages") or [],
            fbtrace_id=answer.get("fbtrace_id"),
            test_event_code=body.test_event_code,
        )
