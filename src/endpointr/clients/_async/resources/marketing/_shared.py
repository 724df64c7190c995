"""What the marketing resources share: request bodies and queries from keyword arguments, and
the verbs every Graph object resource has."""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from .....types._base import Deleted, Model
from .....types.marketing import ObjectPage, Status
from ...._base import NOT_GIVEN, NotGiven, Timeout, path_segment
from ..._resource import AsyncAPIResource

M = TypeVar("M", bound=Model)
FileInput = str | os.PathLike[str] | bytes


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True, by_alias=True)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def body(values: Mapping[str, Any], extra_body: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A JSON body from keyword arguments: the ones not given are left out; ``extra_body``
    adds Graph fields this SDK does not name."""
    out = {k: _plain(v) for k, v in values.items() if not isinstance(v, NotGiven)}
    out.update(extra_body or {})
    return out


def query(**values: Any) -> dict[str, Any]:
    """Query parameters: not-given and ``None`` left out, booleans as ``true``/``false``,
    sequences as CSV."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, NotGiven) or value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        out[key] = _plain(value)
    return out


def b64(file: FileInput) -> str:
    """A file (path or bytes) as the raw base64 the upload routes take."""
    data = file if isinstance(file, bytes) else Path(file).read_bytes()
    return base64.b64encode(data).decode()


class AsyncListing(AsyncAPIResource, Generic[M]):
    """A resource whose list answers a page of typed objects."""

    _path: ClassVar[str]
    _page: type[ObjectPage[M]]

    async def _list(self, params: dict[str, Any], timeout: Timeout) -> ObjectPage[M]:
        return await self._client._request(
            "GET", self._path, params=params, cast=self._page, timeout=timeout
        )


class AsyncByAccount(AsyncListing[M]):
    """Objects that belong to an ad account, and are listed by it."""

    async def list(
        self,
        *,
        account_id: str,
        refresh: bool = False,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ObjectPage[M]:
        """The ad account's objects, from the local mirror (``.source == "local"``) or, with
        ``refresh=True`` or before the account was ever listed, from Meta (``"live"``)."""
        return await self._list(query(account_id=account_id, refresh=refresh, limit=limit), timeout)


class AsyncMirrored(AsyncListing[M]):
    """Objects you can also retrieve one by one, the mirror first."""

    _model: type[M]

    async def retrieve(self, id: str, *, refresh: bool = False, timeout: Timeout = NOT_GIVEN) -> M:
        """The object from the local mirror; from Meta with ``refresh=True`` (or when it was
        never mirrored)."""
        return await self._client._request(
            "GET",
            f"{self._path}/{path_segment(id)}",
            params=query(refresh=refresh or None),
            cast=self._model,
            timeout=timeout,
        )


class AsyncGraphObjects(AsyncMirrored[M]):
    """Graph objects you create and delete through the gateway."""

    async def delete(self, id: str, *, timeout: Timeout = NOT_GIVEN) -> Deleted:
        """Delete it in Meta; the mirror keeps it marked deleted."""
        return await self._client._request(
            "DELETE", f"{self._path}/{path_segment(id)}", cast=Deleted, timeout=timeout
        )

    async def _post(self, json: dict[str, Any], timeout: Timeout) -> M:
        return await self._client._request(
            "POST", self._path, json=json, cast=self._model, timeout=timeout
        )

    async def _put(self, id: str, json: dict[str, Any], timeout: Timeout) -> M:
        return await self._client._request(
            "PUT", f"{self._path}/{path_segment(id)}", json=json, cast=self._model, timeout=timeout
        )


class AsyncStatusVerbs(AsyncGraphObjects[M]):
    """The status sub-verbs of campaigns, ad sets and ads."""

    async def set_status(self, id: str, *, status: Status, timeout: Timeout = NOT_GIVEN) -> M:
        """Set ``status`` to ACTIVE, PAUSED, ARCHIVED or DELETED."""
        return await self._post({"action": "set_status", "id": id, "status": status}, timeout)

    async def activate(self, id: str, *, timeout: Timeout = NOT_GIVEN) -> M:
        """Set the status to ACTIVE."""
        return await self._post({"action": "activate", "id": id}, timeout)

    async def pause(self, id: str, *, timeout: Timeout = NOT_GIVEN) -> M:
        """Set the status to PAUSED."""
        return await self._post({"action": "pause", "id": id}, timeout)

    async def archive(self, id: str, *, timeout: Timeout = NOT_GIVEN) -> M:
        """Set the status to ARCHIVED."""
        return await self._post({"action": "archive", "id": id}, timeout)
