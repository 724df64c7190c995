"""The bytes of an ad image or video, from base64, a user's URL, or one of this gateway's own
upload URLs, checked for size and (images) format."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from ...errors import BadRequest, PayloadTooLarge
from ...http import Request
from ...net.ssrf import BlockedURLError, SafeFetcher

if TYPE_CHECKING:
    from ...context import Context

MIB = 1024 * 1024
_IMAGE_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"GIF87a", "gif", "image/gif"),
    (b"GIF89a", "gif", "image/gif"),
)


@dataclass(frozen=True)
class Media:
    data: bytes
    mime: str | None  # what the source said, if anything

    def __len__(self) -> int:
        return len(self.data)


def image_format(data: bytes) -> tuple[str, str]:
    """``(extension, mime)`` from the magic bytes; a 400 unless PNG, JPEG, GIF or WEBP."""
    for magic, ext, mime in _IMAGE_TYPES:
        if data.startswith(magic):
            return ext, mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp", "image/webp"
    raise BadRequest(
        "the image is not PNG, JPEG, GIF or WEBP (by its first bytes)", code="unsupported_image"
    )


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
        media = Media(_decode(b64, f"{kind}_base64"), None)
    elif url is not None:
        media = await _fetch(ctx, url, f"{kind}_url", max_bytes)
    else:
        assert upload_url is not None
        media = await _own_upload(ctx, upload_url)
    if not media.data:
        raise BadRequest(f"the {kind} is empty", code="empty_media")
    if len(media) > max_bytes:
        raise PayloadTooLarge(
            f"the {kind} is {len(media)} bytes; the limit is {max_bytes}", code="media_too_large"
        )
    return media


def _decode(value: str, field: str) -> bytes:
    if value.lstrip().startswith("data:"):
        raise BadRequest(
            f"{field} is raw base64: drop the data:...;base64, prefix", code="invalid_base64"
        )
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest(f"{field} is not valid base64", code="invalid_base64") from None


async def _fetch(ctx: Context, url: str, field: str, max_bytes: int) -> Media:
    fetcher = SafeFetcher(allow_private_networks=ctx.settings.allow_private_networks)
    try:
        data, mime, _ = await fetcher.get_bytes(url, max_bytes=max_bytes)
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
    finally:
        await fetcher.aclose()
    return Media(data, mime)


async def _own_upload(ctx: Context, upload_url: str) -> Media:
    """A download URL this gateway handed out, served by the gateway itself in-process: no
    network, and only routes that need no auth can answer it."""
    try:
        url = httpx.URL(upload_url)
    except httpx.InvalidURL:
        raise BadRequest("upload_url is not a URL", code="invalid_upload_url") from None
    own = {httpx.URL(ctx.settings.public_base_url).host} if ctx.settings.public_base_url else set()
    own.add(ctx.request.headers.get("host", "").split(":")[0])
    own.add("endpointr.local")
    if url.host not in own or not url.path.startswith("/v1/"):
        raise BadRequest(
            "upload_url must be a URL this gateway handed out (POST /v1/ai/upload); "
            "pass other URLs as image_url/video_url",
            code="invalid_upload_url",
        )
    request = Request("GET", url.path, url.query.decode("ascii"), {}, b"", client="internal")
    response = await ctx.gateway.handle(request)
    body = response.body
    if not isinstance(body, bytes):
        body = b"".join([chunk async for chunk in body])
    if response.status != 200:
        raise BadRequest(
            f"upload_url is not (or no longer) downloadable here (HTTP {response.status})",
            code="invalid_upload_url",
        )
    return Media(body, response.header("content-type"))
