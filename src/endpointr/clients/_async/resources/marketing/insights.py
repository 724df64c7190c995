"""Insights (performance metrics) and leads."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Literal

from .....types.marketing import InsightsLevel, InsightsReport, Lead, LeadForm, ObjectPage
from ...._base import NOT_GIVEN, NotGiven, Timeout, path_segment
from ..._resource import AsyncAPIResource
from ._shared import body, query

TimeIncrement = int | Literal["all_days", "monthly"]


class AsyncInsights(AsyncAPIResource):
    """``client.marketing.insights``."""

    _path = "/v1/marketing/insights"

    async def list(
        self,
        *,
        level: InsightsLevel,
        ids: Sequence[str],
        date_preset: str | NotGiven = NOT_GIVEN,
        time_range: Mapping[str, str] | NotGiven = NOT_GIVEN,
        time_increment: TimeIncrement | NotGiven = NOT_GIVEN,
        fields: Sequence[str] | NotGiven = NOT_GIVEN,
        breakdowns: Sequence[str] | NotGiven = NOT_GIVEN,
        action_breakdowns: Sequence[str] | NotGiven = NOT_GIVEN,
        cached: bool = True,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> InsightsReport:
        """Metrics for ``ids`` at ``level`` (GET). ``date_preset`` (``last_7d`` …) or
        ``time_range={"since": "2026-05-01", "until": "2026-05-21"}``; ``cached`` reuses a
        snapshot of the same query younger than 15 minutes."""
        values = dict(locals())
        params = query(**{k: v for k, v in values.items() if k not in _LOCALS})
        if not isinstance(time_range, NotGiven):
            params["time_range"] = json.dumps(dict(time_range), separators=(",", ":"))
        return await self._client._request(
            "GET", self._path, params=params, cast=InsightsReport, timeout=timeout
        )

    async def create(
        self,
        *,
        level: InsightsLevel,
        ids: Sequence[str],
        date_preset: str | NotGiven = NOT_GIVEN,
        time_range: Mapping[str, str] | NotGiven = NOT_GIVEN,
        time_increment: TimeIncrement | NotGiven = NOT_GIVEN,
        fields: Sequence[str] | NotGiven = NOT_GIVEN,
        breakdowns: Sequence[str] | NotGiven = NOT_GIVEN,
        action_breakdowns: Sequence[str] | NotGiven = NOT_GIVEN,
        cached: bool = True,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> InsightsReport:
        """The same query as :meth:`list`, sent as a JSON body (POST)."""
        values = dict(locals())
        payload = body({k: v for k, v in values.items() if k not in _LOCALS[:3] and v is not None})
        return await self._client._request(
            "POST", self._path, json=payload, cast=InsightsReport, timeout=timeout
        )


#: A method's locals that are not query parameters (the JSON time_range is added apart).
_LOCALS = ("self", "timeout", "values", "time_range")


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
