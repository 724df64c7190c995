"""The example notebook runs in a real Jupyter kernel (nbclient), against mocked upstreams
reached through ``ENDPOINTR_*`` variables, as CI runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import nbformat
import pytest
from nbclient import NotebookClient

from tests.support.ai import openai_completion, openai_stream_frames, paths, streaming

NOTEBOOK = Path(__file__).parent.parent / "examples" / "ai_local.ipynb"


def outputs(notebook: nbformat.NotebookNode) -> str:
    text = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text.append(output.get("text", ""))
            text.append(output.get("data", {}).get("text/plain", ""))
    return "".join(text)


def test_the_notebook_streams_an_answer(
    upstream, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    def answer(request: httpx.Request) -> httpx.Response:
        if b'"stream":true' in request.content.replace(b" ", b""):
            return streaming(openai_stream_frames(["Soft ", "rain ", "falls."]))
        if b"image_url" in request.content:
            return httpx.Response(200, json=openai_completion("It is a grey pixel."))
        return httpx.Response(200, json=openai_completion("Rain sings on tin roofs."))

    route = upstream.router.post(paths(upstream)["openai"]).mock(side_effect=answer)
    monkeypatch.setenv("ENDPOINTR_OPENAI_BASE_URL", f"{upstream.url}/openai/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-notebook")
    notebook = nbformat.read(NOTEBOOK, as_version=4)

    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()

    text = outputs(notebook)
    assert "openai / gpt-4o-mini-2024-07-18: Rain sings on tin roofs." in text
    assert "Soft rain falls.\n[openai: stop, 3 tokens]" in text
    assert "It is a grey pixel." in text
    assert route.call_count == 3
    sent = route.calls[0].request
    assert sent.headers["authorization"] == "Bearer sk-test-notebook"


def test_the_example_script_runs(upstream) -> None:  # type: ignore[no-untyped-def]
    def answer(request: httpx.Request) -> httpx.Response:
        if b'"stream":true' in request.content.replace(b" ", b""):
            return streaming(openai_stream_frames(["Soft ", "rain."]))
        return httpx.Response(200, json=openai_completion('{"colors": ["red", "yellow", "blue"]}'))

    upstream.router.post(paths(upstream)["openai"]).mock(side_effect=answer)
    env = {
        **os.environ,
        "OPENAI_API_KEY": "sk-test-example",
        "ENDPOINTR_OPENAI_BASE_URL": f"{upstream.url}/openai/v1",
    }
    env.pop("ANTHROPIC_API_KEY", None)
    env.pop("OPENROUTER_API_KEY", None)
    script = NOTEBOOK.parent / "ai_chat.py"
    result = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "openai (gpt-4o-mini-2024-07-18) answered: {'colors': ['red', 'yellow', 'blue']}" in (
        result.stdout
    )
    assert "Soft rain.\n[openai, 2 tokens]" in result.stdout
