"""``/v1/marketing/sync``: refresh the mirror of one ad account, level by level."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ....types.marketing import SyncCounts, SyncRequest, SyncResult
from ...errors import HTTPError
from ...jobs import Job, job
from ...providers.meta_graph import GraphClient, act_id
from ...store.base import MirrorScope
from ._base import MarketingHandler
from ._jobs import customer_of, job_error, job_graph
from ._mirror import AD_SETS, ADS, CAMPAIGNS, CREATIVES, Level, Mirror

if TYPE_CHECKING:
    from ...gateway import Gateway
    from ...store import Store

TREE_SYNC = "marketing.tree_sync"

#: Campaign -> ad set -> ad -> creative, each listed on the account's own edge: one Graph
#: request per page of 100 objects per level, however the objects nest.
TREE: tuple[Level[Any], ...] = (CAMPAIGNS, AD_SETS, ADS, CREATIVES)


async def sync_account(
    store: Store, customer_id: int, graph: GraphClient, account: str
) -> SyncResult:
    """Mirror the account's whole tree; what Meta no longer lists is marked deleted."""
    mirror = Mirror(store, customer_id)
    scope = MirrorScope(account)
    before = graph.requests
    counts = []
    for level in TREE:
        started = time.time()
        count = 0
        async for page in graph.pages(f"{account}/{level.edge}", {"fields": level.fields}):
            count += len(await mirror.save(level, page, scope=scope))
        await mirror.complete(level, scope, started)
        counts.append(count)
    return SyncResult(
        account_id=account,
        mode="inline",
        counts=SyncCounts(
            campaigns=counts[0], ad_sets=counts[1], ads=counts[2], creatives=counts[3]
        ),
        requests=graph.requests - before,
    )


@job(TREE_SYNC, max_attempts=5, lease=120.0)
async def sync_in_background(gateway: Gateway, job: Job) -> None:
    """``POST /v1/marketing/sync`` with ``mode: queue``."""
    graph = await job_graph(gateway, job)
    try:
        await sync_account(gateway.store, customer_of(job), graph, job.payload["account_id"])
    except HTTPError as exc:
        raise job_error(exc) from None


class SyncHandler(MarketingHandler):
    async def create(self, body: SyncRequest) -> SyncResult:
        """Refresh the account's campaigns, ad sets, ads and creatives into the mirror:
        ``mode: inline`` in this request (returns the counts), ``mode: queue`` as a job (202,
        with its ``job_id``; ``client.admin.jobs`` follows it)."""
        account = act_id(body.account_id)
        if body.mode == "inline":
            graph = await self.graph()
            return await sync_account(self.ctx.store, self.customer.id, graph, account)
        await self.graph()  # no credentials: say so now, not in a failed job
        job_id = await self.ctx.gateway.jobs.enqueue(
            TREE_SYNC,
            {"account_id": account},
            customer_id=self.customer.id,
            ref=account,
            label=f"sync {account}",
        )
        self.status = 202
        return SyncResult(account_id=account, mode="queue", queued=True, job_id=job_id)
