"""Sealing secrets at rest: XChaCha20-Poly1305 with row-binding associated data.

Envelope keys: the master key wraps random *data keys*; data keys seal values. A sealed value is
``version | key id | nonce | ciphertext+tag``, and its associated data names the row it belongs to
(customer, kind, name), so a ciphertext copied to another row or customer fails to open.
Rotating the master key re-wraps the data keys and leaves every sealed value untouched.
"""

from __future__ import annotations

import struct

from nacl.exceptions import CryptoError
from nacl.secret import Aead
from nacl.utils import random as random_bytes

from .._errors import VaultError, VaultKeyError

KEY_SIZE = Aead.KEY_SIZE
_VERSION = 1
_HEADER = struct.Struct(">BI")  # version, data key id
_VALUE_AD = b"endpointr/sealed/v1"
_WRAP_AD = b"endpointr/data-key/v1"


def new_key() -> bytes:
    return random_bytes(KEY_SIZE)


def _ad(prefix: bytes, *parts: str | int) -> bytes:
    out = bytearray(prefix)
    for part in parts:
        raw = str(part).encode()
        out += struct.pack(">I", len(raw)) + raw
    return bytes(out)


def wrap_data_key(master: bytes, data_key: bytes, *, key_id: int, vault_id: str) -> bytes:
    return bytes(Aead(master).encrypt(data_key, _ad(_WRAP_AD, key_id, vault_id)))


def unwrap_data_key(master: bytes, wrapped: bytes, *, key_id: int, vault_id: str) -> bytes:
    try:
        return Aead(master).decrypt(wrapped, _ad(_WRAP_AD, key_id, vault_id))
    except CryptoError:
        raise VaultKeyError(
            "the master key does not open this vault (wrong key for "
            f"vault {vault_id}); nothing was changed"
        ) from None


class Sealer:
    """Seals and opens values with the vault's data keys (already unwrapped, in memory)."""

    def __init__(self, data_keys: dict[int, bytes], active_key_id: int) -> None:
        self._boxes = {kid: Aead(key) for kid, key in data_keys.items()}
        self._active = active_key_id

    def seal(self, plaintext: bytes, *, customer: str | int, kind: str, name: str) -> bytes:
        header = _HEADER.pack(_VERSION, self._active)
        ad = _ad(_VALUE_AD, self._active, customer, kind, name)
        return header + bytes(self._boxes[self._active].encrypt(plaintext, ad))

    def open(self, sealed: bytes, *, customer: str | int, kind: str, name: str) -> bytes:
        if len(sealed) < _HEADER.size:
            raise VaultError(f"sealed {kind} {name!r} is truncated")
        version, key_id = _HEADER.unpack_from(sealed)
        box = self._boxes.get(key_id)
        if version != _VERSION or box is None:
            raise VaultError(f"sealed {kind} {name!r} uses an unknown format or key")
        try:
            return box.decrypt(sealed[_HEADER.size :], _ad(_VALUE_AD, key_id, customer, kind, name))
        except CryptoError:
            raise VaultError(
                f"sealed {kind} {name!r} failed to open: it was altered or belongs to another row"
            ) from None
