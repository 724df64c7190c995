"""Ad images and ad videos: uploads from a file, base64, a URL, or this gateway's upload URL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from anyio import sleep

from .....types._base import Deleted
from .....types.marketing import AdImage, AdVideo, ObjectPage, VideoUpload
from ...._base import NOT_GIVEN, NotGiven, Timeout, cast_to, path_segment
from ..._resource import AsyncAPIResource
from ._shared import AsyncByAccount, FileInput, b64, body, query

ProgressCallback = Callable[[VideoUpload], object]


def _source(
    kind: str, file: FileInput | None, b64_data: str | None, url: str | None, upload_url: str | None
) -> dict[str, Any]:
    given = [v for v in (file, b64_data, url, upload_url) if v is not None]
    if len(given) != 1:
        raise TypeError(f"pass exactly one of file, {kind}_base64, {kind}_url or upload_url")
    return {
        f"{kind}_base64": b64(file) if file is not None else b64_data,
        f"{kind}_url": url,
        "upload_url": upload_url,
    }


class AsyncAdImages(AsyncAPIResource):
    """``client.marketing.ad_images``: the account's image library, addressed by hash."""

    _path = "/v1/marketing/ad-images"

    async def list(
        self,
        *,
        account_id: str,
        hashes: Sequence[str] | None = None,
        refresh: bool = False,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ObjectPage[AdImage]:
        """The account's images (mirror, or Meta with ``refresh``); ``hashes`` asks Meta for
        just those."""
        params = query(account_id=account_id, hashes=hashes, refresh=refresh, limit=limit)
        return await self._client._request(
            "GET", self._path, params=params, cast=ObjectPage[AdImage], timeout=timeout
        )

    async def create(
        self,
        *,
        account_id: str,
        file: FileInput | None = None,
        image_base64: str | None = None,
        image_url: str | None = None,
        upload_url: str | None = None,
        name: str | NotGiven = NOT_GIVEN,
        timeout: Timeout = NOT_GIVEN,
    ) -> AdImage:
        """Upload an image (PNG, JPEG, GIF or WEBP) from one source: ``file`` (a path or
        bytes), ``image_base64``, ``image_url`` (fetched by the gateway) or ``upload_url``.
        Attach the returned ``hash`` to creatives."""
        source = _source("image", file, image_base64, image_url, upload_url)
        json = body({"account_id": account_id, "name": name, **source})
        return await self._client._request(
            "POST", self._path, json=json, cast=AdImage, timeout=timeout
        )

    async def delete(self, hash: str, *, account_id: str, timeout: Timeout = NOT_GIVEN) -> Deleted:
        """Delete the image with this hash from the account's library."""
        return await self._client._request(
            "DELETE",
            f"{self._path}/{path_segment(hash)}",
            params=query(account_id=account_id),
            cast=Deleted,
            timeout=timeout,
        )


class AsyncAdVideos(AsyncByAccount[AdVideo]):
    """``client.marketing.ad_videos``: the account's videos, and uploads you can follow."""

    _path = "/v1/marketing/ad-videos"
    _page = ObjectPage[AdVideo]

    async def retrieve(self, id: str, *, timeout: Timeout = NOT_GIVEN) -> VideoUpload | AdVideo:
        """An upload by its ``asset_id`` (a :class:`VideoUpload`), or a video by its Meta
        ``video_id`` (an :class:`AdVideo` with Meta's live status)."""
        data = await self._client._request(
            "GET", f"{self._path}/{path_segment(id)}", cast=dict[str, Any], timeout=timeout
        )
        return cast_to(VideoUpload, data) if "asset_id" in data else cast_to(AdVideo, data)

    async def create(
        self,
        *,
        account_id: str,
        file: FileInput | None = None,
        video_base64: str | None = None,
        video_url: str | None = None,
        upload_url: str | None = None,
        title: str | NotGiven = NOT_GIVEN,
        description: str | NotGiven = NOT_GIVEN,
        name: str | NotGiven = NOT_GIVEN,
        mime: str | NotGiven = NOT_GIVEN,
        wait: bool = False,
        on_progress: ProgressCallback | None = None,
        poll_interval: float = 2.0,
        timeout: Timeout = NOT_GIVEN,
    ) -> VideoUpload:
        """Upload a video from one source (as for images; a ``file`` travels as base64 in the
        request body, so large videos are better given as ``video_url``). Under 50 MB Meta
        gets it in this call; from 50 MB the gateway uploads it in chunks as a job.

        ``on_progress`` is called with each :class:`VideoUpload` seen (``upload_progress``
        0-100, ``upload_state``); ``wait=True`` polls until the video is ready or failed.
        """
        source = _source("video", file, video_base64, video_url, upload_url)
        json = body(
            {
                "account_id": account_id,
                "title": title,
                "description": description,
                "name": name,
                "mime": mime,
                **source,
            }
        )
        upload = await self._client._request(
            "POST", self._path, json=json, cast=VideoUpload, timeout=timeout
        )
        if on_progress is not None:
            on_progress(upload)
        while (wait or on_progress is not None) and not upload.done:
            if not wait and upload.upload_state == "processing":
                break  # the bytes are with Meta: only waiting would tell more
            await sleep(poll_interval)
            upload = await self._client._request(
                "GET",
                f"{self._path}/{upload.asset_id}",
                cast=VideoUpload,
                timeout=timeout,
            )
            if on_progress is not None:
                on_progress(upload)
        return upload

    async def delete(self, video_id: str, *, timeout: Timeout = NOT_GIVEN) -> Deleted:
        """Delete the video (by its Meta ``video_id``)."""
        return await self._client._request(
            "DELETE", f"{self._path}/{path_segment(video_id)}", cast=Deleted, timeout=timeout
        )
