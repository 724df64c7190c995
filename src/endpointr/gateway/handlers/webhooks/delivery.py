"""Events to webhook deliveries, and the job that delivers one.

The subscriber only *defers* work (a few microseconds on the request's path): the job queue's
background flush looks up the customer's matching webhooks and stores one delivery job per
webhook, all sharing one sealed copy of the body. A delivery job POSTs the exact body through
the SSRF-safe fetcher with its signatures; a 2xx ends it, a network error, a timeout, a 429 or a
5xx retries it with backoff (a 429's ``Retry-After`` is honoured), any other answer stops it.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import anyio
import httpx
from pydantic_core import to_json

from .... import webhooks
from ... import eventjobs
from ...catalog import patterns
from ...clock import utc
from ...events import Event
from ...extensions import on_event
from ...jobs import Job, NewJob, PermanentJobError, RetryJob, default_backoff, job
from ...net.ssrf import BlockedURLError
from ...net.upstream import USER_AGENT

if TYPE_CHECKING:
    from ...gateway import Gateway

KIND = "webhooks.deliver"
SECRET_KIND = "webhook"
MAX_RETRY_AFTER = 86_400.0


async def _deliveries(gateway: Gateway, event: Event) -> list[NewJob]:
    hooks = await gateway.store.webhooks.matching(event.customer_id, patterns(event.name))
    if not hooks:
        return []
    body = to_json(
        {"id": event.id, "event": event.name, "created_at": utc(event.created_at),
         "data": event.data}
    ).decode()  # fmt: skip
    return eventjobs.for_targets(KIND, event, {"id": event.id, "body": body}, [h.id for h in hooks])


@on_event
async def fan_out(gateway: Gateway, event: Event) -> None:
    """Queue the event's deliveries, off the request's path."""
    gateway.jobs.defer(functools.partial(_deliveries, gateway, event))


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(value)))
    except ValueError:
        return None


@job(KIND)
async def deliver(gateway: Gateway, job: Job) -> None:
    assert job.customer_id is not None
    assert job.ref is not None
    hook = await gateway.store.webhooks.get(job.customer_id, job.ref)
    if hook is None:
        raise PermanentJobError("the webhook was deleted")
    secret = gateway.vault.unseal(job.customer_id, SECRET_KIND, hook.id, hook.secret)
    body = job.payload["body"].encode()
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        **webhooks.signed_headers(body, secret, msg_id=job.payload["id"]),
    }
    timeout = gateway.settings.webhook_timeout
    try:
        with anyio.fail_after(timeout):
            response = await gateway.fetcher.request(
                "POST", hook.url, headers=headers, content=body, follow_redirects=False
            )
    except BlockedURLError as exc:
        raise PermanentJobError(f"the URL is refused: {exc}") from None
    except TimeoutError:
        raise RuntimeError(f"the receiver did not answer within {timeout:g} s") from None
    except (httpx.HTTPError, ValueError) as exc:
        raise RuntimeError(f"the receiver could not be reached: {exc}") from None
    job.status = status = response.status_code
    if 200 <= status < 300:
        return
    if status == 429:
        delay = _retry_after(response)
        raise RetryJob(
            "the receiver answered 429 (too many requests)",
            delay=default_backoff(job.attempts) if delay is None else delay,
        )
    if status >= 500:
        raise RuntimeError(f"the receiver answered {status}")
    raise PermanentJobError(
        f"the receiver answered {status}; only network errors, timeouts, 429 and 5xx are retried"
        + (" (redirects are not followed: register the final URL)" if 300 <= status < 400 else "")
    )
