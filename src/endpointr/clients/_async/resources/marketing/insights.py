"""Insights (performance metrics) and leads."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Literal

from typing_extensions import TypedDict, Unpack

from .....types.marketing import InsightsLevel, InsightsReport, Lead, LeadForm, ObjectPage
from ...._base import NOT_GIVEN, Timeout, path_segment
from ..._resource import AsyncAPIResource
from ._shared import body, query


class InsightsParams(TypedDict, total=False):
    """What an insights query may add to ``level`` and ``ids``."""

    date_preset: str  # today, yesterday, last_7d, last_30d, this_month, maximum, …
    time_range: Mapping[str, str]  # {"since": "YYYY-MM-DD", "until": "YYYY-MM-DD"}
    time_increment: int | Literal["all_days", "monthly"]  # 1: one row a day
    fields: Sequence[str]
    breakdowns: Sequence[str]  # age, gender, country, publisher_platform, …
    action_breakdowns: Sequence[str]
    cached: bool  # default True: reuse a snapshot of the same query younger than 15 min
    limit: int


class AsyncInsights(AsyncAPIResource):
    """``client.marketing.insights``."""

    _path = "/v1/marketing/insights"

    async def list(
        self,
        *,
        level: InsightsLevel,
        ids: Sequence[str],
        timeout: Timeout = NOT_GIVEN,
        **params: Unpack[InsightsParams],
    ) -> InsightsReport:
        """Metrics for ``ids`` at ``level``, as a GET: e.g. ``date_preset="last_7d"`` or
        ``time_range={"since": "2026-05-01", "until": "2026-05-21"}``, ``time_increment=1``,
        ``breakdowns=["age"]``."""
        time_range = params.pop("time_range", None)
        values = query(level=level, ids=ids, **params)
        if time_range is not None:
            values["time_range"] = json.dumps(dict(time_range), separators=(",", ":"))
        return await self._client._request(
            "GET", self._path, params=values, cast=InsightsReport, timeout=timeout
        )

    async def create(
        self,
        *,
        level: InsightsLevel,
        ids: Sequence[str],
        timeout: Timeout = NOT_GIVEN,
        **params: Unpack[InsightsParams],
    ) -> InsightsReport:
        """The same query as :meth:`list`, sent as a JSON body (a POST)."""
        payload = body({"level": level, "ids": list(ids), **params})
        return await self._client._request(
            "POST", self._path, json=payload, cast=InsightsReport, timeout=timeout
        )


class AsyncLeads(AsyncAPIResource):
    """``client.marketing.leads``: lead forms, leads, and the local lead inbox."""

    _path = "/v1/marketing/leads"

    async def list(
        self,
        *,
        form_id: str,
        created_after: date | str | None = None,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ObjectPage[Lead]:
        """The form's leads from Meta (the inbox keeps a copy of each)."""
        params = query(form_id=form_id, created_after=created_after, limit=limit)
        return await self._client._request(
            "GET", self._path, params=params, cast=ObjectPage[Lead], timeout=timeout
        )

    async def forms(
        self, *, page_id: str, limit: int | None = None, timeout: Timeout = NOT_GIVEN
    ) -> ObjectPage[LeadForm]:
        """The Page's lead forms."""
        params = query(action="forms", page_id=page_id, limit=limit)
        return await self._client._request(
            "GET", self._path, params=params, cast=ObjectPage[LeadForm], timeout=timeout
        )

    async def local(
        self,
        *,
        form_id: str | None = None,
        since: date | str | None = None,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ObjectPage[Lead]:
        """The local inbox (leads pulled or delivered by the leadgen webhook), newest first,
        without calling Meta."""
        params = query(action="local", form_id=form_id, since=since, limit=limit)
        return await self._client._request(
            "GET", self._path, params=params, cast=ObjectPage[Lead], timeout=timeout
        )

    async def retrieve(self, id: str, *, timeout: Timeout = NOT_GIVEN) -> Lead:
        """One lead from Meta (the inbox keeps a copy)."""
        return await self._client._request(
            "GET", f"{self._path}/{path_segment(id)}", cast=Lead, timeout=timeout
        )
