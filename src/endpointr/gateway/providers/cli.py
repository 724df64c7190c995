"""What the CLI providers share: running a binary as a subprocess (anyio) and reading its JSON
lines as they come.

Each run gets an empty temporary working directory, its prompt on stdin (from a file, so a
large image cannot deadlock the pipes), and an environment reduced to what a CLI needs to run
plus its token: the gateway's own variables (``ENDPOINTR_MASTER_KEY`` …) never reach a process
that a customer's prompt steers. Tokens travel in the environment, never in argv (which ``ps``
shows to every user of the machine).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
from collections.abc import AsyncGenerator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import anyio

from .base import ChatRequest, Provider, ProviderError

if TYPE_CHECKING:
    from ..gateway import Gateway

#: The server's variables a CLI may see (locale, home for its own config, proxies, CAs).
PASSED_ENV = (
    "PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR",
    "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME",
    "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy",
    "SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS",
)  # fmt: skip
_READ_SIZE = 65536
_STDERR_TAIL = 2000


class CLIExit(Exception):
    """The binary exited with a failure status; ``stderr`` is the tail of what it printed."""

    def __init__(self, returncode: int, stderr: str) -> None:
        super().__init__(f"exit status {returncode}: {stderr}")
        self.returncode = returncode
        self.stderr = stderr


def cli_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
    env.update(extra)
    return env


async def run_lines(
    argv: list[str], *, env: Mapping[str, str], stdin: bytes, timeout: float
) -> AsyncGenerator[bytes, None]:
    """Yield the process's stdout lines as it writes them.

    Raises ``OSError`` when the binary cannot be started, ``TimeoutError`` when the run passes
    ``timeout`` seconds, and :class:`CLIExit` (after the last line) on a failure status. Closing
    the iterator early kills the process (and its children).
    """
    deadline = anyio.current_time() + timeout
    with tempfile.TemporaryDirectory(prefix="endpointr-cli-") as cwd:
        stdin_path = Path(cwd) / ".prompt"
        await anyio.to_thread.run_sync(stdin_path.write_bytes, stdin)
        with stdin_path.open("rb") as stdin_file, tempfile.TemporaryFile() as stderr_file:
            stdin_path.unlink()
            process = await anyio.open_process(
                argv,
                stdin=stdin_file,
                stdout=subprocess.PIPE,
                stderr=stderr_file,
                cwd=cwd,
                env=dict(env),
                start_new_session=True,
            )
            try:
                assert process.stdout is not None
                pending = b""
                while True:
                    with anyio.fail_after(max(deadline - anyio.current_time(), 0)):
                        try:
                            chunk = await process.stdout.receive(_READ_SIZE)
                        except anyio.EndOfStream:
                            break
                    *lines, pending = (pending + chunk).split(b"\n")
                    for line in lines:
                        if line.strip():
                            yield line
                if pending.strip():
                    yield pending
                with anyio.fail_after(max(deadline - anyio.current_time(), 0)):
                    returncode = await process.wait()
                if returncode != 0:
                    stderr_file.seek(0)
                    tail = stderr_file.read()[-_STDERR_TAIL:].decode("utf-8", "replace")
                    raise CLIExit(returncode, tail.strip())
            finally:
                with anyio.CancelScope(shield=True):
                    if process.returncode is None:
                        with contextlib.suppress(ProcessLookupError):
                            os.killpg(process.pid, signal.SIGKILL)
                        await process.wait()
                    await process.aclose()


def transcript(request: ChatRequest) -> str:
    """The conversation as one prompt: a CLI takes a single user turn."""
    if len(request.messages) == 1:
        return request.messages[0].text
    return "\n\n".join(
        f"{'User' if m.role == 'user' else 'Assistant'}: {m.text}" for m in request.messages
    )


def json_line(line: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


_AUTH_HINTS = (
    "invalid api key", "/login", "oauth token", "authentication", "unauthorized", "401",
    "not logged in", "invalid_api_key", "incorrect api key",
)  # fmt: skip
_RATE_HINTS = ("rate limit", "usage limit", "429", "too many requests", "quota")
_BUSY_HINTS = ("overloaded", "529", "503", "service unavailable")


class CLIProvider(Provider):
    """A provider that is a local binary, run once per request."""

    #: The setting that names the binary.
    binary_setting: ClassVar[str]
    #: The environment variable that carries the token.
    token_env: ClassVar[str]

    @classmethod
    def resolve_credentials(
        cls, stored: Mapping[str, Any] | None, override: str | None, gateway: Gateway
    ) -> Mapping[str, Any] | None:
        field = str(cls.override_field)
        if override:
            return {field: override}
        if stored and stored.get(field):
            return stored
        return cls.server_credentials(gateway)

    @classmethod
    def server_credentials(cls, gateway: Gateway) -> Mapping[str, Any] | None:
        """The server's own credentials, the last resort (None: there are none)."""
        raise NotImplementedError

    @property
    def binary(self) -> str:
        return str(getattr(self.settings, self.binary_setting))

    def env(self) -> dict[str, str]:
        token = self.credentials.get(self.override_field or "")
        return cli_env({self.token_env: str(token)} if token else {})

    async def lines(self, argv: list[str], stdin: bytes) -> AsyncGenerator[bytes, None]:
        """The run's stdout lines; failures to start or finish in time as ProviderErrors."""
        runner = run_lines(argv, env=self.env(), stdin=stdin, timeout=self.settings.cli_timeout)
        try:
            async for line in runner:
                yield line
        except TimeoutError:  # an OSError too: first
            raise self.error(
                504,
                f"{self.name} did not finish within {self.settings.cli_timeout:g} s",
                code="cli_timeout",
            ) from None
        except OSError as exc:
            raise self.error(
                503,
                f"cannot run {self.name} ({self.binary}): {exc.strerror or exc}; install it or "
                f"set ENDPOINTR_{self.binary_setting.upper()}",
                code="cli_unavailable",
            ) from None
        finally:
            await runner.aclose()

    def failure(self, message: str) -> ProviderError:
        """A CLI's error text as a ProviderError with the status it amounts to."""
        low = message.lower()
        if any(hint in low for hint in _AUTH_HINTS):
            status, code = 401, "cli_unauthenticated"
        elif any(hint in low for hint in _RATE_HINTS):
            status, code = 429, "cli_rate_limited"
        elif any(hint in low for hint in _BUSY_HINTS):
            status, code = 503, "cli_overloaded"
        else:
            status, code = 502, "cli_failed"
        detail = message.strip()[:500] or "no detail"
        return self.error(status, f"{self.name} failed: {detail}", code=code)
