"""claude-cli: Claude Code's ``claude -p`` on a Claude subscription (``claude setup-token``).

Every run speaks stream-json both ways: the request is one user message on stdin (text and
base64 image blocks), the answer is JSON lines ending in a ``result`` line. Streams add
``--include-partial-messages`` and go out as SSE frames, one line each. Tools are switched off
(``--tools ""``) and no MCP server loads: a prompt must not be able to read the server's files.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any

from ...types.ai import finish_reason, total_input_tokens
from .anthropic import image_block
from .base import ChatRequest, ChatResult, StreamResult
from .cli import CLIExit, CLIProvider, json_line, transcript
from .http import error_frame

if TYPE_CHECKING:
    from ..gateway import Gateway

#: Lines after which the answer has begun (before them, a failure is still an HTTP error).
_CONTENT_STARTED = frozenset({"stream_event", "assistant", "result"})


class ClaudeCli(CLIProvider):
    name = "claude-cli"
    override_field = "oauth_token"
    binary_setting = "claude_cli_path"
    token_env = "CLAUDE_CODE_OAUTH_TOKEN"

    @classmethod
    def server_credentials(cls, gateway: Gateway) -> Mapping[str, Any] | None:
        server = gateway.settings.claude_code_oauth_token
        return {"oauth_token": server.get_secret_value()} if server else None

    def argv(self, request: ChatRequest, *, partial: bool) -> list[str]:
        argv = [
            self.binary, "-p", "--input-format", "stream-json", "--output-format", "stream-json",
            "--verbose", "--model", request.model, "--tools", "", "--strict-mcp-config",
        ]  # fmt: skip
        if request.system:
            argv += ["--system-prompt", request.system]
        if partial:
            argv.append("--include-partial-messages")
        return argv

    async def stdin(self, request: ChatRequest) -> bytes:
        images = [await self.inline(p) for m in request.messages for p in m.images]
        content = [*(image_block(p) for p in images), {"type": "text", "text": transcript(request)}]
        line = {"type": "user", "message": {"role": "user", "content": content}}
        return json.dumps(line, separators=(",", ":")).encode() + b"\n"

    def result_error(self, result: dict[str, Any]) -> Exception | None:
        if result.get("is_error") or result.get("subtype", "success") != "success":
            return self.failure(str(result.get("result") or result.get("subtype") or "error"))
        return None

    async def chat(self, request: ChatRequest) -> ChatResult:
        model, stop, result = request.model, None, None
        try:
            async for line in self.lines(
                self.argv(request, partial=False), await self.stdin(request)
            ):
                event = json_line(line) or {}
                kind = event.get("type")
                if kind == "system" and event.get("model"):
                    model = str(event["model"])
                elif kind == "assistant":
                    stop = (event.get("message") or {}).get("stop_reason") or stop
                elif kind == "result":
                    result = event
        except CLIExit as exc:
            if result is None:
                raise self.failure(exc.stderr or f"exit status {exc.returncode}") from None
        if result is None:
            raise self.failure("it ended without a result")
        error = self.result_error(result)
        if error is not None:
            raise error
        usage = result.get("usage") or {}
        return ChatResult(
            model=model,
            content=str(result.get("result") or ""),
            finish_reason=finish_reason(result.get("stop_reason") or stop or "end_turn"),
            input_tokens=total_input_tokens(usage),
            output_tokens=usage.get("output_tokens"),
        )

    async def stream(self, request: ChatRequest) -> StreamResult:
        lines = self.lines(self.argv(request, partial=True), await self.stdin(request))
        head: list[bytes] = []
        model = request.model
        try:
            async for line in lines:
                head.append(line)
                event = json_line(line) or {}
                if event.get("type") == "system" and event.get("model"):
                    model = str(event["model"])
                if event.get("type") == "result":
                    error = self.result_error(event)
                    if error is not None:
                        raise error
                if event.get("type") in _CONTENT_STARTED:
                    break
            else:
                raise self.failure("it ended before answering")
        except CLIExit as exc:
            raise self.failure(exc.stderr or f"exit status {exc.returncode}") from None
        except BaseException:
            await lines.aclose()
            raise
        return StreamResult(model, self._frames(head, lines))

    async def _frames(
        self, head: list[bytes], lines: AsyncGenerator[bytes, None]
    ) -> AsyncIterator[bytes]:
        """Each stream-json line as an SSE frame (anything else the CLI prints is left out); a
        failure after the start as an error frame."""
        try:
            for line in head:
                if line.startswith(b"{"):
                    yield b"data: " + line + b"\n\n"
            async for line in lines:
                if line.startswith(b"{"):
                    yield b"data: " + line + b"\n\n"
        except CLIExit as exc:
            failure = self.failure(exc.stderr or f"exit status {exc.returncode}")
            yield error_frame(failure.message, code=failure.code)
        except Exception as exc:
            message = getattr(exc, "message", None) or f"{self.name} failed mid-stream"
            yield error_frame(str(message), code=getattr(exc, "code", None))
        finally:
            await lines.aclose()
