"""Images as bytes: magic-number sniffing, data URIs and base64, for the gateway and the SDK.

A caller's hint (a ``format`` field, a data URI's media type, a file name) is never trusted over
the bytes themselves: providers reject an image whose declared type does not match its content.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from pathlib import Path
from typing import IO

#: format -> MIME type, for the formats every vision and image provider accepts.
MIME_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
EXTENSIONS = {"png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp"}
_DATA_URI = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+)?(?P<params>(;[^;,]*)*?);base64,", re.I)


class MediaError(ValueError):
    """Bytes or text that are not an image in an accepted format; the message says why."""


def sniff(data: bytes) -> str | None:
    """``png``, ``jpeg``, ``gif`` or ``webp`` from the magic numbers; ``None`` for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def image_format(data: bytes, what: str = "the image") -> str:
    """The sniffed format, or :class:`MediaError` naming the accepted ones."""
    found = sniff(data)
    if found is None:
        raise MediaError(f"{what} is not a PNG, JPEG, GIF or WebP image (by its first bytes)")
    return found


def decode_base64(text: str, what: str = "the image") -> bytes:
    """Standard or URL-safe base64, whitespace and missing padding tolerated."""
    cleaned = "".join(text.split())
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        if "-" in cleaned or "_" in cleaned:
            return base64.urlsafe_b64decode(cleaned)
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        raise MediaError(f"{what} is not valid base64") from None


def is_data_uri(text: str) -> bool:
    return text[:5].lower() == "data:"


def parse_data_uri(uri: str, what: str = "the image") -> tuple[bytes, str]:
    """``data:image/png;base64,...`` -> (bytes, sniffed format)."""
    match = _DATA_URI.match(uri)
    if match is None:
        raise MediaError(f"{what} is a data: URI but not a base64 one (data:image/png;base64,...)")
    data = decode_base64(uri[match.end() :], what)
    return data, image_format(data, what)


def data_uri(data: bytes, fmt: str) -> str:
    return f"data:{MIME_TYPES[fmt]};base64,{base64.b64encode(data).decode('ascii')}"


def read_image(source: bytes | str | os.PathLike[str] | IO[bytes]) -> bytes:
    """The bytes of ``source``: bytes as they are, a path's file, or a binary file's rest."""
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        return Path(source).expanduser().read_bytes()
    data = source.read()
    if not isinstance(data, bytes):
        raise TypeError("open the image file in binary mode ('rb')")
    return data
