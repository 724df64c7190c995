"""Outbound webhooks: ``client.webhooks``."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ._base import Model, Params
from .jobs import EventJob


class WebhookCreate(Params):
    event: str = Field(
        description="An event name from GET /v1/webhooks/events, 'Prefix.*', or '*'.",
        min_length=1,
        max_length=200,
    )
    url: str = Field(description="Where deliveries are POSTed (http or https).", min_length=1)


class WebhookDelivery(EventJob):
    """One event delivered (or being delivered) to the webhook."""


class Webhook(Model):
    id: str
    event: str
    url: str
    created_at: datetime
    last_status: int | None = Field(
        default=None, description="The HTTP status of the latest attempt (None: no answer)."
    )
    last_error: str | None = None
    last_attempt_at: datetime | None = None
    attempts: int = Field(default=0, description="Attempts over the recent deliveries.")
    next_retry_at: datetime | None = Field(
        default=None, description="When the next retry of a failed delivery is due."
    )
    deliveries: list[WebhookDelivery] = Field(
        default_factory=list, description="The most recent deliveries, newest first."
    )


class NewWebhook(Webhook):
    """The answer to ``create``: the only time the signing secret is shown."""

    secret: str

    def __repr__(self) -> str:  # a signing secret: keep it out of logs and tracebacks
        return f"NewWebhook(id={self.id!r}, event={self.event!r}, url={self.url!r}, secret='…')"

    __str__ = __repr__
