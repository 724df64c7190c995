"""The local mirror of Graph objects: what each kind of object is called and which Graph fields
are read for it, how objects become mirror rows, and list answers built from stored JSON."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema

from ....types._base import Model
from ....types.marketing import (
    Ad,
    AdAccount,
    AdImage,
    AdSet,
    AdVideo,
    Audience,
    Campaign,
    Catalog,
    Creative,
    FacebookPage,
    Pixel,
    Source,
)
from ... import envelope
from ...http import JSON, Response
from ...providers.meta_graph import act_id
from ...store.base import MirrorRecord, MirrorRow, MirrorScope

if TYPE_CHECKING:
    from ...store import Store

M = TypeVar("M", bound=Model)
T = TypeVar("T")


@dataclass(frozen=True)
class Level(Generic[M]):
    """One kind of Graph object in the mirror."""

    name: str  # the mirror's level
    model: type[M]
    fields: str  # the Graph fields read for it
    noun: str  # for messages
    edge: str = ""  # the ad account's edge that lists and creates them (act_…/<edge>)
    key: str = "id"  # the field that addresses it (images: their hash)

    def parse(self, items: Iterable[Mapping[str, Any]]) -> list[M]:
        return [self.model.model_validate(item) for item in items]

    def row(self, obj: M, listed: MirrorScope | None = None) -> MirrorRow:
        """The mirror row of ``obj``: its own parents, completed by the listing's scope."""
        own = _scope_of(obj)
        if listed is not None:
            own = MirrorScope(
                own.account_id or listed.account_id,
                own.campaign_id or listed.campaign_id,
                own.adset_id or listed.adset_id,
            )
        data = obj.model_dump_json(exclude_unset=True)
        return MirrorRow(self.name, str(getattr(obj, self.key)), data, own)


def _scope_of(obj: Any) -> MirrorScope:
    if isinstance(obj, (AdAccount, FacebookPage, Catalog)):
        return MirrorScope()  # top-level: scoped by the listing's owner (me, a business)
    account = getattr(obj, "account_id", None)
    return MirrorScope(
        act_id(account) if account else None,
        getattr(obj, "campaign_id", None),
        getattr(obj, "adset_id", None),
    )


ACCOUNTS = Level(
    "account",
    AdAccount,
    "id,account_id,name,account_status,currency,timezone_name,amount_spent,spend_cap,business",
    "ad account",
)
CAMPAIGNS = Level(
    "campaign",
    Campaign,
    "id,name,account_id,objective,status,configured_status,effective_status,daily_budget,"
    "lifetime_budget,budget_remaining,spend_cap,bid_strategy,buying_type,special_ad_categories,"
    "start_time,stop_time,created_time,updated_time",
    "campaign",
    edge="campaigns",
)
AD_SETS = Level(
    "adset",
    AdSet,
    "id,name,account_id,campaign_id,status,effective_status,billing_event,optimization_goal,"
    "daily_budget,lifetime_budget,bid_amount,bid_strategy,targeting,promoted_object,"
    "destination_type,start_time,end_time,created_time,updated_time",
    "ad set",
    edge="adsets",
)
ADS = Level(
    "ad",
    Ad,
    "id,name,account_id,campaign_id,adset_id,status,effective_status,creative{id},"
    "tracking_specs,created_time,updated_time",
    "ad",
    edge="ads",
)
CREATIVES = Level(
    "creative",
    Creative,
    "id,name,account_id,status,object_story_spec,image_hash,video_id,body,title,thumbnail_url,"
    "call_to_action_type,effective_object_story_id",
    "creative",
    edge="adcreatives",
)
AUDIENCES = Level(
    "audience",
    Audience,
    "id,name,account_id,subtype,description,customer_file_source,retention_days,rule,"
    "lookalike_spec,approximate_count_lower_bound,approximate_count_upper_bound,"
    "operation_status,delivery_status,time_created,time_updated",
    "audience",
    edge="customaudiences",
)
IMAGES: Level[Any] = Level(
    "image",
    AdImage,
    "hash,id,account_id,name,url,permalink_url,width,height,status,created_time",
    "ad image",
    key="hash",
    edge="adimages",
)
VIDEOS = Level(
    "video",
    AdVideo,
    "id,title,description,status,length,picture,created_time,updated_time",
    "ad video",
    edge="advideos",
)
PAGES = Level("page", FacebookPage, "id,name,category,tasks,link", "Page")
PIXELS = Level(
    "pixel", Pixel, "id,name,creation_time,last_fired_time,is_unavailable", "pixel", "adspixels"
)
CATALOGS = Level("catalog", Catalog, "id,name,product_count,vertical", "catalog")


def id_order(row: MirrorRow) -> tuple[int, str]:
    """Graph ids grow over time: sorted by this, reversed, newest first (the mirror's order)."""
    return (len(row.id), row.id)


def page_json(items: Iterable[str], source: Source) -> bytes:
    """``{"collection": [...], "source": ...}`` around already-serialised items."""
    return b'{"collection":[' + ",".join(items).encode() + b'],"source":"' + source.encode() + b'"}'


@dataclass(frozen=True)
class _Schema:
    """Annotation metadata: document (and validate) a value as ``of``."""

    of: Any

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return handler.generate_schema(self.of)


class Prepared(Response, Generic[T]):
    """An enveloped answer whose data was serialised beforehand (mirror rows go out as they
    are stored, never parsed and re-encoded). ``Prepared[X]`` documents the data as ``X`` in
    the OpenAPI document."""

    if not TYPE_CHECKING:

        def __class_getitem__(cls, item: Any) -> Any:
            return Annotated[cls, _Schema(item)]

    @classmethod
    def of(cls, data: bytes, request_id: str) -> Prepared[Any]:
        return cls(200, [("content-type", JSON)], envelope.wrap(data, request_id))


class Mirror:
    """One customer's mirror."""

    def __init__(self, store: Store, customer_id: int) -> None:
        self._repo = store.meta_ads_objects
        self._customer = customer_id

    async def save(
        self,
        level: Level[M],
        items: Iterable[Mapping[str, Any]],
        *,
        scope: MirrorScope | None = None,
        complete: bool = False,
    ) -> list[MirrorRow]:
        """Mirror Graph objects; a ``complete`` listing of ``scope`` also soft-deletes the
        scope's rows that Meta no longer lists and marks the scope synced."""
        started = time.time()
        rows = [level.row(obj, scope) for obj in level.parse(items)]
        await self._repo.upsert(self._customer, rows)
        if complete and scope is not None:
            await self._repo.complete(self._customer, level.name, scope, started)
        return rows

    async def complete(self, level: Level[Any], scope: MirrorScope, started: float) -> int:
        """Everything of ``scope`` was saved since ``started``: drop the rest, mark synced."""
        return await self._repo.complete(self._customer, level.name, scope, started)

    async def synced(self, level: Level[Any], *keys: str | None) -> bool:
        return await self._repo.synced(self._customer, level.name, [k for k in keys if k])

    async def listing(self, level: Level[Any], scope: MirrorScope, limit: int | None) -> list[str]:
        return await self._repo.list_json(self._customer, level.name, scope, limit)

    async def get(self, level: Level[Any], id: str) -> MirrorRecord | None:
        return await self._repo.get(self._customer, level.name, id)

    async def forget(self, level: Level[Any], id: str) -> bool:
        return await self._repo.soft_delete(self._customer, level.name, id)
