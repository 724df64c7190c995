"""Images that users hand the AI routes: an https URL, a data URI, bare base64, or an upload of
this gateway. Uploads are read from disk, never fetched, so they work in local mode and behind
private networks; URLs are fetched (when a provider needs bytes) only by the SSRF-safe fetcher.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from ..._media import MediaError, decode_base64, image_format, is_data_uri, parse_data_uri
from ..errors import BadRequest, PayloadTooLarge
from ..net.ssrf import BlockedURLError
from ..uploads import MAX_BYTES, UploadStore, name_in
from .base import ImagePart

if TYPE_CHECKING:
    from ..gateway import Gateway
    from ..http import Request


def _own_hosts(gateway: Gateway, request: Request) -> set[str]:
    hosts = {request.headers.get("host", ""), request.headers.get("x-forwarded-host", "")}
    if gateway.settings.public_base_url:
        hosts.add(httpx.URL(gateway.settings.public_base_url).netloc.decode("ascii"))
    return hosts - {""}


async def image_part(
    gateway: Gateway, request: Request, value: str, *, what: str, bare_base64: bool = False
) -> ImagePart:
    """``value`` as an ImagePart: bytes for data URIs, base64 and uploads; a URL otherwise."""
    value = value.strip()
    try:
        if is_data_uri(value):
            data, fmt = parse_data_uri(value, what)
            return ImagePart(data=data, format=fmt)
        if value.lower().startswith(("https://", "http://")):
            return await _url_part(gateway, request, value, what)
        if bare_base64:
            data = decode_base64(value, what)
            return ImagePart(data=data, format=image_format(data, what))
    except MediaError as exc:
        raise BadRequest(str(exc), code="invalid_image") from None
    accepted = "an https URL, a data:image/...;base64 URI" + (
        ", bare base64" if bare_base64 else ""
    )
    raise BadRequest(
        f"{what} must be {accepted} or a URL from POST /v1/ai/upload", code="invalid_image"
    )


async def _url_part(gateway: Gateway, request: Request, value: str, what: str) -> ImagePart:
    try:
        url = httpx.URL(value)
    except httpx.InvalidURL as exc:
        raise BadRequest(f"{what} is not a valid URL: {exc}", code="invalid_image") from None
    name = name_in(url.path)
    if name is not None:
        found = await UploadStore.of(gateway).read(name)
        if found is not None:
            return ImagePart(data=found.data, format=found.format)
        if url.netloc.decode("ascii") in _own_hosts(gateway, request):
            raise BadRequest(
                f"{what} is an upload that has expired (uploads last 30 minutes) or never "
                "existed: upload the image again",
                code="upload_expired",
            )
    return ImagePart(url=str(url))


async def load_image(gateway: Gateway, part: ImagePart) -> ImagePart:
    """``part`` with its bytes: a URL is fetched through the gateway's SSRF-safe fetcher."""
    if part.data is not None:
        return part
    assert part.url is not None
    url = part.url
    try:
        data, _, _ = await gateway.fetcher.get_bytes(url, max_bytes=MAX_BYTES)
    except BlockedURLError as exc:
        raise BadRequest(f"cannot fetch the image: {exc}", code="image_url_blocked") from None
    except httpx.HTTPStatusError as exc:
        raise BadRequest(
            f"cannot fetch the image: {url} answered {exc.response.status_code}",
            code="image_url_failed",
        ) from None
    except httpx.HTTPError as exc:
        raise BadRequest(
            f"cannot fetch the image at {url}: {exc or type(exc).__name__}",
            code="image_url_failed",
        ) from None
    except ValueError:
        raise PayloadTooLarge(
            f"the image at {url} is larger than {MAX_BYTES} bytes", code="image_too_large"
        ) from None
    try:
        return ImagePart(data=data, format=image_format(data, f"the image at {url}"))
    except MediaError as exc:
        raise BadRequest(str(exc), code="invalid_image") from None
