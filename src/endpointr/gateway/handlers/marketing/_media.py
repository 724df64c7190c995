"""The bytes of an ad image or video, from base64, a user's URL (the gateway's SSRF-safe
fetcher), or one of this gateway's uploads (``POST /v1/ai/upload``, read from its store: no
network), checked for size and, for images, format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from ...._media import EXTENSIONS, MIME_TYPES, MediaError, decode_base64, image_format
from ...errors import BadRequest, PayloadTooLarge
from ...net.ssrf import BlockedURLError
from ...uploads import UploadStore, name_in

if TYPE_CHECKING:
    from ...context import Context

MIB = 1024 * 1024


@dataclass(frozen=True)
class Media:
    data: bytes

    def __len__(self) -> int:
        return len(self.data)


def image_type(data: bytes) -> tuple[str, str]:
    """``(file extension, MIME type)`` from the magic bytes; a 400 unless an accepted image."""
    try:
        fmt = image_format(data)
    except MediaError as exc:
        raise BadRequest(str(exc), code="unsupported_image") from None
    return EXTENSIONS[fmt], MIME_TYPES[fmt]


async def load(
    ctx: Context,
    *,
    kind: str,
    b64: str | None,
    url: str | None,
    upload_url: str | None,
    max_bytes: int,
) -> Media:
    """The bytes from whichever of the three sources the caller gave (validation ensured one)."""
    if b64 is not None:
        media = Media(_decode(b64, f"{kind}_base64"))
    elif url is not None:
        media = await _fetch(ctx, url, f"{kind}_url", max_bytes)
    else:
        assert upload_url is not None
        media = await _upload(ctx, upload_url)
    if not media.data:
        raise BadRequest(f"the {kind} is empty", code="empty_media")
    if len(media) > max_bytes:
        raise PayloadTooLarge(
            f"the {kind} is {len(media)} bytes; the limit is {max_bytes}", code="media_too_large"
        )
    return media


def _decode(value: str, field: str) -> bytes:
    if value.lstrip()[:5].lower() == "data:":
        raise BadRequest(
            f"{field} is raw base64: drop the data:...;base64, prefix", code="invalid_base64"
        )
    try:
        return decode_base64(value, field)
    except MediaError as exc:
        raise BadRequest(str(exc), code="invalid_base64") from None


async def _fetch(ctx: Context, url: str, field: str, max_bytes: int) -> Media:
    try:
        data, _, _ = await ctx.gateway.fetcher.get_bytes(url, max_bytes=max_bytes)
    except BlockedURLError as exc:
        raise BadRequest(f"{field}: {exc}", code="blocked_url") from None
    except httpx.HTTPStatusError as exc:
        raise BadRequest(
            f"{field}: {url} answered HTTP {exc.response.status_code}", code="media_unavailable"
        ) from None
    except ValueError as exc:  # over max_bytes
        raise PayloadTooLarge(f"{field}: {exc}", code="media_too_large") from None
    except httpx.HTTPError as exc:
        raise BadRequest(
            f"{field}: cannot fetch {url} ({type(exc).__name__})", code="media_unavailable"
        ) from None
    return Media(data)


async def _upload(ctx: Context, upload_url: str) -> Media:
    try:
        name = name_in(httpx.URL(upload_url).path)
    except httpx.InvalidURL:
        name = None
    if name is None:
        raise BadRequest(
            "upload_url must be a URL that POST /v1/ai/upload handed out (…/uploads/<name>); "
            "pass other URLs as image_url or video_url",
            code="invalid_upload_url",
        )
    found = await UploadStore.of(ctx.gateway).read(name)
    if found is None:
        raise BadRequest(
            "upload_url is an upload that has expired (uploads last 30 minutes) or never "
            "existed: upload it again",
            code="upload_expired",
        )
    return Media(found.data)
