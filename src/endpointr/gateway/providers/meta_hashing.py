"""Meta's normalise-then-SHA-256 rules for customer data (custom audiences, Conversions API).

Meta matches people on SHA-256 hex digests of *normalised* values: an email is trimmed and
lowercased, a phone is its digits with the country code and no leading zeros, a name is its
lowercase letters. A value that is already 64 hex digits is taken as hashed and left as it is
(lowercased). Keys that Meta wants in clear (``EXTERN_ID``/``MADID`` in audiences; IP address,
user agent, ``fbc``, ``fbp`` … in the Conversions API) are only trimmed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import Any

_HASHED = re.compile(r"^[0-9a-fA-F]{64}$")
_NOT_DIGIT = re.compile(r"\D")
_US_ZIP = re.compile(r"^(\d{5})-\d{4}$")
_DATE = re.compile(r"^(\d{4})\D?(\d{2})\D?(\d{2})$")


def is_hashed(value: str) -> bool:
    return bool(_HASHED.match(value))


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _letters(value: str) -> str:
    """Lowercase letters only (any script): ``"Mary-Ann "`` -> ``"maryann"``."""
    text = unicodedata.normalize("NFC", value.strip().lower())
    return "".join(ch for ch in text if ch.isalpha())


def email(value: str) -> str:
    return value.strip().lower()


def phone(value: str) -> str:
    """Digits only, leading zeros dropped: ``"+45 12 34-56 78"`` -> ``"4512345678"``."""
    return _NOT_DIGIT.sub("", value).lstrip("0")


def gender(value: str) -> str:
    return value.strip().lower()[:1]


def zip_code(value: str) -> str:
    text = value.strip().lower()
    us = _US_ZIP.match(text)
    return us.group(1) if us else re.sub(r"[\s-]", "", text)


def birth_date(value: str) -> str:
    """``YYYYMMDD`` from ``1990-01-31``, ``1990/01/31`` or ``19900131``."""
    text = value.strip()
    match = _DATE.match(text)
    return "".join(match.groups()) if match else _NOT_DIGIT.sub("", text)


def _digits(value: str) -> str:
    return _NOT_DIGIT.sub("", value)


def _trimmed(value: str) -> str:
    return value.strip()


def _country(value: str) -> str:
    return _letters(value)[:2]


Normaliser = Callable[[str], str]

#: Custom audience schema keys -> (normaliser, hash it?).
AUDIENCE_KEYS: dict[str, tuple[Normaliser, bool]] = {
    "EMAIL": (email, True),
    "PHONE": (phone, True),
    "FN": (_letters, True),
    "LN": (_letters, True),
    "FI": (lambda v: _letters(v)[:1], True),
    "CT": (_letters, True),
    "ST": (_letters, True),
    "ZIP": (zip_code, True),
    "COUNTRY": (_country, True),
    "GEN": (gender, True),
    "DOBY": (_digits, True),
    "DOBM": (_digits, True),
    "DOBD": (_digits, True),
    "EXTERN_ID": (_trimmed, False),
    "MADID": (lambda v: v.strip().lower(), False),
}

#: Conversions API ``user_data`` keys that are normalised and hashed.
USER_DATA_KEYS: dict[str, Normaliser] = {
    "em": email,
    "ph": phone,
    "fn": _letters,
    "ln": _letters,
    "ge": gender,
    "db": birth_date,
    "ct": _letters,
    "st": _letters,
    "zp": zip_code,
    "country": _country,
    "external_id": _trimmed,
}


def audience_key(name: str) -> tuple[str, Normaliser, bool]:
    """The schema key Meta expects (``EMAIL_SHA256`` is ``EMAIL``) and how to treat values."""
    key = name.strip().upper().removesuffix("_SHA256")
    if key not in AUDIENCE_KEYS:
        known = ", ".join(AUDIENCE_KEYS)
        raise ValueError(f"unknown schema key {name!r}; use one of: {known}")
    return (key, *AUDIENCE_KEYS[key])


def hashed(value: str, normalise: Normaliser) -> tuple[str, bool]:
    """``(digest, was_already_hashed)``."""
    if is_hashed(value.strip()):
        return value.strip().lower(), True
    return sha256(normalise(value)), False


def hash_user_data(user_data: dict[str, Any]) -> tuple[dict[str, Any], int, int]:
    """A copy of a CAPI ``user_data`` with PII keys hashed; ``(copy, hashed, prehashed)``."""
    out: dict[str, Any] = {}
    counts = [0, 0]
    for key, value in user_data.items():
        normalise = USER_DATA_KEYS.get(key)
        if normalise is None or value is None:
            out[key] = value
            continue
        values = value if isinstance(value, list) else [value]
        digests = []
        for v in values:
            digest, already = hashed(str(v), normalise)
            counts[already] += 1
            digests.append(digest)
        out[key] = digests if isinstance(value, list) else digests[0]
    return out, counts[0], counts[1]
