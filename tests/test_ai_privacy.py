"""Per-request credential overrides reach the provider and nothing else: not the upstream
request of another provider, not argv, not the logs, not an event payload, not the vault."""

from __future__ import annotations

import base64
import json
import logging
import uuid
from typing import Any

import httpx
import pytest

from endpointr import AsyncEndpointr, Endpointr
from endpointr.gateway.events import Event
from tests.support import fake_cli
from tests.support.ai import PNG_1PX, mock_chat, unique


def secret(label: str) -> str:
    return f"sk-{label}-{uuid.uuid4().hex}"


def test_claude_override_goes_to_the_cli_environment_only(
    client: Endpointr, harness, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    token = secret("ant-oat01-override")
    client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-stored-0601")
    marker = unique("override")

    answer = client.ai.chat(prompt=marker, oauth_token=token)

    assert answer.provider == "claude-cli"
    (run,) = fake_cli.calls(harness.vault.parent, marker)
    assert run["env"]["CLAUDE_CODE_OAUTH_TOKEN"] == token  # the override wins for this call
    assert token not in json.dumps(run["argv"])
    assert token not in run["stdin"]
    assert not [k for k in run["env"] if k.startswith("ENDPOINTR_")]  # nor the server's own
    assert token not in caplog.text
    assert token not in harness.server.log_path.read_text()
    assert token not in answer.model_dump_json()

    later = unique("stored")  # the vault still holds the stored token
    client.ai.chat(prompt=later)
    (run,) = fake_cli.calls(harness.vault.parent, later)
    assert run["env"]["CLAUDE_CODE_OAUTH_TOKEN"] == "sk-ant-oat01-stored-0601"


def test_codex_override_goes_to_the_cli_environment_only(client: Endpointr, harness) -> None:  # type: ignore[no-untyped-def]
    key = secret("codex-override")
    marker = unique("codex-override")

    client.ai.chat(prompt=marker, provider="openai-cli", api_key=key)

    (run,) = fake_cli.calls(harness.vault.parent, marker)
    assert run["env"]["CODEX_API_KEY"] == key
    assert key not in json.dumps(run["argv"]) + run["stdin"]


def test_an_override_never_reaches_an_api_provider(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    route = mock_chat(upstream, "openai")
    client.credentials.set("openai", api_key="sk-test-openai-0602")
    key = secret("meant-for-codex")

    client.ai.chat(prompt="hi", api_key=key)  # priority: openai only; the key is openai-cli's

    sent = route.calls.last.request
    assert key not in sent.content.decode()
    assert key not in json.dumps(dict(sent.headers))
    assert sent.headers["authorization"] == "Bearer sk-test-openai-0602"


async def test_events_never_carry_overrides_or_image_bytes(harness) -> None:  # type: ignore[no-untyped-def]
    token = secret("ant-oat01-event")
    seen: list[Event] = []

    async def collect(event: Event) -> None:
        seen.append(event)

    async with AsyncEndpointr.local(":memory:", settings=harness.settings) as client:
        assert client._local is not None
        gateway, _ = await client._local.open()
        gateway.events.subscribe(collect)
        await client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-stored-0603")
        answer = await client.ai.chat(prompt="event test", oauth_token=token)
        upload = await client.ai.upload(PNG_1PX * 10)

    payloads = json.dumps([e.data for e in seen])
    assert token not in payloads
    assert "sk-ant-oat01-stored-0603" not in payloads
    (chat,) = [e for e in seen if e.name == "ChatHandler.create"]
    body: dict[str, Any] = chat.data["input"]["body"]
    assert body["oauth_token"] == "[REDACTED]"
    assert body["prompt"] == "event test"
    assert chat.data["output"]["content"] == answer.content
    (uploaded,) = [e for e in seen if e.name == "UploadHandler.create"]
    assert upload.url.rsplit("/", 1)[1] not in payloads  # the URL is a bearer secret
    assert base64.b64encode(PNG_1PX * 10).decode() not in payloads
    assert uploaded.data["input"]["body"]["image_base64"].startswith("[base64, ")


def test_upstream_cookies_never_ride_along(client: Endpointr, upstream) -> None:  # type: ignore[no-untyped-def]
    """The gateway's upstream client is shared by every customer: a cookie one answer sets
    (OpenAI's edge sets some) must not be sent with anyone's next request."""
    from tests.support.ai import openai_completion, paths

    route = upstream.router.post(paths(upstream)["openai"]).mock(
        return_value=httpx.Response(
            200,
            json=openai_completion(),
            headers={"set-cookie": "__cf_bm=visitor-1; path=/; HttpOnly"},
        )
    )
    client.credentials.set("openai", api_key="sk-test-openai-0604")
    client.ai.chat(prompt="one")
    client.ai.chat(prompt="two")
    assert "cookie" not in route.calls.last.request.headers
