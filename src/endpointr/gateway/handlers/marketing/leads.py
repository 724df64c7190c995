"""``/v1/marketing/leads``: lead forms, leads pulled from Meta, and the local inbox that the
leadgen webhook fills."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timezone
from typing import TYPE_CHECKING, Any

from ....types.marketing import Lead, LeadForm, LeadsQuery, ObjectPage
from ...errors import BadRequest, HTTPError
from ...jobs import Job, job
from ...store.base import LeadRow
from ._base import MarketingHandler, Prepared
from ._jobs import customer_of, job_error, job_graph
from ._mirror import page_json

if TYPE_CHECKING:
    from datetime import date

    from ...gateway import Gateway
    from ...store import Store

LEADGEN_FETCH = "marketing.leadgen_fetch"

LEAD_FIELDS = "id,created_time,form_id,ad_id,adset_id,campaign_id,is_organic,platform,field_data"
FORM_FIELDS = "id,name,status,locale,leads_count,created_time"


def _midnight(day: date) -> float:
    return datetime.combine(day, time(), timezone.utc).timestamp()


async def save_leads(
    store: Store, customer_id: int, items: Iterable[dict[str, Any]], *, page_id: str | None = None
) -> list[Lead]:
    """Parse Graph leads and put them in the customer's inbox."""
    leads = [
        Lead.model_validate({**item, **({"page_id": page_id} if page_id else {})}) for item in items
    ]
    await store.meta_ads_leads.upsert(
        customer_id,
        [
            LeadRow(
                id=lead.id,
                form_id=lead.form_id,
                created_time=lead.created_time.timestamp() if lead.created_time else 0.0,
                data=lead.model_dump_json(exclude_unset=True),
            )
            for lead in leads
        ],
    )
    return leads


@job(LEADGEN_FETCH, max_attempts=8)
async def fetch_lead(gateway: Gateway, job: Job) -> None:
    """The full lead of a leadgen webhook delivery, into the customer's inbox."""
    graph = await job_graph(gateway, job)
    try:
        data = await graph.get(job.payload["leadgen_id"], fields=LEAD_FIELDS)
    except HTTPError as exc:
        raise job_error(exc) from None
    page_id = job.payload.get("page_id")
    await save_leads(gateway.store, customer_of(job), [data], page_id=page_id)
    job.status = 200


class LeadsHandler(MarketingHandler):
    sub_verbs = ("forms", "local")

    async def list(
        self, query: LeadsQuery
    ) -> Prepared[ObjectPage[Lead]] | Prepared[ObjectPage[LeadForm]]:
        """``form_id=<form>[&created_after=YYYY-MM-DD]``: a form's leads from Meta (kept in the
        inbox too); ``action=forms&page_id=<page>``: a Page's lead forms; ``action=local
        [&form_id][&since=YYYY-MM-DD]``: the inbox, without calling Meta."""
        if query.action == "local":
            self.op = "local"
            since = _midnight(query.since) if query.since else None
            rows = await self.ctx.store.meta_ads_leads.list_json(
                self.customer.id, form_id=query.form_id, since=since, limit=query.limit
            )
            return self.prepared(page_json(rows, "local"))
        graph = await self.graph()
        if query.action == "forms":
            if not query.page_id:
                raise BadRequest("action=forms needs page_id=<page id>", code="missing_page_id")
            self.op = "forms"
            items = await graph.collect(
                f"{query.page_id}/leadgen_forms", {"fields": FORM_FIELDS}, limit=query.limit
            )
            forms = [LeadForm.model_validate(i) for i in items]
            return self.prepared(
                page_json((f.model_dump_json(exclude_unset=True) for f in forms), "live")
            )
        if not query.form_id:
            raise BadRequest(
                "pass form_id=<form> (its leads), action=forms&page_id=<page> (its forms) or "
                "action=local (the inbox)",
                code="missing_form_id",
            )
        params: dict[str, Any] = {"fields": LEAD_FIELDS}
        if query.created_after:
            after = int(_midnight(query.created_after))
            params["filtering"] = [
                {"field": "time_created", "operator": "GREATER_THAN", "value": after}
            ]
        items = await graph.collect(f"{query.form_id}/leads", params, limit=query.limit)
        leads = await save_leads(self.ctx.store, self.customer.id, items)
        return self.prepared(
            page_json((lead.model_dump_json(exclude_unset=True) for lead in leads), "live")
        )

    async def retrieve(self, id: str) -> Lead:
        """One lead from Meta; the inbox keeps (or refreshes) its copy."""
        graph = await self.graph()
        (lead,) = await save_leads(
            self.ctx.store, self.customer.id, [await graph.get(id, fields=LEAD_FIELDS)]
        )
        return lead
