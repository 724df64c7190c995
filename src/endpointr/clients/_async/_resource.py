from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .client import AsyncEndpointr


class AsyncAPIResource:
    """A group of endpoints, bound to the client that sends its requests."""

    def __init__(self, client: AsyncEndpointr) -> None:
        self._client = client
