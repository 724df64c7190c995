from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ._base import Model

NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
NAME_RE = re.compile(NAME_PATTERN)


class VaultEntrySummary(Model):
    name: str
    updated_at: datetime


class VaultEntry(Model):
    name: str
    data: dict[str, Any]
    updated_at: datetime
