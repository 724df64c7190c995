"""Finding the master key that opens a vault.

Order: the configured key (the ``master_key`` argument, else ``ENDPOINTR_MASTER_KEY``; base64 of
32 bytes) → the OS
keyring, when its backend is a recommended one and answers in time → a key file (0600, in a
0700 folder under the user config dir, never beside the database), created with a one-time
warning. Keys are per vault (named by the vault's id), so rotating one vault's key leaves the
others alone.
"""

from __future__ import annotations

import base64
import binascii
import concurrent.futures
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .._errors import VaultKeyError
from .crypto import KEY_SIZE

KEYRING_SERVICE = "endpointr"
KEYRING_TIMEOUT = 3.0
Source = Literal["configured", "keyring", "file", "ephemeral"]


class KeyFileWarning(UserWarning):
    """The master key was written to a file because no secure keyring was available."""


def decode_key(text: str, origin: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_SIZE:
        raise VaultKeyError(f"{origin} must be the base64 encoding of {KEY_SIZE} bytes")
    return key


def encode_key(key: bytes) -> str:
    return base64.b64encode(key).decode()


@dataclass
class MasterKey:
    key: bytes
    source: Source
    location: str = ""

    def __repr__(self) -> str:  # never show the key
        return f"MasterKey(source={self.source!r}, location={self.location!r})"

    def stage(self, new: bytes) -> None:
        """Put a rotated key beside the current one, before the vault switches to it."""
        if self.source == "file":
            _write_private(Path(self.location + ".new"), encode_key(new))
        elif self.source == "keyring":
            _keyring_call("set_password", KEYRING_SERVICE, self.location + ".new", encode_key(new))

    def commit(self, new: bytes) -> None:
        """Make the staged key the current one, after the vault switched to it."""
        if self.source == "file":
            os.replace(self.location + ".new", self.location)
        elif self.source == "keyring":
            _keyring_call("set_password", KEYRING_SERVICE, self.location, encode_key(new))
            _keyring_call("delete_password", KEYRING_SERVICE, self.location + ".new")
        self.key = new

    def staged(self) -> bytes | None:
        """A rotated key left staged by an interrupted rotation, if any."""
        if self.source == "file":
            path = Path(self.location + ".new")
            return decode_key(path.read_text(), str(path)) if path.exists() else None
        if self.source == "keyring":
            text = _keyring_call("get_password", KEYRING_SERVICE, self.location + ".new")
            return decode_key(text, "the staged keyring entry") if text else None
        return None


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


_keyring_backend: Any = None
_keyring_checked = False


def _recommended_keyring() -> Any:
    """The keyring backend if it is a secure one that answers in time, else None (cached)."""
    global _keyring_backend, _keyring_checked
    if _keyring_checked:
        return _keyring_backend
    _keyring_checked = True
    try:
        import keyring
        from keyring.backends import chainer, fail, null

        backend = keyring.get_keyring()
        parts = backend.backends if isinstance(backend, chainer.ChainerBackend) else [backend]
        insecure = ("plaintext", "encrypted", "uncrypted")
        ok = bool(parts) and all(
            not isinstance(b, (fail.Keyring, null.Keyring))
            and getattr(b, "priority", 0) >= 1
            and not any(word in type(b).__name__.lower() for word in insecure)
            for b in parts
        )
        if ok:
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                pool.submit(backend.get_password, KEYRING_SERVICE, "probe").result(KEYRING_TIMEOUT)
            _keyring_backend = backend
    except Exception:  # any failure means "no usable keyring"
        _keyring_backend = None
    return _keyring_backend


def _keyring_call(method: str, *args: str) -> Any:
    backend = _recommended_keyring()
    if backend is None:
        raise VaultKeyError("the OS keyring is no longer available")
    return getattr(backend, method)(*args)


def default_key_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path("endpointr", appauthor=False) / "keys"


def resolve(
    *,
    vault_id: str,
    configured: str | bytes | None,
    key_dir: str | None,
    ephemeral: bool,
    create: bool,
) -> MasterKey:
    """Find the vault's master key; with ``create``, make and keep one if none exists yet."""
    if configured:
        origin = "master_key (or ENDPOINTR_MASTER_KEY)"
        key = configured if isinstance(configured, bytes) else decode_key(configured, origin)
        if len(key) != KEY_SIZE:
            raise VaultKeyError(f"{origin} must be {KEY_SIZE} bytes")
        return MasterKey(key, "configured")
    if ephemeral:
        return MasterKey(os.urandom(KEY_SIZE), "ephemeral")

    from .crypto import new_key

    if _recommended_keyring() is not None:
        text = _keyring_call("get_password", KEYRING_SERVICE, vault_id)
        if text:
            return MasterKey(decode_key(text, "the keyring entry"), "keyring", vault_id)
        if create:
            key = new_key()
            _keyring_call("set_password", KEYRING_SERVICE, vault_id, encode_key(key))
            return MasterKey(key, "keyring", vault_id)

    path = Path(key_dir).expanduser() if key_dir else default_key_dir()
    path = path / f"{vault_id}.key"
    if path.exists():
        return MasterKey(decode_key(path.read_text(), str(path)), "file", str(path))
    if not create:
        raise VaultKeyError(
            f"no master key found for vault {vault_id}: pass master_key=, set "
            "ENDPOINTR_MASTER_KEY, or restore the keyring entry or key file it was created with"
        )
    key = new_key()
    _write_private(path, encode_key(key))
    warnings.warn(
        f"endpointr created the vault's master key file {path} (mode 0600) because no secure OS "
        "keyring is available. Whoever can read it can open the vault: move it into a keyring "
        "or into ENDPOINTR_MASTER_KEY, then delete the file.",
        KeyFileWarning,
        stacklevel=2,
    )
    return MasterKey(key, "file", str(path))
