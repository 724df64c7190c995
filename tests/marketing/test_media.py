"""Ad images and ad videos: every way to supply the bytes, what Meta receives, and upload
progress, in both modes."""

from __future__ import annotations

import base64
import hashlib

import httpx
import pytest

from endpointr import BadRequestError, Endpointr
from endpointr.types.marketing import VideoUpload
from tests.support.meta_graph import FakeGraph
from tests.support.upstream import FakeUpstream

ACCOUNT = "act_1001"
# The contract's 1x1 PNG.
PNG_B64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkAAIAAAoAAv/lxKUAAAAASUVORK5CYII="
)
PNG = base64.b64decode(PNG_B64)


def test_image_from_base64(meta: Endpointr, graph: FakeGraph) -> None:
    image = meta.marketing.ad_images.create(
        account_id=ACCOUNT, image_base64=PNG_B64, name="spring-hero.png"
    )
    upload = next(c for c in graph.calls if c.method == "POST")
    assert upload.path == "act_1001/adimages"
    assert upload.files["filename"] == PNG  # the bytes Meta received
    assert image.hash == hashlib.md5(PNG).hexdigest()
    assert image.name == "spring-hero.png"
    assert (image.width, image.height) == (1, 1)
    assert image.asset_id is not None
    assert image.raw is not None and "images" in image.raw
    listed = meta.marketing.ad_images.list(account_id=ACCOUNT)
    assert [i.hash for i in listed.collection] == [image.hash]
    assert meta.marketing.ad_images.list(account_id=ACCOUNT, hashes=[image.hash]).source == "live"

    assert meta.marketing.ad_images.delete(image.hash, account_id=ACCOUNT).deleted is True
    assert graph.calls[-1].params["hash"] == image.hash
    assert meta.marketing.ad_images.list(account_id=ACCOUNT).collection == []


def test_image_from_a_file_and_from_a_url(
    meta: Endpointr, graph: FakeGraph, upstream: FakeUpstream, tmp_path: object
) -> None:
    path = tmp_path / "hero.png"  # type: ignore[operator]
    path.write_bytes(PNG)
    assert meta.marketing.ad_images.create(account_id=ACCOUNT, file=path).name == "image.png"

    cdn = upstream.router.get(f"{upstream.url}/cdn/hero.png").respond(
        200, content=PNG, headers={"content-type": "image/png"}
    )
    image = meta.marketing.ad_images.create(
        account_id=ACCOUNT, image_url=f"{upstream.url}/cdn/hero.png"
    )
    assert cdn.called
    assert image.hash == hashlib.md5(PNG).hexdigest()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"image_base64": "data:image/png;base64," + PNG_B64}, "drop the data:"),
        ({"image_base64": "not base64!"}, "not valid base64"),
        ({"image_base64": base64.b64encode(b"%PDF-1.7").decode()}, "not a PNG, JPEG, GIF or"),
        ({"image_url": "file:///etc/passwd"}, "only http and https"),
        ({"upload_url": "https://elsewhere.example.com/x.png"}, "POST /v1/ai/upload handed out"),
        ({"upload_url": "http://endpointr.local/openapi.json"}, "POST /v1/ai/upload handed out"),
        ({"upload_url": f"http://endpointr.local/uploads/{'0' * 32}.png"}, "has expired"),
    ],
)
def test_bad_image_sources_are_400(
    meta: Endpointr, graph: FakeGraph, source: dict[str, str], message: str
) -> None:
    with pytest.raises(BadRequestError, match=message):
        meta.marketing.ad_images.create(account_id=ACCOUNT, **source)  # type: ignore[arg-type]
    assert not [c for c in graph.calls if c.method == "POST"]


def test_image_from_an_upload_of_this_gateway(meta: Endpointr, graph: FakeGraph) -> None:
    uploaded = meta.ai.upload(image_base64=PNG_B64)
    image = meta.marketing.ad_images.create(account_id=ACCOUNT, upload_url=uploaded.url)
    assert next(c for c in graph.calls if c.method == "POST").files["filename"] == PNG
    assert image.hash == hashlib.md5(PNG).hexdigest()


def test_image_needs_exactly_one_source(meta: Endpointr) -> None:
    with pytest.raises(BadRequestError, match="exactly one of image_base64, image_url"):
        meta._request(
            "POST",
            "/v1/marketing/ad-images",
            json={"account_id": ACCOUNT, "image_base64": PNG_B64, "image_url": "https://x/y"},
            cast=dict,
        )


def test_small_video_uploads_in_one_call_and_reports_progress(
    meta: Endpointr, graph: FakeGraph
) -> None:
    graph.video_ready_after = 2  # Meta is still transcoding at the first status check
    video = b"\x00\x00\x00\x18ftypmp42" + bytes(4096)
    seen: list[VideoUpload] = []
    upload = meta.marketing.ad_videos.create(
        account_id=ACCOUNT,
        file=video,
        title="Spring promo",
        wait=True,
        on_progress=seen.append,
        poll_interval=0.01,
    )
    sent = next(c for c in graph.calls if c.method == "POST")
    assert sent.files["source"] == video
    assert sent.data["title"] == "Spring promo"
    assert [(s.upload_state, s.upload_progress) for s in seen] == [
        ("processing", 100),
        ("ready", 100),
    ]
    assert upload.mode == "sync"
    assert upload.upload_state == "ready"
    assert upload.bytes == len(video)
    assert upload.video_id in graph.objects

    by_asset = meta.marketing.ad_videos.retrieve(str(upload.asset_id))
    assert isinstance(by_asset, VideoUpload) and by_asset.upload_state == "ready"
    by_video = meta.marketing.ad_videos.retrieve(upload.video_id or "")
    assert by_video.status == {"video_status": "ready", "processing_progress": 100}
    listed = meta.marketing.ad_videos.list(account_id=ACCOUNT)
    assert [v.id for v in listed.collection] == [upload.video_id]
    assert meta.marketing.ad_videos.delete(upload.video_id or "").deleted is True
    assert graph.objects[upload.video_id or ""]["_deleted"] is True


def test_a_failed_upload_is_recorded(meta: Endpointr, graph: FakeGraph) -> None:
    graph.fail("POST", "act_1001/advideos", code=6000, message="There was a problem uploading")
    with pytest.raises(BadRequestError, match="problem uploading"):
        meta.marketing.ad_videos.create(account_id=ACCOUNT, video_base64=PNG_B64)


def test_video_url_is_fetched_by_the_gateway(
    meta: Endpointr, graph: FakeGraph, upstream: FakeUpstream
) -> None:
    clip = bytes(range(256)) * 64
    upstream.router.get(f"{upstream.url}/cdn/clip.mp4").respond(200, content=clip)
    upload = meta.marketing.ad_videos.create(
        account_id=ACCOUNT, video_url=f"{upstream.url}/cdn/clip.mp4"
    )
    assert next(c for c in graph.calls if c.method == "POST").files["source"] == clip
    assert upload.upload_state in ("processing", "ready")


def test_the_cdn_answering_an_error_is_a_400(meta: Endpointr, upstream: FakeUpstream) -> None:
    upstream.router.get(f"{upstream.url}/cdn/gone.mp4").mock(return_value=httpx.Response(404))
    with pytest.raises(BadRequestError, match="answered HTTP 404"):
        meta.marketing.ad_videos.create(
            account_id=ACCOUNT, video_url=f"{upstream.url}/cdn/gone.mp4"
        )
