"""``AsyncEndpointr.marketing``: the async source of the SDK, in both modes."""

from __future__ import annotations

from endpointr import AsyncEndpointr
from endpointr.types.marketing import VideoUpload
from tests.support.meta_graph import CREDENTIALS, FakeGraph


async def test_async_campaigns_and_a_video_with_progress(
    aclient: AsyncEndpointr, graph: FakeGraph
) -> None:
    await aclient.credentials.set("meta-ads", **CREDENTIALS)
    created = await aclient.marketing.campaigns.create(
        account_id="1001", name="Async", objective="OUTCOME_LEADS"
    )
    paused = await aclient.marketing.campaigns.pause(created.id)
    assert paused.status == "PAUSED"
    first = await aclient.marketing.campaigns.list(account_id="act_1001")
    second = await aclient.marketing.campaigns.list(account_id="act_1001")
    assert (first.source, second.source) == ("live", "local")
    assert [c.id for c in second.collection] == [created.id]

    graph.video_ready_after = 3
    seen: list[str] = []

    def progress(upload: VideoUpload) -> None:
        seen.append(upload.upload_state)

    upload = await aclient.marketing.ad_videos.create(
        account_id="act_1001", file=bytes(2048), wait=True, on_progress=progress,
        poll_interval=0.01,
    )  # fmt: skip
    assert upload.upload_state == "ready"
    assert seen == ["processing", "processing", "ready"]
    result = await aclient.marketing.sync(account_id="act_1001")
    assert result.counts is not None and result.counts.campaigns == 1
