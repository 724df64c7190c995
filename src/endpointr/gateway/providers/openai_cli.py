"""openai-cli: OpenAI's Codex CLI (``codex exec --json``), chat only.

The key (a customer's, or none for the server's own ``codex login``) travels as
``CODEX_API_KEY``. The run is read-only and without the shell tool: a chat answer needs no
commands, and a prompt must not be able to read the server's files.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .base import ChatRequest, ChatResult
from .cli import CLIExit, CLIProvider, json_line, transcript

if TYPE_CHECKING:
    from ..gateway import Gateway


def codex_home(gateway: Gateway) -> Path:
    return Path(gateway.settings.codex_home or Path.home() / ".codex").expanduser()


class OpenAICli(CLIProvider):
    name = "openai-cli"
    override_field = "api_key"
    binary_setting = "codex_cli_path"
    token_env = "CODEX_API_KEY"

    @classmethod
    def server_credentials(cls, gateway: Gateway) -> Mapping[str, Any] | None:
        # The server's own `codex login` (a ChatGPT subscription): no key to pass.
        return {} if (codex_home(gateway) / "auth.json").is_file() else None

    def env(self) -> dict[str, str]:
        env = super().env()
        if self.settings.codex_home:
            env["CODEX_HOME"] = str(codex_home(self.gateway))
        return env

    def argv(self, request: ChatRequest) -> list[str]:
        return [
            self.binary, "exec", "--json", "--skip-git-repo-check", "--ephemeral",
            "--sandbox", "read-only", "-c", "features.shell_tool=false",
            "--model", request.model, "-",
        ]  # fmt: skip

    def prompt(self, request: ChatRequest) -> bytes:
        text = transcript(request)
        return (f"{request.system}\n\n{text}" if request.system else text).encode()

    async def chat(self, request: ChatRequest) -> ChatResult:
        answer: str | None = None
        usage: dict[str, Any] = {}
        failure: str | None = None
        try:
            async for line in self.lines(self.argv(request), self.prompt(request)):
                event = json_line(line) or {}
                kind = event.get("type")
                item = event.get("item") or {}
                if kind == "item.completed" and item.get("type") == "agent_message":
                    answer = str(item.get("text") or "")
                elif kind == "turn.completed":
                    usage = event.get("usage") or {}
                elif kind == "turn.failed":
                    failure = str((event.get("error") or {}).get("message") or "the turn failed")
                elif kind == "error":
                    failure = str(event.get("message") or "error")
        except CLIExit as exc:
            failure = failure or exc.stderr or f"exit status {exc.returncode}"
        if failure is not None:
            raise self.failure(failure)
        if answer is None:
            raise self.failure("it ended without an answer")
        return ChatResult(
            model=request.model,
            content=answer,
            finish_reason="stop",
            input_tokens=usage.get("input_tokens"),
            output_tokens=usage.get("output_tokens"),
        )
