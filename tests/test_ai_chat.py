"""``client.ai.chat``: every provider's request and answer, in both modes."""

from __future__ import annotations

import json

import httpx
import pytest

from endpointr import (
    AsyncEndpointr,
    BadRequestError,
    Endpointr,
    InternalServerError,
    NotFoundError,
    NotImplementedByProviderError,
)
from tests.support import fake_cli
from tests.support.ai import (
    anthropic_message,
    mock_chat,
    openai_completion,
    paths,
    request_json,
    unique,
)


def test_openai_chat(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    route = mock_chat(upstream, "openai", content="Rain taps the window.", prompt_tokens=9)
    client.credentials.set("openai", api_key="sk-test-openai-0001", organization="org-42")

    answer = client.ai.chat(
        prompt="Write one sentence about rain.",
        system="You are concise.",
        temperature=0.2,
        max_tokens=150,
        top_p=0.9,
        stop="\n\n",
    )

    assert answer.content == "Rain taps the window."
    assert answer.provider == "openai"
    assert answer.model == "gpt-4o-mini-2024-07-18"
    assert answer.finish_reason == "stop"
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (9, 5)
    assert answer.attempts == []
    sent = route.calls.last.request
    assert sent.headers["authorization"] == "Bearer sk-test-openai-0001"
    assert sent.headers["openai-organization"] == "org-42"
    assert request_json(route) == {
        "model": "gpt-4o-mini",  # the contract's default
        "messages": [
            {"role": "system", "content": "You are concise."},
            {"role": "user", "content": "Write one sentence about rain."},
        ],
        "temperature": 0.2,
        "max_completion_tokens": 150,
        "top_p": 0.9,
        "stop": ["\n\n"],
    }


def test_anthropic_chat(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    route = mock_chat(
        upstream, "anthropic", text="Because it is encrypted.", stop_reason="max_tokens"
    )
    client.credentials.set("anthropic", api_key="sk-ant-test-0002")

    answer = client.ai.chat(
        messages=[
            {"role": "system", "content": "You are concise."},
            {"role": "user", "content": "What's 2+2?"},
            {"role": "assistant", "content": "4."},
            {"role": "user", "content": "Why is HTTPS preferred over HTTP?"},
        ],
        stop=["END"],
        temperature=0.5,
    )

    assert (answer.provider, answer.model) == ("anthropic", "claude-sonnet-4-6")
    assert answer.content == "Because it is encrypted."
    assert answer.finish_reason == "length"  # max_tokens, in OpenAI's words
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (14, 6)
    sent = route.calls.last.request
    assert sent.headers["x-api-key"] == "sk-ant-test-0002"
    assert sent.headers["anthropic-version"] == "2023-06-01"
    assert request_json(route) == {
        "model": "claude-sonnet-4-6",
        "max_tokens": 4096,  # required upstream; the default when none is given
        "system": "You are concise.",
        "messages": [
            {"role": "user", "content": "What's 2+2?"},
            {"role": "assistant", "content": "4."},
            {"role": "user", "content": "Why is HTTPS preferred over HTTP?"},
        ],
        "temperature": 0.5,
        "stop_sequences": ["END"],
    }


def test_openrouter_chat(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    route = mock_chat(upstream, "openrouter", content="Bonjour")
    client.credentials.set(
        "openrouter", api_key="sk-or-test-0003", referer="https://app.example", app_title="Demo"
    )

    answer = client.ai.chat(
        prompt="Say hello in French", model="mistralai/mistral-small", max_tokens=20
    )

    assert (answer.provider, answer.content) == ("openrouter", "Bonjour")
    sent = route.calls.last.request
    assert sent.headers["authorization"] == "Bearer sk-or-test-0003"
    assert sent.headers["http-referer"] == "https://app.example"
    assert sent.headers["x-title"] == "Demo"
    body = request_json(route)
    assert body["model"] == "mistralai/mistral-small"
    assert body["max_tokens"] == 20  # OpenRouter's name for it


async def test_async_chat(aclient: AsyncEndpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    mock_chat(upstream, "openai", content="async hello")
    await aclient.credentials.set("openai", api_key="sk-test-openai-0004")
    answer = await aclient.ai.chat(prompt="hi")
    assert (answer.provider, answer.content) == ("openai", "async hello")


def test_json_mode_parses_the_answer(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    colors = {"colors": ["red", "yellow", "blue"]}
    route = mock_chat(upstream, "openai", content=json.dumps(colors))
    client.credentials.set("openai", api_key="sk-test-openai-0005")

    answer = client.ai.chat(prompt="Return three primary colors.", json=True)

    assert answer.parsed == colors
    body = request_json(route)
    assert body["response_format"] == {"type": "json_object"}
    assert "JSON" in body["messages"][0]["content"]  # OpenAI requires the word in the prompt


def test_json_mode_reads_fenced_json_from_anthropic(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    text = 'Here you go:\n```json\n{"ok": true, "n": 3}\n```'
    route = mock_chat(upstream, "anthropic", text=text)
    client.credentials.set("anthropic", api_key="sk-ant-test-0006")

    answer = client.ai.chat(prompt="Give me JSON", json=True, system="Be terse.")

    assert answer.parsed == {"ok": True, "n": 3}
    assert answer.content == text  # nothing lost
    assert request_json(route)["system"].startswith("Be terse.\n\n")


def test_json_that_does_not_parse_keeps_the_text(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    mock_chat(upstream, "openai", content="Sorry, I can't do that.")
    client.credentials.set("openai", api_key="sk-test-openai-0007")
    answer = client.ai.chat(prompt="Give me JSON", json=True)
    assert answer.parsed is None
    assert answer.content == "Sorry, I can't do that."


def test_claude_cli_chat(client: Endpointr, harness) -> None:  # type: ignore[no-untyped-def]
    client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-vault-0008")
    marker = unique("cli-chat")

    answer = client.ai.chat(prompt=f"{marker}: one sentence", system="You are concise.")

    assert answer.provider == "claude-cli"
    assert answer.content == f"You said: {marker}: one sentence"
    assert answer.model == "claude-sonnet-4-6"
    assert answer.finish_reason == "stop"
    assert answer.usage.input_tokens == 1203  # input plus cache writes, as Anthropic counts
    (run,) = fake_cli.calls(harness.vault.parent, marker)
    assert run["env"]["CLAUDE_CODE_OAUTH_TOKEN"] == "sk-ant-oat01-vault-0008"
    assert "--system-prompt" in run["argv"]
    assert run["argv"][run["argv"].index("--system-prompt") + 1] == "You are concise."
    assert run["argv"][run["argv"].index("--tools") + 1] == ""  # no tools for a chat


def test_cli_providers_ignore_sampling_controls(client: Endpointr, harness) -> None:  # type: ignore[no-untyped-def]
    client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-vault-0009")
    marker = unique("sampling")
    answer = client.ai.chat(prompt=marker, temperature=0.1, max_tokens=5, top_p=0.5)
    assert answer.content == f"You said: {marker}"
    (run,) = fake_cli.calls(harness.vault.parent, marker)
    assert not {"--temperature", "--max-tokens", "--top-p"} & set(run["argv"])


def test_claude_cli_multi_turn_is_one_transcript(client: Endpointr, harness) -> None:  # type: ignore[no-untyped-def]
    client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-vault-0010")
    marker = unique("turns")
    client.ai.chat(
        messages=[
            {"role": "user", "content": f"{marker}: What's 2+2?"},
            {"role": "assistant", "content": "4."},
            {"role": "user", "content": "And times 3?"},
        ]
    )
    (run,) = fake_cli.calls(harness.vault.parent, marker)
    prompt = json.loads(run["stdin"])["message"]["content"][-1]["text"]
    assert prompt == f"User: {marker}: What's 2+2?\n\nAssistant: 4.\n\nUser: And times 3?"


def test_openai_cli_chat(client: Endpointr, harness) -> None:  # type: ignore[no-untyped-def]
    client.credentials.set("openai-cli", api_key="sk-test-codex-0011")
    marker = unique("codex")

    answer = client.ai.chat(prompt=f"{marker}: hello", model="gpt-5-codex")

    assert (answer.provider, answer.model) == ("openai-cli", "gpt-5-codex")
    assert answer.content == f"You said: {marker}: hello"
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (2514, 12)
    (run,) = fake_cli.calls(harness.vault.parent, marker)
    assert run["env"]["CODEX_API_KEY"] == "sk-test-codex-0011"
    assert run["argv"][:2] == ["exec", "--json"]
    argv = run["argv"]
    assert argv[argv.index("--sandbox") + 1] == "read-only"
    assert "features.shell_tool=false" in argv


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "send prompt (a string) or messages"),
        ({"prompt": "a", "messages": [{"role": "user", "content": "b"}]}, "not both"),
        ({"prompt": "a", "temperature": 3}, "body.temperature"),
        ({"prompt": "a", "provider": "gemini"}, "body.provider"),
        ({"prompt": "a", "colour": "red"}, "body.colour: unknown field"),
        ({"messages": [{"role": "system", "content": "x"}]}, "at least one user message"),
        ({"messages": [{"role": "tool", "content": "x"}]}, "body.messages.0.role"),
    ],
)
def test_bad_requests_say_what_to_fix(client: Endpointr, body: dict, message: str) -> None:  # type: ignore[type-arg]
    client.credentials.set("openai", api_key="sk-test-openai-0012")
    with pytest.raises(BadRequestError) as info:
        client._request("POST", "/v1/ai/chat", json=body, cast=dict)
    assert message in info.value.message


def test_openai_cli_cannot_stream_or_see(client: Endpointr) -> None:
    client.credentials.set("openai-cli", api_key="sk-test-codex-0013")
    with pytest.raises(NotImplementedByProviderError, match="openai-cli cannot read images"):
        client.ai.vision(
            prompt="what?", image_url="https://example.com/a.png", provider="openai-cli"
        )
    stream = client.ai.stream(prompt="hi", provider="openai-cli")
    with pytest.raises(NotImplementedByProviderError, match="openai-cli cannot stream"):
        list(stream)


def test_upstream_4xx_surfaces_with_the_provider_named(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(paths(upstream)["openai"]).mock(
        return_value=httpx.Response(
            404,
            json={
                "error": {
                    "message": "The model `gpt-9` does not exist or you do not have access to it.",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": "model_not_found",
                }
            },
        )
    )
    client.credentials.set("openai", api_key="sk-test-openai-0014")
    with pytest.raises(NotFoundError) as info:
        client.ai.chat(prompt="hi", model="gpt-9")
    error = info.value
    assert error.message == (
        "openai answered 404: The model `gpt-9` does not exist or you do not have access to it."
    )
    assert error.code == "model_not_found"
    assert error.body["error"]["attempts"] == [
        {"provider": "openai", "status": 404, "message": error.message, "code": "model_not_found"}
    ]


def test_openai_body_that_is_no_completion_is_a_502(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.router.post(paths(upstream)["openai"]).mock(
        return_value=httpx.Response(200, json={"unexpected": True})
    )
    client.credentials.set("openai", api_key="sk-test-openai-0015")
    with pytest.raises(
        InternalServerError, match="openai answered with a body that is not a chat"
    ) as info:
        client.ai.chat(prompt="hi")
    assert info.value.status_code == 502


def test_fixtures_are_realistic() -> None:
    # The shapes the tests rely on (and that test_ai_fidelity checks with the real SDKs).
    assert openai_completion()["choices"][0]["message"]["role"] == "assistant"
    assert anthropic_message()["content"][0]["type"] == "text"
