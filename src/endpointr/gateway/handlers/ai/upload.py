"""``POST /v1/ai/upload`` and ``GET /uploads/{name}``: short-lived public image URLs.

Vision providers fetch image URLs themselves, so an upload's URL needs no auth: its 128-bit
name is the secret. Uploads live 30 minutes; this gateway's own vision route reads them from
disk instead of fetching, so they work in local mode and on private networks too.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import anyio

from ...._media import MIME_TYPES, MediaError, decode_base64, image_format
from ....types.ai import Upload, UploadParams
from ... import extensions
from ...errors import BadRequest, NotFound, PayloadTooLarge
from ...handler import Handler, route
from ...http import Response
from ...uploads import MAX_BYTES, TTL_SECONDS, UploadStore, public_url

if TYPE_CHECKING:
    from ...extensions import Closer
    from ...gateway import Gateway


def _decode(text: str) -> tuple[bytes, str]:
    data = decode_base64(text, "image_base64")
    if len(data) > MAX_BYTES:
        raise PayloadTooLarge(
            f"the image is {len(data)} bytes; uploads are limited to {MAX_BYTES} bytes (25 MB)",
            code="upload_too_large",
        )
    return data, image_format(data, "image_base64")


class UploadHandler(Handler):
    async def create(self, body: UploadParams) -> Upload:
        """Store an image (raw base64) for 30 minutes; answer its public URL."""
        try:
            data, fmt = await anyio.to_thread.run_sync(_decode, body.image_base64)
        except MediaError as exc:
            raise BadRequest(str(exc), code="invalid_image") from None
        stored = await UploadStore.of(self.ctx.gateway).save(data, fmt)
        return Upload(
            url=public_url(self.ctx.gateway, self.ctx.request, stored.name),
            mime=MIME_TYPES[fmt],
            format=fmt,  # type: ignore[arg-type]
            bytes=stored.size,
            expires_in=TTL_SECONDS,
            expires_at=datetime.fromtimestamp(stored.expires_at, timezone.utc),
        )

    @route("GET", "/uploads/{name}", op="download", auth="none")
    async def download(self, name: str) -> Response:
        """An uploaded image, without auth (the name is the secret), until it expires."""
        found = await UploadStore.of(self.ctx.gateway).read(name)
        if found is None:
            raise NotFound(
                "no such upload: uploads expire 30 minutes after POST /v1/ai/upload",
                code="upload_not_found",
            )
        remaining = max(int(found.expires_at - time.time()), 0)
        headers = [
            ("content-type", MIME_TYPES[found.format]),
            ("cache-control", f"public, max-age={remaining}"),
            ("x-content-type-options", "nosniff"),
        ]
        return Response(200, headers, found.data)

    def event_data(self, inputs: dict[str, Any], output: Any) -> Any:
        # The image is not event material, and the URL is a bearer secret.
        body = dict(inputs.get("body") or {})
        body["image_base64"] = f"[base64, {len(body.get('image_base64') or '')} characters]"
        if isinstance(output, dict) and "url" in output:
            output = output | {"url": output["url"].rsplit("/", 1)[0] + "/[REDACTED]"}
        return {"input": {"body": body}, "output": output}


@extensions.on_open
async def _sweep_uploads(gateway: Gateway) -> Closer | None:
    """Expired uploads left by an earlier run go when a gateway opens."""
    await anyio.to_thread.run_sync(UploadStore.of(gateway).sweep)
    return None
