"""The SDK: :class:`Endpointr` (sync) and :class:`AsyncEndpointr`, same resources, same modes."""

from __future__ import annotations

from ._async.client import AsyncEndpointr
from ._base import NOT_GIVEN, NotGiven
from ._sync.client import Endpointr

__all__ = ["NOT_GIVEN", "AsyncEndpointr", "Endpointr", "NotGiven"]
