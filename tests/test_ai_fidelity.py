"""The fake upstreams are faithful: the official ``openai`` and ``anthropic`` SDKs read the
same bodies, streams and errors (served on 127.0.0.1) that the gateway tests use."""

from __future__ import annotations

import anthropic
import httpx
import openai
import pytest

from tests.support.ai import (
    PNG_1PX,
    anthropic_error,
    anthropic_message,
    anthropic_models,
    anthropic_stream_frames,
    openai_completion,
    openai_error,
    openai_images,
    openai_models,
    openai_stream_frames,
    openrouter_completion,
    openrouter_image_completion,
    openrouter_models,
    streaming,
)

MESSAGES = [{"role": "user", "content": "hi"}]


@pytest.fixture
def oai(upstream) -> openai.OpenAI:  # type: ignore[no-untyped-def]
    return openai.OpenAI(api_key="sk-test", base_url=f"{upstream.url}/openai/v1", max_retries=0)


@pytest.fixture
def claude(upstream) -> anthropic.Anthropic:  # type: ignore[no-untyped-def]
    return anthropic.Anthropic(
        api_key="sk-ant-test", base_url=f"{upstream.url}/anthropic", max_retries=0
    )


def test_openai_chat_completion(oai: openai.OpenAI, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(f"{upstream.url}/openai/v1/chat/completions").mock(
        return_value=httpx.Response(200, json=openai_completion("Hi there", prompt_tokens=7))
    )
    completion = oai.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)  # type: ignore[arg-type]
    assert completion.choices[0].message.content == "Hi there"
    assert completion.choices[0].finish_reason == "stop"
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (7, 5)  # type: ignore[union-attr]


def test_openai_stream(oai: openai.OpenAI, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(f"{upstream.url}/openai/v1/chat/completions").mock(
        side_effect=lambda _: streaming(openai_stream_frames(["Hel", "lo"]))
    )
    chunks = list(
        oai.chat.completions.create(
            model="gpt-4o-mini",
            messages=MESSAGES,  # type: ignore[arg-type]
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Hello"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage.completion_tokens == 2  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, openai.AuthenticationError),
        (404, openai.NotFoundError),
        (429, openai.RateLimitError),
        (503, openai.InternalServerError),
    ],
)
def test_openai_errors(oai: openai.OpenAI, upstream, status: int, error: type) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(f"{upstream.url}/openai/v1/chat/completions").mock(
        return_value=openai_error(status)
    )
    with pytest.raises(error) as info:
        oai.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)  # type: ignore[arg-type]
    assert info.value.status_code == status
    assert info.value.body["message"]  # the SDK found OpenAI's {"error": {...}}


def test_openai_images_and_models(oai: openai.OpenAI, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(f"{upstream.url}/openai/v1/images/generations").mock(
        return_value=httpx.Response(200, json=openai_images(b64=PNG_1PX))
    )
    upstream.router.get(f"{upstream.url}/openai/v1/models").mock(
        return_value=httpx.Response(200, json=openai_models())
    )
    image = oai.images.generate(model="gpt-image-1", prompt="a fox")
    assert image.data[0].b64_json  # type: ignore[index]
    assert image.usage.output_tokens == 4160  # type: ignore[union-attr]
    assert [m.id for m in oai.models.list()] == ["gpt-4o-mini", "gpt-image-1"]


def test_openrouter_payloads_read_as_openai(upstream) -> None:  # type: ignore[no-untyped-def]
    base = f"{upstream.url}/openrouter/api/v1"
    client = openai.OpenAI(api_key="sk-or-test", base_url=base, max_retries=0)
    upstream.router.post(f"{base}/chat/completions").mock(
        side_effect=[
            httpx.Response(200, json=openrouter_completion("Bonjour")),
            httpx.Response(200, json=openrouter_image_completion(PNG_1PX)),
        ]
    )
    upstream.router.get(f"{base}/models").mock(
        return_value=httpx.Response(200, json=openrouter_models())
    )
    text = client.chat.completions.create(model="openai/gpt-4o-mini", messages=MESSAGES)  # type: ignore[arg-type]
    assert text.choices[0].message.content == "Bonjour"
    image = client.chat.completions.create(
        model="google/gemini-2.5-flash-image-preview", messages=MESSAGES
    )  # type: ignore[arg-type]
    images = (image.choices[0].message.model_extra or {})["images"]
    assert images[0]["image_url"]["url"].startswith("data:image/png;base64,")
    (model,) = client.models.list()
    assert model.id == "google/gemini-2.5-flash-image-preview"


def test_anthropic_message(claude: anthropic.Anthropic, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(f"{upstream.url}/anthropic/v1/messages").mock(
        return_value=httpx.Response(200, json=anthropic_message("Hello!", stop_reason="max_tokens"))
    )
    message = claude.messages.create(model="claude-sonnet-4-6", max_tokens=50, messages=MESSAGES)  # type: ignore[arg-type]
    assert message.content[0].text == "Hello!"  # type: ignore[union-attr]
    assert message.stop_reason == "max_tokens"
    assert (message.usage.input_tokens, message.usage.output_tokens) == (14, 6)


def test_anthropic_stream(claude: anthropic.Anthropic, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(f"{upstream.url}/anthropic/v1/messages").mock(
        side_effect=lambda _: streaming(anthropic_stream_frames(["Hello", "!"]))
    )
    with claude.messages.stream(
        model="claude-sonnet-4-6",
        max_tokens=50,
        messages=MESSAGES,  # type: ignore[arg-type]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "Hello!"
    assert final.stop_reason == "end_turn"
    assert (final.usage.input_tokens, final.usage.output_tokens) == (25, 15)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, anthropic.AuthenticationError),
        (429, anthropic.RateLimitError),
        (529, anthropic.APIStatusError),
    ],
)
def test_anthropic_errors(claude: anthropic.Anthropic, upstream, status: int, error: type) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(f"{upstream.url}/anthropic/v1/messages").mock(
        return_value=anthropic_error(status)
    )
    with pytest.raises(error) as info:
        claude.messages.create(model="claude-sonnet-4-6", max_tokens=5, messages=MESSAGES)  # type: ignore[arg-type]
    assert info.value.status_code == status
    assert info.value.body["error"]["type"] == anthropic_error(status).json()["error"]["type"]


def test_anthropic_models_pages(claude: anthropic.Anthropic, upstream) -> None:  # type: ignore[no-untyped-def]
    def pages(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json=anthropic_models(2 if "after_id" in request.url.params else 1)
        )

    upstream.router.get(f"{upstream.url}/anthropic/v1/models").mock(side_effect=pages)
    assert [m.id for m in claude.models.list()] == [
        "claude-sonnet-4-6",
        "claude-haiku-4-5-20251001",
    ]
