"""``client.ai.image``: OpenAI generations and edits, OpenRouter's image chat, one output shape."""

from __future__ import annotations

import base64
from email import policy
from email.parser import BytesParser

import httpx
import pytest

from endpointr import APIStatusError, BadRequestError, Endpointr
from tests.support.ai import (
    GIF_1PX,
    JPEG_HEAD,
    PNG_1PX,
    openai_images,
    openrouter_image_completion,
    paths,
    request_json,
)

PNG_B64 = base64.b64encode(PNG_1PX).decode()


def download(client: Endpointr, url: str) -> httpx.Response:
    """What a provider (or a browser) gets at an upload URL: no auth involved."""
    if client.mode == "remote":
        return httpx.get(url)
    path = httpx.URL(url).path  # local mode: the in-process gateway serves the same route
    try:
        return client._send("GET", path, auth="none")
    except APIStatusError as exc:
        return exc.response


def multipart(request: httpx.Request) -> list[tuple[str, str | None, bytes]]:
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=policy.default).parsebytes(head + request.content)
    return [
        (
            part.get_param("name", header="content-disposition"),
            part.get_filename(),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    ]


def test_openai_generation(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    route = upstream.router.post(f"{upstream.url}/openai/v1/images/generations").mock(
        return_value=httpx.Response(200, json=openai_images(b64=PNG_1PX, n=2))
    )
    client.credentials.set("openai", api_key="sk-test-openai-0401")

    answer = client.ai.image(prompt="A red fox in snow", size="1024x1024", quality="high", n=2)

    assert (answer.provider, answer.model) == ("openai", "gpt-image-1")
    assert [i.b64_json for i in answer.images] == [PNG_B64, PNG_B64]
    assert answer.images[0].model_dump() == {"b64_json": PNG_B64}  # {b64_json}, no nulls
    assert request_json(route) == {
        "model": "gpt-image-1",
        "prompt": "A red fox in snow",
        "n": 2,
        "size": "1024x1024",
        "quality": "high",
    }  # gpt-image-1 takes no response_format or style: it always answers in base64


def test_dalle_follows_response_format(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    url = "https://oaidalleapiprodscus.blob.core.windows.net/private/img-abc.png"
    route = upstream.router.post(f"{upstream.url}/openai/v1/images/generations").mock(
        return_value=httpx.Response(200, json=openai_images(url=url))
    )
    client.credentials.set("openai", api_key="sk-test-openai-0402")

    answer = client.ai.image(
        prompt="A futuristic cityscape at dusk",
        model="dall-e-3",
        size="1792x1024",
        style="vivid",
        response_format="url",
    )

    assert answer.images[0].url == url
    assert answer.images[0].revised_prompt
    body = request_json(route)
    assert (body["response_format"], body["style"], body["size"]) == ("url", "vivid", "1792x1024")


def test_base64_only_models_can_answer_urls(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(f"{upstream.url}/openai/v1/images/generations").mock(
        return_value=httpx.Response(200, json=openai_images(b64=PNG_1PX))
    )
    client.credentials.set("openai", api_key="sk-test-openai-0403")

    answer = client.ai.image(prompt="A red fox", response_format="url")

    (image,) = answer.images
    assert image.b64_json is None
    assert "/uploads/" in image.url
    served = download(client, image.url)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert served.content == PNG_1PX


def test_openai_edit_with_references(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.get(f"{upstream.url}/images/b.jpg").mock(
        return_value=httpx.Response(200, content=JPEG_HEAD, headers={"content-type": "image/jpeg"})
    )
    route = upstream.router.post(f"{upstream.url}/openai/v1/images/edits").mock(
        return_value=httpx.Response(200, json=openai_images(b64=PNG_1PX))
    )
    client.credentials.set("openai", api_key="sk-test-openai-0404")

    answer = client.ai.image(
        prompt="Combine these into one cohesive scene at golden hour.",
        provider="openai",
        reference_images=[
            "data:image/png;base64," + PNG_B64,
            f"{upstream.url}/images/b.jpg",
            base64.b64encode(GIF_1PX).decode(),  # bare base64, sniffed
        ],
    )

    assert answer.images[0].b64_json == PNG_B64
    parts = multipart(route.calls.last.request)
    fields = {name: data.decode() for name, filename, data in parts if filename is None}
    assert fields == {
        "model": "gpt-image-1",
        "prompt": "Combine these into one cohesive scene at golden hour.",
    }
    files = [(name, filename, data) for name, filename, data in parts if filename]
    assert files == [
        ("image[]", "reference-0.png", PNG_1PX),
        ("image[]", "reference-1.jpg", JPEG_HEAD),
        ("image[]", "reference-2.gif", GIF_1PX),
    ]


def test_openrouter_image(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    route = upstream.router.post(paths(upstream)["openrouter"]).mock(
        return_value=httpx.Response(200, json=openrouter_image_completion(PNG_1PX))
    )
    client.credentials.set("openrouter", api_key="sk-or-test-0405")

    answer = client.ai.image(
        prompt="Render the subject in the painterly style of the reference.",
        reference_images=["https://example.com/style.jpg"],
    )

    assert (answer.provider, answer.model) == (
        "openrouter",
        "google/gemini-2.5-flash-image-preview",
    )
    assert answer.images[0].model_dump() == {"b64_json": PNG_B64}  # data URI stripped
    assert request_json(route) == {
        "model": "google/gemini-2.5-flash-image-preview",
        "messages": [
            {
                "role": "user",
                "content": [
                    {
                        "type": "text",
                        "text": "Render the subject in the painterly style of the reference.",
                    },
                    {"type": "image_url", "image_url": {"url": "https://example.com/style.jpg"}},
                ],
            }
        ],
        "modalities": ["image", "text"],
    }


def test_openrouter_answer_without_an_image(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    body = openrouter_image_completion(PNG_1PX)
    del body["choices"][0]["message"]["images"]
    body["choices"][0]["message"]["content"] = "I can only describe images."
    upstream.router.post(paths(upstream)["openrouter"]).mock(
        return_value=httpx.Response(200, json=body)
    )
    client.credentials.set("openrouter", api_key="sk-or-test-0406")
    with pytest.raises(Exception, match="without an image") as info:
        client.ai.image(prompt="A fox", model="openai/gpt-4o-mini")
    assert "I can only describe images." in str(info.value)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"n": 11}, "body.n"),
        ({"size": "big"}, "body.size"),
        ({"response_format": "png"}, "body.response_format"),
        ({"reference_images": ["x"] * 17}, "body.reference_images"),
        ({"reference_images": ["not base64 !"]}, "reference_images[0] is not valid base64"),
    ],
)
def test_bad_image_requests(client: Endpointr, fields: dict, message: str) -> None:  # type: ignore[type-arg]
    client.credentials.set("openai", api_key="sk-test-openai-0407")
    with pytest.raises(BadRequestError) as info:
        client._request("POST", "/v1/ai/image", json={"prompt": "A fox", **fields}, cast=dict)
    assert message in info.value.message
