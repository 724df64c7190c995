"""``/v1/marketing/ad-videos``: the ad account's videos, and uploads tracked as assets."""

from __future__ import annotations

from ....types._base import Deleted
from ....types.marketing import (
    AccountQuery,
    AdVideo,
    ObjectPage,
    VideoUpload,
    VideoUploadRequest,
)
from ...errors import HTTPError
from ...providers.meta_graph import act_id
from . import _media
from ._base import MarketingHandler, Prepared, created_id
from ._mirror import VIDEOS
from .video_uploads import VIDEO_UPLOAD, refresh_status, view

#: From this size a video goes up in chunks (Meta's resumable upload), as a job.
RESUMABLE_BYTES = 50 * _media.MIB
#: The largest video this gateway takes (it holds the bytes while uploading them).
MAX_VIDEO_BYTES = 1024 * _media.MIB


class AdVideosHandler(MarketingHandler):
    async def list(self, query: AccountQuery) -> Prepared[ObjectPage[AdVideo]]:
        """Videos of an ad account (``refresh=true``: from Meta)."""
        return await self.account_page(VIDEOS, query)

    async def retrieve(self, id: str) -> VideoUpload | AdVideo:
        """An upload's progress by its ``asset_id`` (``upload_state``: pending, uploading,
        processing, ready, failed), or a video by its Meta ``video_id`` (live status)."""
        assets = self.ctx.store.meta_ads_assets
        asset = await assets.get(self.customer.id, int(id)) if id.isdigit() else None
        if asset is not None and asset.kind == "video":
            if asset.state == "processing" and asset.remote_id:
                asset = await refresh_status(await self.graph(), asset, assets)
            return view(asset)
        graph = await self.graph()
        data = await graph.get(id, fields=VIDEOS.fields)
        await self.mirror.save(VIDEOS, [data])
        return AdVideo.model_validate(data)

    async def create(self, body: VideoUploadRequest) -> VideoUpload:
        """Upload a video: under 50 MB in this request (``mode: sync``), else as a resumable
        upload job (202, ``mode: async``; follow it with GET /ad-videos/<asset_id>)."""
        media = await _media.load(
            self.ctx,
            kind="video",
            b64=body.video_base64,
            url=body.video_url,
            upload_url=body.upload_url,
            max_bytes=MAX_VIDEO_BYTES,
        )
        account = act_id(body.account_id)
        if len(media) >= RESUMABLE_BYTES:
            return await self._upload_later(body, account, media)
        graph = await self.graph()
        assets = self.ctx.store.meta_ads_assets
        asset = await assets.create(
            self.customer.id, "video", account, name=body.name, size=len(media), state="uploading"
        )
        fields = {"title": body.title, "description": body.description, "name": body.name}
        filename = body.name or "video.mp4"
        try:
            answer = await graph.post(
                f"{account}/{VIDEOS.edge}",
                fields,
                files={"source": (filename, media.data, body.mime)},
            )
        except HTTPError as exc:
            await assets.update(asset.id, state="failed", error=exc.message)
            raise
        asset = await assets.update(
            asset.id, remote_id=created_id(answer), progress=100, state="processing"
        )
        return view(await refresh_status(graph, asset, assets))

    async def _upload_later(
        self, body: VideoUploadRequest, account: str, media: _media.Media
    ) -> VideoUpload:
        """Stage the bytes and queue the resumable upload: 202, ``upload_state: pending``."""
        await self.graph()  # no credentials: say so now, not in a failed job
        assets = self.ctx.store.meta_ads_assets
        asset = await assets.create(
            self.customer.id, "video", account, name=body.name, size=len(media), state="pending"
        )
        await assets.stage(asset.id, media.data)
        payload = {"asset_id": asset.id, "mime": body.mime, "title": body.title,
                   "description": body.description}  # fmt: skip
        job_id = await self.ctx.gateway.jobs.enqueue(
            VIDEO_UPLOAD,
            payload,
            customer_id=self.customer.id,
            ref=f"asset:{asset.id}",
            label=f"video upload {body.name or asset.id} ({len(media)} bytes)",
        )
        self.status = 202
        return view(await assets.update(asset.id, job_id=job_id))

    async def delete(self, id: str) -> Deleted:
        """Delete the video whose Meta ``video_id`` is ``id``."""
        graph = await self.graph()
        await graph.delete(id)
        await self.mirror.forget(VIDEOS, id)
        return Deleted(id=id)
