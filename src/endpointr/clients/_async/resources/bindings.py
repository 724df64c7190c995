from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from ....types._base import Deleted
from ....types.bindings import Binding, InboundWebhook
from ..._base import NOT_GIVEN, Timeout, path_segment
from .._resource import AsyncAPIResource


def _binding(
    trigger_event: str, action: str, mapping: Mapping[str, Any] | None, enabled: bool
) -> dict[str, Any]:
    return {"trigger_event": trigger_event, "action": action, "enabled": enabled,
            "mapping": dict(mapping or {})}  # fmt: skip


class AsyncBindings(AsyncAPIResource):
    """Bindings (``/v1/bindings/bindings``): when ``trigger_event`` fires, run ``action``.

    ``mapping`` computes the action's inputs from the event's data: ``"$.object.amount"`` takes
    a value, ``"Payment $.object.id"`` interpolates, anything else is passed as is.
    """

    async def list(self, *, timeout: Timeout = NOT_GIVEN) -> list[Binding]:
        """Your bindings, each with its recent runs."""
        return await self._client._request(
            "GET", "/v1/bindings/bindings", cast=list[Binding], timeout=timeout
        )

    async def retrieve(self, id: str, *, timeout: Timeout = NOT_GIVEN) -> Binding:
        return await self._client._request(
            "GET", f"/v1/bindings/bindings/{path_segment(id)}", cast=Binding, timeout=timeout
        )

    async def create(
        self,
        *,
        trigger_event: str,
        action: str,
        mapping: Mapping[str, Any] | None = None,
        enabled: bool = True,
        timeout: Timeout = NOT_GIVEN,
    ) -> Binding:
        """Bind ``action`` (``<provider>.<resource>.<verb>``) to ``trigger_event``.

        An unknown action is a :class:`BadRequestError` that lists the known ones.
        """
        body = _binding(trigger_event, action, mapping, enabled)
        return await self._client._request(
            "POST", "/v1/bindings/bindings", json=body, cast=Binding, timeout=timeout
        )

    async def update(
        self,
        id: str,
        *,
        trigger_event: str,
        action: str,
        mapping: Mapping[str, Any] | None = None,
        enabled: bool = True,
        timeout: Timeout = NOT_GIVEN,
    ) -> Binding:
        """Replace every field of the binding (as PUT does)."""
        body = _binding(trigger_event, action, mapping, enabled)
        return await self._client._request(
            "PUT", f"/v1/bindings/bindings/{path_segment(id)}", json=body, cast=Binding,
            timeout=timeout,
        )  # fmt: skip

    async def delete(self, id: str, *, timeout: Timeout = NOT_GIVEN) -> Deleted:
        return await self._client._request(
            "DELETE", f"/v1/bindings/bindings/{path_segment(id)}", cast=Deleted, timeout=timeout
        )


class AsyncInboundWebhooks(AsyncAPIResource):
    """Inbound webhook endpoints (``/v1/bindings/inbound-webhooks``): URLs to paste into a
    provider's dashboard. Deliveries are signature-checked, then fire ``<provider>.<type>``."""

    async def list(self, *, timeout: Timeout = NOT_GIVEN) -> list[InboundWebhook]:
        """Your endpoints, each with the requests it received recently."""
        return await self._client._request(
            "GET", "/v1/bindings/inbound-webhooks", cast=list[InboundWebhook], timeout=timeout
        )

    async def create(
        self,
        *,
        provider: str,
        secret: str,
        label: str | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> InboundWebhook:
        """Register an endpoint; ``secret`` is the provider's signing secret (sealed, never
        returned). The result's ``url`` is what the provider must call."""
        body = {"provider": provider, "secret": secret, "label": label}
        return await self._client._request(
            "POST", "/v1/bindings/inbound-webhooks", json=body, cast=InboundWebhook,
            timeout=timeout,
        )  # fmt: skip

    async def delete(self, token: str, *, timeout: Timeout = NOT_GIVEN) -> Deleted:
        """Remove the endpoint with this token; the provider's calls are refused from now on."""
        return await self._client._request(
            "DELETE", f"/v1/bindings/inbound-webhooks/{path_segment(token)}", cast=Deleted,
            timeout=timeout,
        )  # fmt: skip


class AsyncBindingsGroup(AsyncAPIResource):
    """``/v1/bindings``: ``bindings`` and ``inbound_webhooks``."""

    @cached_property
    def bindings(self) -> AsyncBindings:
        return AsyncBindings(self._client)

    @cached_property
    def inbound_webhooks(self) -> AsyncInboundWebhooks:
        return AsyncInboundWebhooks(self._client)
