"""``client.ai.vision``: https URLs, data URIs and this gateway's uploads, per provider."""

from __future__ import annotations

import base64
import json
import os
import time
from pathlib import Path

import httpx
import pytest

from endpointr import BadRequestError, Endpointr
from tests.support.ai import JPEG_HEAD, PNG_1PX, mock_chat, request_json, unique

CAT = "https://upload.wikimedia.org/wikipedia/commons/thumb/4/4d/Cat_November_2010-1a.jpg/640px-Cat.jpg"
PNG_URI = "data:image/png;base64," + base64.b64encode(PNG_1PX).decode()


def uploads(harness) -> Path:  # type: ignore[no-untyped-def]
    return harness.vault.parent / "uploads"


def test_openai_data_uri(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    route = mock_chat(upstream, "openai", content="A single pixel.")
    client.credentials.set("openai", api_key="sk-test-openai-0301")
    # Declared JPEG, but the bytes are a PNG: the bytes win (providers check them).
    mislabelled = "data:image/jpeg;base64," + base64.b64encode(PNG_1PX).decode()

    answer = client.ai.vision(prompt="What's in this image?", image_url=mislabelled)

    assert (answer.provider, answer.content) == ("openai", "A single pixel.")
    (message,) = request_json(route)["messages"]
    assert message == {
        "role": "user",
        "content": [
            {"type": "text", "text": "What's in this image?"},
            {"type": "image_url", "image_url": {"url": PNG_URI}},
        ],
    }


def test_openai_https_url_is_passed_on(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    route = mock_chat(upstream, "openrouter", content="A cat.")
    client.credentials.set("openrouter", api_key="sk-or-test-0302")

    client.ai.vision(prompt="Describe it", image_url=CAT, max_tokens=500)

    content = request_json(route)["messages"][0]["content"]
    assert content[1] == {"type": "image_url", "image_url": {"url": CAT}}


def test_anthropic_url_and_bytes(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    route = mock_chat(upstream, "anthropic", text="A cat.")
    client.credentials.set("anthropic", api_key="sk-ant-test-0303")

    client.ai.vision(prompt="Describe what you see.", image_url=CAT)
    client.ai.vision(prompt="And this?", image=PNG_1PX)

    by_url = request_json(route, 0)["messages"][0]["content"]
    assert by_url == [
        {"type": "image", "source": {"type": "url", "url": CAT}},
        {"type": "text", "text": "Describe what you see."},
    ]
    inline = request_json(route, 1)["messages"][0]["content"][0]
    assert inline["source"] == {
        "type": "base64",
        "media_type": "image/png",
        "data": base64.b64encode(PNG_1PX).decode(),
    }


def test_claude_cli_gets_the_image_inline(client: Endpointr, harness) -> None:  # type: ignore[no-untyped-def]
    client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-vault-0304")
    marker = unique("cli-vision")

    answer = client.ai.vision(prompt=marker, image_url=PNG_URI)

    assert answer.provider == "claude-cli"
    assert answer.content == f"I see 1 image(s): image/png of {len(PNG_1PX)} bytes"


def test_claude_cli_image_url_is_fetched_by_the_gateway(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    """claude-cli cannot fetch URLs: the gateway does, through the SSRF-safe fetcher (which
    the test harness lets reach 127.0.0.1)."""
    image = upstream.router.get(f"{upstream.url}/images/cat.jpg").mock(
        return_value=httpx.Response(200, content=JPEG_HEAD, headers={"content-type": "image/jpeg"})
    )
    client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-vault-0305")

    answer = client.ai.vision(prompt=unique("fetch"), image_url=f"{upstream.url}/images/cat.jpg")

    assert answer.content == f"I see 1 image(s): image/jpeg of {len(JPEG_HEAD)} bytes"
    assert image.call_count == 1


def test_an_upload_is_inlined_not_fetched(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    route = mock_chat(upstream, "openai", content="A pixel.")
    client.credentials.set("openai", api_key="sk-test-openai-0306")
    upload = client.ai.upload(PNG_1PX)

    client.ai.vision(prompt="What is it?", image_url=upload.url)

    sent = request_json(route)["messages"][0]["content"][1]
    assert sent == {"type": "image_url", "image_url": {"url": PNG_URI}}


def test_an_expired_upload_says_so(client: Endpointr, upstream, harness) -> None:  # type: ignore[no-untyped-def]
    mock_chat(upstream, "openai")
    client.credentials.set("openai", api_key="sk-test-openai-0307")
    upload = client.ai.upload(PNG_1PX)
    path = uploads(harness) / upload.url.rsplit("/", 1)[1]
    old = time.time() - 31 * 60
    os.utime(path, (old, old))

    with pytest.raises(BadRequestError) as info:
        client.ai.vision(prompt="What is it?", image_url=upload.url)

    assert info.value.code == "upload_expired"
    assert "upload the image again" in info.value.message
    assert not path.exists()


@pytest.mark.parametrize(
    ("image_url", "message"),
    [
        (
            "ftp://example.com/cat.png",
            "image_url must be an https URL, a data:image/...;base64 URI",
        ),
        ("data:text/plain;base64,aGVsbG8=", "image_url is not a PNG, JPEG, GIF or WebP image"),
        ("data:image/png,rawbytes", "image_url is a data: URI but not a base64 one"),
        ("data:image/png;base64,!!!", "image_url is not valid base64"),
    ],
)
def test_bad_image_urls(client: Endpointr, image_url: str, message: str) -> None:
    client.credentials.set("openai", api_key="sk-test-openai-0308")
    with pytest.raises(BadRequestError) as info:
        client.ai.vision(prompt="?", image_url=image_url)
    assert message in info.value.message


def test_unfetchable_image_for_claude_cli(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.get(f"{upstream.url}/images/missing.png").mock(return_value=httpx.Response(404))
    client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-vault-0309")
    with pytest.raises(BadRequestError) as info:
        client.ai.vision(prompt="?", image_url=f"{upstream.url}/images/missing.png")
    assert info.value.message.endswith("/images/missing.png answered 404")


def test_vision_with_messages_puts_the_image_on_the_last_user_turn(
    client: Endpointr, upstream
) -> None:  # type: ignore[no-untyped-def]
    route = mock_chat(upstream, "openai")
    client.credentials.set("openai", api_key="sk-test-openai-0310")
    client.ai.vision(
        messages=[
            {"role": "user", "content": "I'll send a picture."},
            {"role": "assistant", "content": "Sure."},
            {"role": "user", "content": "Here it is: what colour is it?"},
        ],
        image_url=CAT,
    )
    messages = request_json(route)["messages"]
    assert messages[0]["content"] == "I'll send a picture."
    assert messages[2]["content"][1]["image_url"]["url"] == CAT
    assert json.dumps(messages).count(CAT) == 1
