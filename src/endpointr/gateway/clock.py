"""Store timestamps (UNIX seconds) as the API shows them (aware UTC datetimes)."""

from __future__ import annotations

from datetime import datetime, timezone


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, timezone.utc)


def utc_or_none(ts: float | None) -> datetime | None:
    return None if ts is None else utc(ts)
