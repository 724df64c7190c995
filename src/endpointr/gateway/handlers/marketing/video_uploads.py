"""Video uploads tracked as assets: what ``GET /ad-videos/<asset_id>`` shows, and the two job
kinds behind a large upload: the resumable transfer (Meta's start / transfer / finish phases,
resumed from the last acknowledged offset after a crash) and the status checks while Meta
transcodes, which give up after 30 (about five minutes) and mark the asset failed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ....types.marketing import UploadState, VideoUpload
from ...errors import HTTPError
from ...jobs import Job, PermanentJobError, RetryJob, job
from ._jobs import customer_of, job_error, job_graph
from ._mirror import VIDEOS

if TYPE_CHECKING:
    from ...gateway import Gateway
    from ...providers.meta_graph import GraphClient
    from ...store.base import AssetRecord, MetaAdsAssetRepo

VIDEO_UPLOAD = "marketing.video_upload"
VIDEO_STATUS = "marketing.video_status"
#: Status checks of a video Meta is still processing: this often, this many times.
STATUS_INTERVAL = 10.0
STATUS_CHECKS = 30


def upload_state(status: dict[str, Any] | None) -> UploadState:
    """``processing``, ``ready`` or ``failed`` from Meta's video ``status``."""
    video_status = (status or {}).get("video_status")
    if video_status == "ready":
        return "ready"
    if video_status in ("error", "expired"):
        return "failed"
    return "processing"


def view(asset: AssetRecord) -> VideoUpload:
    raw = json.loads(asset.raw) if asset.raw else None
    return VideoUpload(
        asset_id=asset.id,
        video_id=asset.remote_id,
        account_id=asset.account_id,
        upload_state=asset.state,  # type: ignore[arg-type]
        upload_progress=asset.progress,
        mode="async" if asset.job_id else "sync",
        job_id=asset.job_id,
        bytes=asset.size,
        error=asset.error,
        status=(raw or {}).get("status"),
        raw=raw,
    )


async def refresh_status(
    graph: GraphClient, asset: AssetRecord, assets: MetaAdsAssetRepo
) -> AssetRecord:
    """Ask Meta how the asset's video is doing; record its answer as the asset's ``raw``."""
    assert asset.remote_id is not None
    answer = await graph.get(asset.remote_id, fields="id,status")
    state = upload_state(answer.get("status"))
    error = "Meta could not process the video" if state == "failed" else None
    return await assets.update(asset.id, state=state, error=error, raw=json.dumps(answer))


async def _asset(gateway: Gateway, job: Job) -> AssetRecord:
    asset = await gateway.store.meta_ads_assets.get(customer_of(job), job.payload["asset_id"])
    if asset is None:
        raise PermanentJobError(f"asset {job.payload['asset_id']} is gone")
    return asset


@job(VIDEO_UPLOAD, max_attempts=5, lease=120.0)
async def upload_in_chunks(gateway: Gateway, job: Job) -> None:
    """Send a staged video to Meta with the resumable protocol, then check its status."""
    asset = await _asset(gateway, job)
    assets = gateway.store.meta_ads_assets
    graph = await job_graph(gateway, job)
    try:
        if asset.state in ("pending", "uploading"):  # else an earlier attempt sent it all
            asset = await _transfer(graph, assets, asset, job.payload)
        asset = await refresh_status(graph, asset, assets)
    except HTTPError as exc:
        error = job_error(exc)
        if isinstance(error, PermanentJobError) or job.last_attempt:
            await assets.update(asset.id, state="failed", error=exc.message)
        raise error from None
    if asset.state == "processing":
        await gateway.jobs.enqueue(
            VIDEO_STATUS,
            {"asset_id": asset.id},
            customer_id=asset.customer_id,
            delay=STATUS_INTERVAL,
            ref=asset.remote_id,
            label=f"video {asset.remote_id} status",
        )
    job.status = 200


async def _transfer(
    graph: GraphClient, assets: MetaAdsAssetRepo, asset: AssetRecord, payload: dict[str, Any]
) -> AssetRecord:
    path = f"{asset.account_id}/{VIDEOS.edge}"
    session = json.loads(asset.raw) if asset.raw and asset.state == "uploading" else None
    if session is None:  # the first attempt, or one that never got a session
        answer = await graph.post(path, {"upload_phase": "start", "file_size": asset.size})
        session = {k: answer[k] for k in ("upload_session_id", "start_offset", "end_offset")}
        asset = await assets.update(
            asset.id, state="uploading", remote_id=str(answer["video_id"]), raw=json.dumps(session)
        )
    start, end = int(session["start_offset"]), int(session["end_offset"])
    while start < asset.size:
        chunk = await assets.staged(asset.id, start, end)
        answer = await graph.post(
            path,
            {"upload_phase": "transfer", "upload_session_id": session["upload_session_id"],
             "start_offset": start},
            files={"video_file_chunk": (asset.name or "video.mp4", chunk, payload["mime"])},
        )  # fmt: skip
        start, end = int(answer["start_offset"]), int(answer["end_offset"])
        session.update(start_offset=start, end_offset=end)
        asset = await assets.update(
            asset.id, progress=min(99, start * 100 // asset.size), raw=json.dumps(session)
        )
    finish = {"upload_phase": "finish", "upload_session_id": session["upload_session_id"]}
    finish.update({k: payload[k] for k in ("title", "description") if payload.get(k)})
    await graph.post(path, finish)
    await assets.unstage(asset.id)
    return await assets.update(asset.id, state="processing", progress=100)


@job(VIDEO_STATUS, max_attempts=STATUS_CHECKS)
async def check_status(gateway: Gateway, job: Job) -> None:
    """Is the video ready? Asked every 10 s; after the last check the asset is failed, with
    Meta's last status payload kept."""
    asset = await _asset(gateway, job)
    assets = gateway.store.meta_ads_assets
    try:
        asset = await refresh_status(await job_graph(gateway, job), asset, assets)
    except HTTPError as exc:
        raise job_error(exc) from None
    if asset.state != "processing":
        return
    if job.last_attempt:
        await assets.update(
            asset.id,
            state="failed",
            error=f"Meta was still processing the video after {STATUS_CHECKS} status checks; "
            "re-upload it (H.264 video with AAC audio in MP4 is the safest)",
        )
        return
    raise RetryJob("Meta is still processing the video", delay=STATUS_INTERVAL)
