"""Fake ``claude`` and ``codex`` executables that speak their real output formats.

``install(root)`` writes two wrapper scripts into ``root/bin`` that run this file; the harness
points ``ENDPOINTR_CLAUDE_CLI_PATH`` / ``ENDPOINTR_CODEX_CLI_PATH`` at them. Each run records
its argv, environment and stdin as JSON in ``root/cli-calls`` (:func:`calls` reads them), so a
test can check what the gateway handed the binary.

What they answer depends on the prompt, so tests steer them through the request:

* ``FAIL_AUTH`` / ``FAIL_LIMIT``: the CLI's own auth / usage-limit failure, exit status 1;
* ``CRASH``: a crash with no result line (stderr, exit status 3);
* ``DIE_MIDWAY``: (claude, streaming) exit after the first text delta without a result;
* ``HANG``: (claude) never answer;
* ``DRIP``: (claude, streaming) one word a second;
* otherwise an echo of the prompt (``You said: …``), or a description of the images sent.

claude (``-p --input-format stream-json --output-format stream-json --verbose``) writes the
``system``/``init`` line, the ``assistant`` message and the ``result`` line; with
``--include-partial-messages``, the Anthropic stream events wrapped in ``stream_event`` lines.
codex (``exec --json``) writes ``thread.started``, ``turn.started``, ``item.completed`` items
and ``turn.completed`` with usage.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

SESSION = str(uuid.uuid4())


def install(root: Path) -> dict[str, str]:
    """Write the wrappers; the environment that points endpointr at them."""
    bin_dir = root / "bin"
    records = root / "cli-calls"
    bin_dir.mkdir(parents=True, exist_ok=True)
    records.mkdir(parents=True, exist_ok=True)
    (root / "codex-home").mkdir(exist_ok=True)
    env = {}
    for name, setting in (("claude", "CLAUDE_CLI_PATH"), ("codex", "CODEX_CLI_PATH")):
        wrapper = bin_dir / name
        wrapper.write_text(
            f'#!/bin/sh\nexec "{sys.executable}" "{Path(__file__).resolve()}" '
            f'{name} "{records}" "$@"\n'
        )
        wrapper.chmod(0o755)
        env[f"ENDPOINTR_{setting}"] = str(wrapper)
    # The server's own fallbacks start empty: no env token, no codex login.
    env["CLAUDE_CODE_OAUTH_TOKEN"] = ""
    env["CODEX_HOME"] = str(root / "codex-home")
    return env


def calls(root: Path, marker: str) -> list[dict[str, Any]]:
    """The recorded runs whose stdin contains ``marker``."""
    found = []
    for path in sorted((root / "cli-calls").glob("*.json"), key=os.path.getmtime):
        record = json.loads(path.read_text())
        if marker in record["stdin"]:
            found.append(record)
    return found


# -- the fakes ---------------------------------------------------------------------------------


def emit(line: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def option(argv: list[str], name: str) -> str | None:
    return argv[argv.index(name) + 1] if name in argv else None


def describe(blocks: list[dict[str, Any]]) -> tuple[str, str]:
    """(prompt text, reply) for claude's user content blocks."""
    text = " ".join(b["text"] for b in blocks if b.get("type") == "text")
    images = [b for b in blocks if b.get("type") == "image"]
    if images:
        seen = ", ".join(
            f"{b['source']['media_type']} of {len(base64.b64decode(b['source']['data']))} bytes"
            for b in images
        )
        return text, f"I see {len(images)} image(s): {seen}"
    return text, f"You said: {text}"


def claude(argv: list[str], stdin: str) -> int:
    if "--output-format" in argv and "--verbose" not in argv:
        sys.stderr.write(
            "Error: When using --print, --output-format=stream-json requires --verbose\n"
        )
        return 1
    model = option(argv, "--model") or "claude-sonnet-4-6"
    partial = "--include-partial-messages" in argv
    blocks: list[dict[str, Any]] = []
    for line in stdin.splitlines():
        if line.strip():
            message = json.loads(line)
            assert message["type"] == "user", message
            blocks.extend(message["message"]["content"])
    text, reply = describe(blocks)
    if "CRASH" in text:
        sys.stderr.write("TypeError: Cannot read properties of undefined (reading 'map')\n")
        return 3
    if "HANG" in text:
        time.sleep(120)
    emit(
        {
            "type": "system", "subtype": "init", "cwd": os.getcwd(), "session_id": SESSION,
            "tools": [], "mcp_servers": [], "model": model, "permissionMode": "default",
            "slash_commands": [], "apiKeySource": "none", "claude_code_version": "2.0.37",
            "output_style": "default", "agents": [], "skills": [], "plugins": [],
            "uuid": str(uuid.uuid4()),
        }
    )  # fmt: skip
    if not os.environ.get("CLAUDE_CODE_OAUTH_TOKEN") or "FAIL_AUTH" in text:
        return result(True, "Invalid API key · Please run /login", 0, 0)
    if "FAIL_LIMIT" in text:
        return result(True, "Claude AI usage limit reached|1767225600", 0, 0)
    words = [w + " " for w in reply.split(" ")]
    words[-1] = words[-1].rstrip()
    message_id = "msg_01" + uuid.uuid4().hex[:22]
    usage = {"input_tokens": 3, "cache_creation_input_tokens": 1200, "cache_read_input_tokens": 0}
    if partial:
        stream_event(
            {
                "type": "message_start",
                "message": {
                    "model": model, "id": message_id, "type": "message", "role": "assistant",
                    "content": [], "stop_reason": None, "stop_sequence": None,
                    "usage": {**usage, "output_tokens": 1},
                },
            }
        )  # fmt: skip
        stream_event(
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            }
        )
        for i, word in enumerate(words):
            stream_event(
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": word},
                }
            )
            if "DIE_MIDWAY" in text and i == 0:
                sys.stderr.write("Error: socket hang up\n")
                return 1
            if "DRIP" in text:
                time.sleep(1)
    emit(
        {
            "type": "assistant",
            "message": {
                "model": model, "id": message_id, "type": "message", "role": "assistant",
                "content": [{"type": "text", "text": reply}], "stop_reason": None,
                "stop_sequence": None, "usage": {**usage, "output_tokens": len(words)},
                "context_management": None,
            },
            "parent_tool_use_id": None, "session_id": SESSION, "uuid": str(uuid.uuid4()),
        }
    )  # fmt: skip
    if partial:
        stream_event({"type": "content_block_stop", "index": 0})
        stream_event(
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": len(words)},
            }
        )
        stream_event({"type": "message_stop"})
    return result(False, reply, usage["input_tokens"], len(words))


def stream_event(event: dict[str, Any]) -> None:
    emit(
        {
            "type": "stream_event", "event": event, "session_id": SESSION,
            "parent_tool_use_id": None, "uuid": str(uuid.uuid4()),
        }
    )  # fmt: skip


def result(is_error: bool, text: str, input_tokens: int, output_tokens: int) -> int:
    emit(
        {
            "type": "result", "subtype": "success", "is_error": is_error, "duration_ms": 2412,
            "duration_api_ms": 2330, "num_turns": 1, "result": text, "session_id": SESSION,
            "total_cost_usd": 0.0 if is_error else 0.00453,
            "usage": {
                "input_tokens": input_tokens, "cache_read_input_tokens": 0,
                "cache_creation_input_tokens": 0 if is_error else 1200,
                "output_tokens": output_tokens,
                "server_tool_use": {"web_search_requests": 0, "web_fetch_requests": 0},
                "service_tier": "standard",
            },
            "modelUsage": {}, "permission_denials": [], "uuid": str(uuid.uuid4()),
        }
    )  # fmt: skip
    return 1 if is_error else 0


def codex(argv: list[str], stdin: str) -> int:
    if argv[:1] != ["exec"] or "--json" not in argv or argv[-1] != "-":
        sys.stderr.write(f"error: unexpected arguments {argv}\n")
        return 2
    home = Path(os.environ.get("CODEX_HOME") or Path.home() / ".codex")
    logged_in = os.environ.get("CODEX_API_KEY") or (home / "auth.json").is_file()
    emit({"type": "thread.started", "thread_id": str(uuid.uuid4())})
    emit({"type": "turn.started"})
    if not logged_in or "FAIL_AUTH" in stdin:
        message = (
            "unexpected status 401 Unauthorized: Missing bearer or basic authentication in header"
        )
        emit({"type": "error", "message": message})
        emit({"type": "turn.failed", "error": {"message": message}})
        return 1
    if "FAIL_LIMIT" in stdin:
        message = "You've hit your usage limit. Upgrade to Pro or try again later."
        emit({"type": "turn.failed", "error": {"message": message}})
        return 1
    emit(
        {
            "type": "item.completed",
            "item": {"id": "item_0", "type": "reasoning", "text": "**Replying**"},
        }
    )
    reply = f"You said: {stdin.strip().splitlines()[-1]}"
    emit(
        {"type": "item.completed", "item": {"id": "item_1", "type": "agent_message", "text": reply}}
    )
    emit(
        {
            "type": "turn.completed",
            "usage": {"input_tokens": 2514, "cached_input_tokens": 2048, "output_tokens": 12},
        }
    )
    return 0


def main() -> int:
    which, records, *argv = sys.argv[1:]
    stdin = sys.stdin.read()
    record = {
        "which": which,
        "argv": argv,
        "env": dict(os.environ),
        "stdin": stdin,
        "cwd": os.getcwd(),
        "pid": os.getpid(),
    }
    (Path(records) / f"{uuid.uuid4().hex}.json").write_text(json.dumps(record))
    return claude(argv, stdin) if which == "claude" else codex(argv, stdin)


if __name__ == "__main__":
    sys.exit(main())
