"""The marketing work that runs on the job queue, in both modes: a queued sync, a resumable
upload of a video of 50 MB or more (with progress), the leadgen path from an inbound delivery to
the lead in the inbox and the outbound webhook, and a binding that pauses a campaign."""

from __future__ import annotations

import hashlib
import json
import secrets

import pytest

import endpointr
from endpointr import Endpointr
from endpointr.gateway.handlers.marketing import video_uploads
from endpointr.gateway.jobs import Job, RetryJob
from endpointr.types.marketing import VideoUpload
from tests.marketing.test_webhooks import CALLBACK, _delivery, _page_id, _send, _signed
from tests.support.meta_graph import CREDENTIALS, FakeGraph
from tests.support.receiver import Receiver
from tests.support.upstream import FakeUpstream

MIB = 1024 * 1024


def test_a_queued_sync(meta: Endpointr, graph: FakeGraph) -> None:
    graph.seed_tree("act_1001", campaigns=2, adsets=2, ads=1)
    queued = meta.marketing.sync(account_id="1001", mode="queue")
    assert (queued.queued, queued.mode, queued.account_id) == (True, "queue", "act_1001")
    assert queued.job_id
    run = meta.admin.jobs.run_pending()
    assert run.remaining == 0
    job = meta.admin.jobs.retrieve(queued.job_id)
    assert (job.kind, job.state) == ("marketing.tree_sync", "succeeded")
    calls = len(graph.calls)
    ads = meta.marketing.ads.list(account_id="act_1001")
    assert (ads.source, len(ads.collection)) == ("local", 4)
    assert len(graph.calls) == calls


def test_a_large_video_uploads_in_chunks_as_a_job(
    meta: Endpointr, graph: FakeGraph, upstream: FakeUpstream
) -> None:
    video = secrets.token_bytes(50 * MIB + 12345)  # just over the 50 MB line
    upstream.router.get(f"{upstream.url}/cdn/big.mp4").respond(200, content=video)
    seen: list[VideoUpload] = []
    upload = meta.marketing.ad_videos.create(
        account_id="act_1001",
        video_url=f"{upstream.url}/cdn/big.mp4",
        title="Long cut",
        wait=True,
        on_progress=seen.append,
        poll_interval=0.05,
    )
    assert seen[0].mode == "async"
    assert seen[0].upload_state == "pending"
    assert seen[0].bytes == len(video)
    assert seen[0].job_id
    assert upload.upload_state == "ready"
    assert upload.upload_progress == 100
    progress = [s.upload_progress for s in seen]
    assert progress == sorted(progress)  # it only goes up

    phases = [c.data.get("upload_phase") for c in graph.calls if c.path == "act_1001/advideos"]
    assert phases == ["start", *["transfer"] * 6, "finish"]  # 10 MB chunks, as Meta asked
    (session,) = graph.uploads.values()
    assert session["received"] == len(video)
    assert session["sha256"].hexdigest() == hashlib.sha256(video).hexdigest()
    assert graph.objects[upload.video_id or ""]["title"] == "Long cut"
    job = meta.admin.jobs.retrieve(seen[0].job_id or "")
    assert (job.kind, job.state) == ("marketing.video_upload", "succeeded")


def _lead(graph: FakeGraph, lead_id: str) -> None:
    graph.add(
        "lead", id=lead_id, form_id="555555555555555", _time=1779235200,
        created_time="2026-05-20T00:00:00+0000",
        field_data=[{"name": "email", "values": ["new.lead@example.com"]}],
    )  # fmt: skip


def test_leadgen_delivery_to_inbox_and_outbound_webhook(
    meta: Endpointr, graph: FakeGraph, receiver: Receiver
) -> None:
    hook = meta.webhooks.create(event="MetaAds.page.leadgen", url=receiver.url + "/leads")
    page = graph.add("page", id=_page_id())["id"]
    meta.marketing.webhook_subscriptions.create(
        object="page", object_id=page, fields=["leadgen"], callback_url=CALLBACK
    )
    lead_id = str(400_000_000_000_000 + secrets.randbelow(10**14))
    _lead(graph, lead_id)
    body = _delivery(page, lead_id)
    signed = {"x-hub-signature-256": _signed(body), "content-type": "application/json"}
    assert _send(meta, "POST", content=body, headers=signed).status_code == 200
    assert _send(meta, "POST", content=body, headers=signed).status_code == 200  # Meta retries

    meta.admin.jobs.run_pending()
    inbox = meta.marketing.leads.local()
    assert [lead.id for lead in inbox.collection] == [lead_id]
    assert inbox.collection[0].answers == {"email": "new.lead@example.com"}
    assert inbox.collection[0].page_id == page
    assert graph.count("GET", lead_id) == 1  # one fetch, though Meta delivered twice
    fetches = [j for j in meta.admin.jobs.list() if j.kind == "marketing.leadgen_fetch"]
    assert [(j.ref, j.state) for j in fetches] == [(lead_id, "succeeded")]

    deliveries = receiver.wait_for(2)
    event = endpointr.webhooks.verify(deliveries[0].body, deliveries[0].headers, hook.secret)
    assert event["event"] == "MetaAds.page.leadgen"
    assert event["data"]["id"] == page
    assert event["data"]["value"]["leadgen_id"] == lead_id


def test_a_binding_pauses_a_campaign_when_meta_says_so(meta: Endpointr, graph: FakeGraph) -> None:
    campaign = meta.marketing.campaigns.create(
        account_id="act_1001", name="Watched", objective="OUTCOME_SALES", status="ACTIVE"
    )
    meta.bindings.bindings.create(
        trigger_event="MetaAds.ad_account.in_process_ad_objects",
        action="meta.campaigns.pause",
        mapping={"id": "$.value.id"},
    )
    account = str(2_000_000 + secrets.randbelow(10**9))  # an account no other test subscribed
    graph.add_account(account)
    meta.marketing.webhook_subscriptions.create(
        object="ad_account", object_id=f"act_{account}", fields=["in_process_ad_objects"],
        callback_url=CALLBACK,
    )  # fmt: skip
    body = json.dumps(
        {"object": "ad_account", "entry": [{"id": account, "time": 1779235200, "changes": [
            {"field": "in_process_ad_objects",
             "value": {"id": campaign.id, "level": "CAMPAIGN", "status_name": "ACTIVE"}}]}]}
    ).encode()  # fmt: skip
    _send(meta, "POST", content=body, headers={"x-hub-signature-256": _signed(body)})
    meta.admin.jobs.run_pending()
    assert graph.objects[campaign.id]["status"] == "PAUSED"
    assert meta.marketing.campaigns.retrieve(campaign.id).status == "PAUSED"


@pytest.fixture
async def local_gateway(graph: FakeGraph, harness):  # type: ignore[no-untyped-def]
    async with harness.alocal("jobs-" + secrets.token_hex(6)) as client:
        await client.credentials.set("meta-ads", **CREDENTIALS)
        assert client._local is not None
        yield await client._local.open()


async def test_a_video_still_processing_after_thirty_checks_fails(
    local_gateway,
    graph: FakeGraph,  # type: ignore[no-untyped-def]
) -> None:
    gateway, customer_id = local_gateway
    graph.video_ready_after = None  # Meta never finishes
    video = graph.add("video", account_id="1001", status={"video_status": "processing"}, _polls=0)
    assets = gateway.store.meta_ads_assets
    asset = await assets.create(
        customer_id, "video", "act_1001", name=None, size=1, state="processing"
    )
    await assets.update(asset.id, remote_id=video["id"])
    job = Job("job_1", video_uploads.VIDEO_STATUS, customer_id, {"asset_id": asset.id}, 1, 30)
    with pytest.raises(RetryJob) as retry:
        await video_uploads.check_status(gateway, job)
    assert retry.value.delay == video_uploads.STATUS_INTERVAL
    job.attempts = 30
    await video_uploads.check_status(gateway, job)
    failed = await assets.get(customer_id, asset.id)
    assert failed is not None and failed.state == "failed"
    assert "after 30 status checks" in (failed.error or "")
    assert json.loads(failed.raw or "{}")["status"] == {"video_status": "processing"}
