"""A real ``endpointr serve`` in a subprocess, on a random 127.0.0.1 port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    def __init__(self, vault: Path, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "endpointr.cli", "serve", "--vault", str(vault),
                "--port", str(self.port), "--no-init", "--log-level", "warning",
            ],
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.log_path = log
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"endpointr serve exited:\n{log.read_text()}")
            try:
                httpx.get(f"{self.url}/openapi.json", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        self.close()
        raise RuntimeError(f"endpointr serve did not start:\n{log.read_text()}")

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()
