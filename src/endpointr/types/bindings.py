"""Bindings (an event triggers an action) and inbound webhook endpoints: ``client.bindings``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, field_validator

from ._base import Model, Params
from .jobs import EventJob


class BindingCreate(Params):
    trigger_event: str = Field(
        min_length=1, max_length=200, description="e.g. stripe.payment_intent.succeeded"
    )
    action: str = Field(min_length=1, max_length=200, description="<provider>.<resource>.<verb>")
    enabled: bool = True
    mapping: dict[str, Any] = Field(
        default_factory=dict,
        description="The action's inputs: '$.a.b[0].c' takes a value from the event data, a"
        " string with '$.paths' in it interpolates them, anything else is passed as is.",
    )

    @field_validator("mapping", mode="before")
    @classmethod
    def _empty_list_is_empty_map(cls, value: Any) -> Any:
        return {} if value == [] else value  # the contract's PHP clients send [] for {}


class BindingRun(EventJob):
    """One run of the binding's action; ``last_status`` is the action's HTTP status."""


class Binding(Model):
    id: str
    trigger_event: str
    action: str
    enabled: bool
    mapping: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    runs: list[BindingRun] = Field(
        default_factory=list, description="The most recent runs, newest first."
    )


class InboundWebhookCreate(Params):
    provider: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$",
        description="stripe, quickpay, or any other provider that signs with sha256= HMAC.",
    )
    secret: str = Field(
        min_length=1, description="The provider's signing secret (Stripe's whsec_…)."
    )
    label: str | None = Field(default=None, max_length=200)


class InboundEvent(Model):
    """One request to the endpoint: accepted (and dispatched), a duplicate, or rejected."""

    id: str
    status: Literal["accepted", "duplicate", "rejected"]
    event: str | None = None
    event_id: str | None = None
    reason: str | None = None
    received_at: datetime


class InboundWebhook(Model):
    token: str = Field(description="The endpoint's id: DELETE it by this token.")
    provider: str
    label: str | None = None
    path: str = Field(description="/v1/inbound/{provider}/{token}")
    url: str = Field(
        description="The URL to paste into the provider's dashboard (the path alone when the"
        " gateway's public URL is unknown: set ENDPOINTR_PUBLIC_BASE_URL)."
    )
    created_at: datetime
    events: list[InboundEvent] = Field(default_factory=list, description="Newest first.")


class InboundReceipt(Model):
    """The answer to the provider."""

    received: bool = True
    id: str
    event: str
    duplicate: bool = False
