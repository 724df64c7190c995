"""The CLI providers' process handling, against a gateway with its own settings (local)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest
from pydantic import SecretStr

from endpointr import APIStatusError, AsyncEndpointr
from tests.support import fake_cli
from tests.support.ai import mock_chat, unique


@pytest.fixture
def settings(harness, tmp_path: Path):  # type: ignore[no-untyped-def]
    return harness.settings.model_copy(update={"vault": str(tmp_path / "vault.db")})


async def local(settings, **changes) -> AsyncIterator[AsyncEndpointr]:  # type: ignore[no-untyped-def]
    async with AsyncEndpointr.local(
        settings=settings.model_copy(update=changes), max_retries=0
    ) as client:
        yield client


async def test_missing_binary_is_503_and_fails_over(settings, upstream) -> None:  # type: ignore[no-untyped-def]
    mock_chat(upstream, "openai", content="from openai")
    async for client in local(settings, claude_cli_path="/nonexistent/bin/claude"):
        await client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-0701")
        await client.credentials.set("openai", api_key="sk-test-openai-0701")
        answer = await client.ai.chat(prompt="hi")
        assert answer.provider == "openai"
        (attempt,) = answer.attempts
        assert (attempt.status, attempt.code) == (503, "cli_unavailable")
        assert "ENDPOINTR_CLAUDE_CLI_PATH" in attempt.message


async def test_a_run_past_the_timeout_is_504_and_killed(settings, harness) -> None:  # type: ignore[no-untyped-def]
    marker = unique("HANG")
    async for client in local(settings, cli_timeout=1.0):
        await client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-0702")
        with pytest.raises(APIStatusError) as info:
            await client.ai.chat(prompt=marker)
    assert info.value.status_code == 504
    assert info.value.message == "claude-cli did not finish within 1 s"
    (run,) = fake_cli.calls(harness.vault.parent, marker)
    with pytest.raises(ProcessLookupError):
        os.kill(run["pid"], 0)
    assert not await anyio.Path(run["cwd"]).exists()  # its scratch directory is gone too


async def test_a_crash_without_result_is_502(settings) -> None:  # type: ignore[no-untyped-def]
    async for client in local(settings):
        await client.credentials.set("claude-cli", oauth_token="sk-ant-oat01-0703")
        with pytest.raises(APIStatusError) as info:
            await client.ai.chat(prompt=unique("CRASH"))
    assert info.value.status_code == 502
    assert "Cannot read properties of undefined" in info.value.message


async def test_server_token_is_the_last_resort(settings, harness) -> None:  # type: ignore[no-untyped-def]
    marker = unique("server-token")
    async for client in local(
        settings, claude_code_oauth_token=SecretStr("sk-ant-oat01-server-0704")
    ):
        answer = await client.ai.chat(prompt=marker, provider="claude-cli")
    assert answer.provider == "claude-cli"
    (run,) = fake_cli.calls(harness.vault.parent, marker)
    assert run["env"]["CLAUDE_CODE_OAUTH_TOKEN"] == "sk-ant-oat01-server-0704"


async def test_codex_login_on_the_server(settings, harness, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "codex"
    home.mkdir()
    (home / "auth.json").write_text('{"OPENAI_API_KEY": null, "tokens": {}}')
    marker = unique("codex-login")
    async for client in local(settings, codex_home=str(home)):
        answer = await client.ai.chat(prompt=marker, provider="openai-cli")
    assert answer.content == f"You said: {marker}"
    (run,) = fake_cli.calls(harness.vault.parent, marker)
    assert run["env"]["CODEX_HOME"] == str(home)
    assert "CODEX_API_KEY" not in run["env"]


async def test_without_codex_login_openai_cli_has_no_credentials(settings) -> None:  # type: ignore[no-untyped-def]
    async for client in local(settings):
        with pytest.raises(APIStatusError) as info:
            await client.ai.chat(prompt="hi", provider="openai-cli")
    assert info.value.status_code == 400
    assert "run `codex login` on the server" in info.value.message
