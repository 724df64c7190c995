"""Short-lived public image files: ``POST /v1/ai/upload`` writes them, ``GET /uploads/<name>``
serves them without auth (the 128-bit name is the secret), and vision inlines them.

Files live in one folder (``Settings.uploads_dir``, default ``uploads`` beside the vault, so a
throw-away vault's uploads go with it). Expiry is the gateway's own job: a read of an expired
file deletes it and answers 404, and every write first sweeps the folder of expired files (at
most once a minute, tracked by a marker file's mtime so that processes sharing the folder share
the schedule). Nothing is kept in memory.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import anyio

from .._media import EXTENSIONS, MIME_TYPES

if TYPE_CHECKING:
    from .gateway import Gateway
    from .http import Request

TTL_SECONDS = 30 * 60
MAX_BYTES = 25_000_000  # 25 MB; its base64 fits the default 32 MiB body limit
SWEEP_EVERY = 60.0
PUBLIC_PREFIX = "/uploads/"
_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|gif|webp)$")
_FORMATS = {ext: fmt for fmt, ext in EXTENSIONS.items()}
_MARKER = ".last-sweep"


@dataclass(frozen=True, slots=True)
class Stored:
    name: str
    format: str
    size: int
    expires_at: float


@dataclass(frozen=True, slots=True)
class Found:
    data: bytes
    format: str
    expires_at: float


def uploads_dir(gateway: Gateway) -> Path:
    configured = gateway.settings.uploads_dir
    if configured:
        return Path(configured).expanduser()
    return Path(gateway.store.location).parent / "uploads"


def public_url(gateway: Gateway, request: Request, name: str) -> str:
    """``Settings.public_base_url`` + the path, else the URL the caller reached us at."""
    base = gateway.settings.public_base_url
    if not base:
        headers = request.headers
        host = headers.get("x-forwarded-host") or headers.get("host") or "localhost"
        scheme = headers.get("x-forwarded-proto", "http").split(",")[0].strip() or "http"
        base = f"{scheme}://{host.split(',')[0].strip()}"
    return base.rstrip("/") + PUBLIC_PREFIX + name


def name_in(url_path: str) -> str | None:
    """The upload name when ``url_path`` is an upload's path (``/uploads/<hex>.<ext>``)."""
    if not url_path.startswith(PUBLIC_PREFIX):
        return None
    name = url_path[len(PUBLIC_PREFIX) :]
    return name if _NAME.match(name) else None


class UploadStore:
    def __init__(self, folder: Path, ttl: float = TTL_SECONDS) -> None:
        self.folder = folder
        self.ttl = ttl

    @classmethod
    def of(cls, gateway: Gateway) -> UploadStore:
        return cls(uploads_dir(gateway))

    async def save(self, data: bytes, fmt: str) -> Stored:
        return await anyio.to_thread.run_sync(self._save, data, fmt)

    async def read(self, name: str) -> Found | None:
        """The file's bytes, or None when there is no such upload or it has expired."""
        return await anyio.to_thread.run_sync(self._read, name)

    def sweep(self) -> int:
        """Delete every expired file; how many were deleted."""
        deleted = 0
        now = time.time()
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return 0
        for entry in entries:
            if _NAME.match(entry.name) and self._expired(entry.stat().st_mtime, now):
                deleted += _unlink(Path(entry.path))
        return deleted

    # -- in a worker thread -----------------------------------------------------------------

    def _save(self, data: bytes, fmt: str) -> Stored:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._sweep_if_due()
        name = f"{secrets.token_hex(16)}.{EXTENSIONS[fmt]}"
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, self.folder / name)
        except BaseException:
            _unlink(Path(tmp))
            raise
        return Stored(name, fmt, len(data), time.time() + self.ttl)

    def _read(self, name: str) -> Found | None:
        if not _NAME.match(name):
            return None
        path = self.folder / name
        try:
            mtime = path.stat().st_mtime
            if self._expired(mtime, time.time()):
                _unlink(path)
                return None
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        return Found(data, _FORMATS[name.rsplit(".", 1)[1]], mtime + self.ttl)

    def _expired(self, mtime: float, now: float) -> bool:
        return now - mtime >= self.ttl

    def _sweep_if_due(self) -> None:
        marker = self.folder / _MARKER
        try:
            due = time.time() - marker.stat().st_mtime >= SWEEP_EVERY
        except FileNotFoundError:
            due = True
        if due:
            marker.touch()
            self.sweep()


def _unlink(path: Path) -> int:
    try:
        path.unlink()
    except FileNotFoundError:
        return 0
    return 1


__all__ = ["MAX_BYTES", "MIME_TYPES", "TTL_SECONDS", "UploadStore", "name_in", "public_url"]
