"""The examples run as they are (the remote one against a real ``endpointr serve``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Harness

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _run(script: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("script", ["local_vault.py", "admin.py"])
def test_offline_examples(script: str) -> None:
    out = _run(script, {})
    assert "Traceback" not in out
    assert out.strip()


def test_local_vault_example_output() -> None:
    out = _run("local_vault.py", {})
    assert "openai credentials stored: True fields: ['api_key']" in out
    assert "as expected: 404" in out


def test_remote_example(harness: Harness) -> None:
    api_key = harness.admin.create_customer("example-remote").api_key
    out = _run(
        "remote_client.py", {"ENDPOINTR_API_KEY": api_key, "ENDPOINTR_BASE_URL": harness.server.url}
    )
    assert "sync: {'world': 1}" in out
    assert "async: ['hello']" in out


def test_webhook_receiver_example() -> None:
    out = _run("webhook_receiver.py", {})
    assert out.startswith("verified VaultHandler.update evt_")
    assert "'password': '[REDACTED]'" in out
    assert '"last_status": 200' in out


def test_stripe_binding_example(harness: Harness) -> None:
    api_key = harness.admin.create_customer("example-stripe").api_key
    out = _run(
        "stripe_binding.py",
        {"ENDPOINTR_API_KEY": api_key, "ENDPOINTR_BASE_URL": harness.server.url},
    )
    assert "Stripe got: 200" in out
    assert "vault: {'amount': 4200, 'currency': 'eur', 'note': 'Stripe payment pi_example'}" in out
    assert "binding run: succeeded 200" in out


@pytest.mark.parametrize("mode", ["local", "remote"])
def test_openai_compatible_example(harness: Harness, mode: str) -> None:
    import httpx

    from tests.support.llm import anthropic_message, anthropic_text_stream, sse, tool_use

    upstream = harness.upstream
    upstream.reset()
    upstream.router.post(f"{upstream.url}/anthropic/v1/messages").side_effect = [
        httpx.Response(200, json=anthropic_message("pong")),
        sse(anthropic_text_stream("1, 2, 3, 4, 5")),
        httpx.Response(
            200,
            json=anthropic_message(
                [tool_use("get_weather", {"city": "Copenhagen"}, "toolu_01Ex")],
                stop_reason="tool_use",
            ),
        ),
        httpx.Response(200, json=anthropic_message("It is 15°C with light rain.")),
    ]
    env = {"ANTHROPIC_API_KEY": "sk-ant-example", **upstream.env()}
    if mode == "remote":
        env["ENDPOINTR_API_KEY"] = harness.admin.create_customer("example-openai").api_key
        env["ENDPOINTR_BASE_URL"] = harness.server.url
    out = _run("openai_compatible.py", env)
    upstream.reset()
    assert "reply: pong (anthropic/claude-sonnet-4-6)" in out
    assert "stream: 1, 2, 3, 4, 5" in out
    assert 'tool: get_weather({"city":"Copenhagen"}) -> 15°C and light rain in Copenhagen' in out
    assert "answer: It is 15°C with light rain." in out
