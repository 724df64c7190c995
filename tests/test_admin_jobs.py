"""``client.admin.jobs``: a customer sees, retries and drains only its own jobs; both modes."""

from __future__ import annotations

import pytest

from endpointr import Endpointr, NotFoundError
from tests.conftest import Harness, _name
from tests.support.receiver import Receiver


def test_jobs_are_private_to_their_customer(
    client: Endpointr, receiver: Receiver, harness: Harness, mode: str
) -> None:
    receiver.answers.extend([500])
    client.webhooks.create(event="VaultHandler.update", url=receiver.url)
    client.vault.put("a", {"x": 1})
    client.admin.jobs.run_pending()
    [job] = client.admin.jobs.list()
    assert (job.kind, job.state, job.attempts) == ("webhooks.deliver", "queued", 1)
    assert job.history[0].status == 500
    assert client.admin.jobs.list(state="succeeded") == []
    other = harness.local(_name()) if mode == "local" else harness.remote(_name())
    with other:
        assert other.admin.jobs.list() == []
        with pytest.raises(NotFoundError):
            other.admin.jobs.retrieve(job.id)
        with pytest.raises(NotFoundError):
            other.admin.jobs.retry(job.id)
        assert other.admin.jobs.run_pending().ran == 0
    assert client.admin.jobs.retry(job.id).state == "queued"
    client.admin.jobs.run_pending()
    done = client.admin.jobs.retrieve(job.id)
    assert (done.state, [a.outcome for a in done.history]) == ("succeeded", ["retry", "succeeded"])
    with pytest.raises(NotFoundError, match="cannot be retried"):
        client.admin.jobs.retry(job.id)
