"""``client.ai.upload`` and ``GET /uploads/{name}``: sniffed, capped, public, short-lived."""

from __future__ import annotations

import base64
import os
import re
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from endpointr import APIStatusError, BadRequestError, Endpointr, NotFoundError
from endpointr.gateway.uploads import MAX_BYTES
from tests.support.ai import GIF_1PX, JPEG_HEAD, PNG_1PX, WEBP_HEAD
from tests.test_ai_image import download


def folder(harness) -> Path:  # type: ignore[no-untyped-def]
    return harness.vault.parent / "uploads"


def test_upload_and_download(client: Endpointr, tmp_path: Path) -> None:
    image = tmp_path / "pixel.png"
    image.write_bytes(PNG_1PX)

    upload = client.ai.upload(image)

    assert re.fullmatch(r"http://[^/]+/uploads/[0-9a-f]{32}\.png", upload.url)
    assert (upload.mime, upload.format, upload.bytes) == ("image/png", "png", len(PNG_1PX))
    assert upload.expires_in == 1800
    left = (upload.expires_at - datetime.now(timezone.utc)).total_seconds()
    assert 1790 < left <= 1800
    served = download(client, upload.url)
    assert served.status_code == 200
    assert served.content == PNG_1PX
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("data", "hint", "fmt"),
    [(JPEG_HEAD, "png", "jpeg"), (GIF_1PX, None, "gif"), (WEBP_HEAD, "gif", "webp")],
)
def test_magic_bytes_win_over_the_hint(client: Endpointr, data: bytes, hint, fmt: str) -> None:  # type: ignore[no-untyped-def]
    upload = client.ai.upload(image_base64=base64.b64encode(data).decode(), format=hint)
    assert upload.format == fmt
    assert upload.url.endswith("." + {"jpeg": "jpg"}.get(fmt, fmt))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"image_base64": base64.b64encode(b"%PDF-1.7 not an image").decode()}, "not a PNG"),
        ({"image_base64": "***"}, "image_base64 is not valid base64"),
        ({"image_base64": ""}, "body.image_base64"),
        ({"image_base64": "iVBORw0KGgo=", "format": "bmp"}, "body.format"),
    ],
)
def test_bad_uploads(client: Endpointr, body: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(BadRequestError) as info:
        client._request("POST", "/v1/ai/upload", json=body, cast=dict)
    assert message in info.value.message


def test_25_mb_cap(client: Endpointr) -> None:
    too_big = PNG_1PX + bytes(MAX_BYTES + 1 - len(PNG_1PX))
    with pytest.raises(APIStatusError, match="uploads are limited to 25000000 bytes") as info:
        client.ai.upload(too_big)
    assert info.value.status_code == 413


def test_expired_uploads_are_gone(client: Endpointr, harness) -> None:  # type: ignore[no-untyped-def]
    upload = client.ai.upload(PNG_1PX)
    path = folder(harness) / upload.url.rsplit("/", 1)[1]
    old = time.time() - 30 * 60 - 1
    os.utime(path, (old, old))

    assert download(client, upload.url).status_code == 404
    assert not path.exists()  # deleted on read, by the gateway itself


def test_writes_sweep_out_expired_files(client: Endpointr, harness) -> None:  # type: ignore[no-untyped-def]
    client.ai.upload(PNG_1PX)  # the folder exists
    stale = folder(harness) / ("ab" * 16 + ".png")
    stale.write_bytes(PNG_1PX)
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(folder(harness) / ".last-sweep", (old, old))  # a sweep is due

    client.ai.upload(PNG_1PX)

    assert not stale.exists()


@pytest.mark.parametrize("name", ["nope.png", "0" * 32 + ".exe", "0" * 32 + ".png"])
def test_unknown_uploads_are_404(client: Endpointr, name: str) -> None:
    with pytest.raises(NotFoundError, match="no such upload: uploads expire 30 minutes after"):
        client._send("GET", f"/uploads/{name}", auth="none")


def test_no_path_climbs_out_of_the_uploads(client: Endpointr) -> None:
    with pytest.raises(NotFoundError):
        client._send("GET", "/uploads/..%2Fvault.db", auth="none")


async def test_public_base_url_names_the_uploads(harness, upstream, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Behind a proxy the operator sets ENDPOINTR_PUBLIC_BASE_URL; such URLs still inline."""
    from endpointr import AsyncEndpointr
    from tests.support.ai import mock_chat, request_json

    route = mock_chat(upstream, "openai")
    settings = harness.settings.model_copy(
        update={"vault": str(tmp_path / "v.db"), "public_base_url": "https://gw.example.com/"}
    )
    async with AsyncEndpointr.local(settings=settings) as client:
        upload = await client.ai.upload(PNG_1PX)
        await client.credentials.set("openai", api_key="sk-test-openai-0801")
        await client.ai.vision(prompt="?", image_url=upload.url)
    assert re.fullmatch(r"https://gw\.example\.com/uploads/[0-9a-f]{32}\.png", upload.url)
    sent = request_json(route)["messages"][0]["content"][1]["image_url"]["url"]
    assert sent == "data:image/png;base64," + base64.b64encode(PNG_1PX).decode()
    assert (tmp_path / "uploads" / upload.url.rsplit("/", 1)[1]).exists() is True
