"""What the ``/v1/marketing`` handlers share.

:class:`MarketingHandler` gives a handler the customer's Graph client and mirror.
:class:`GraphObjectHandler` is the shape most resources have: list (the mirror, or Meta with
``refresh=true``), retrieve (mirror first), create, update (only the fields sent), delete (hard
in Graph, soft in the mirror) and the status sub-verbs, for one :class:`Level` of objects.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from ....types._base import Deleted, Model, Params
from ....types.marketing import STATUS_ACTIONS, AccountQuery, ObjectPage, StatusChange
from ...errors import BadGateway, BadRequest, NotFound
from ...handler import Handler
from ...providers.meta_graph import GraphClient, act_id, graph_for
from ...store.base import MirrorScope
from ._mirror import Level, Mirror, Prepared, id_order, page_json

M = TypeVar("M", bound=Model)

#: Body fields that steer the gateway and never reach Graph.
_LOCAL_FIELDS = {"action", "account_id"}


def create_fields(body: Params) -> dict[str, Any]:
    """A create body as Graph parameters: every field with a value (defaults included)."""
    return body.model_dump(exclude_none=True, exclude=_LOCAL_FIELDS)


def changed_fields(body: Params) -> dict[str, Any]:
    """An update body as Graph parameters: only the fields the caller sent."""
    changes = body.model_dump(exclude_unset=True, exclude=_LOCAL_FIELDS)
    if not changes:
        raise BadRequest("nothing to update: send at least one field", code="empty_update")
    return changes


def created_id(answer: dict[str, Any]) -> str:
    """The ``id`` of what Graph just created (a 502 if Meta left it out)."""
    if not answer.get("id"):
        raise BadGateway("Meta accepted the request but answered no id", code="meta_bad_answer")
    return str(answer["id"])


class MarketingHandler(Handler):
    abstract = True

    _graph: GraphClient | None = None

    async def graph(self) -> GraphClient:
        """The customer's Graph client (meta-ads credentials are read once per request)."""
        if self._graph is None:
            self._graph = await graph_for(self.ctx.gateway, self.customer.id)
        return self._graph

    @property
    def mirror(self) -> Mirror:
        return Mirror(self.ctx.store, self.customer.id)

    def prepared(self, data: bytes) -> Prepared[Any]:
        return Prepared.of(data, self.ctx.request_id)

    async def live_page(
        self,
        level: Level[Any],
        path: str,
        scope: MirrorScope,
        *,
        limit: int | None = None,
        params: dict[str, Any] | None = None,
    ) -> Prepared[Any]:
        """List from Graph, mirror what came back, answer ``source: live``. A listing that was
        not cut short by ``limit`` is complete: the mirror then drops what Meta no longer has."""
        graph = await self.graph()
        items = await graph.collect(path, {"fields": level.fields, **(params or {})}, limit=limit)
        complete = limit is None and params is None
        rows = await self.mirror.save(level, items, scope=scope, complete=complete)
        rows.sort(key=id_order, reverse=True)  # the mirror's order, however Meta listed them
        return self.prepared(page_json((r.data for r in rows), "live"))

    async def mirrored_page(
        self,
        level: Level[Any],
        path: str,
        scope: MirrorScope,
        *,
        refresh: bool,
        limit: int | None = None,
        synced_under: tuple[str | None, ...] = (),
    ) -> Prepared[Any]:
        """The mirror's listing of ``scope`` (``source: local``) once the scope (or one of
        ``synced_under``) was listed completely; Meta when ``refresh`` or never listed."""
        if not refresh and await self.mirror.synced(level, scope.key, *synced_under):
            rows = await self.mirror.listing(level, scope, limit)
            return self.prepared(page_json(rows, "local"))
        return await self.live_page(level, path, scope, limit=limit)

    async def account_page(self, level: Level[Any], query: AccountQuery) -> Prepared[Any]:
        """The ad account's objects of ``level``: the mirror, or Meta (see mirrored_page)."""
        account = act_id(query.account_id)
        return await self.mirrored_page(
            level,
            f"{account}/{level.edge}",
            MirrorScope(account),
            refresh=query.refresh,
            limit=query.limit,
        )

    async def fetch(self, level: Level[M], id: str, fields: str | None = None) -> M:
        """One object from Graph, mirrored."""
        graph = await self.graph()
        data = await graph.get(id, fields=fields or level.fields)
        await self.mirror.save(level, [data])
        return level.model.model_validate(data)

    async def mirrored(self, level: Level[M], id: str, *, refresh: bool) -> M:
        """One object: the mirror's copy, else (or with ``refresh``) Meta's."""
        if not refresh:
            record = await self.mirror.get(level, id)
            if record is not None and record.deleted_at is not None:
                raise NotFound(
                    f"{level.noun} {id} was deleted; refresh=true asks Meta again",
                    code="meta_object_deleted",
                )
            if record is not None:
                return level.model.model_validate_json(record.data)
        return await self.fetch(level, id)


class GraphObjectHandler(MarketingHandler, Generic[M]):
    """A resource of one :class:`Level`: the verbs call these helpers."""

    abstract = True
    level: Level[M]
    sub_verbs: ClassVar[tuple[str, ...]] = STATUS_ACTIONS

    async def _retrieve(self, id: str, refresh: bool) -> M:
        return await self.mirrored(self.level, id, refresh=refresh)

    async def _create(self, account_id: str, params: dict[str, Any]) -> M:
        graph = await self.graph()
        created = await graph.post(f"{act_id(account_id)}/{self.level.edge}", params)
        return await self.fetch(self.level, created_id(created))

    async def _update(self, id: str, params: dict[str, Any]) -> M:
        graph = await self.graph()
        await graph.post(id, params)
        return await self.fetch(self.level, id)

    async def _set_status(self, change: StatusChange) -> M:
        self.op = change.action
        return await self._update(change.id, {"status": change.target})

    async def _delete(self, id: str) -> Deleted:
        graph = await self.graph()
        await graph.delete(id)
        await self.mirror.forget(self.level, id)
        return Deleted(id=id)


__all__ = [
    "GraphObjectHandler",
    "MarketingHandler",
    "ObjectPage",
    "Prepared",
    "changed_fields",
    "create_fields",
    "created_id",
]
