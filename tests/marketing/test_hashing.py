"""Meta's normalise-then-hash rules, checked against SHA-256 digests computed independently
(``printf '%s' jane@example.com | sha256sum``) of the normalised values."""

from __future__ import annotations

import pytest

from endpointr.gateway.providers import meta_hashing

JANE = "8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d"  # jane@example.com
PHONE = "ba642551f3be61fa910717f54929ce98d8192daa9de39ab0142da6d43048d8ec"  # 4512345678
MARYANN = "16b3f07f0ec2f9dd127b71dc2e6c791b7d93116a1c3bc99d057eaa7a8a077e73"  # maryann
MALE = "62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a"  # m
BIRTH = "267b39628557f31a6766b3d7f8823978c276759be4a5c9c52bf868d802ba5a0d"  # 19900131
ZIP = "5994471abb01112afcc18159f6cc74b4f511b99806da59b3caf5a9c173cacfc5"  # 12345
DK = "867b4bf4357a7c0e415ffd537f61ea8785dd47113104000b534a130c98a42ce8"  # dk
CPH = "842de7b239f0d6ab17dc08d3fcfe68c090a9af0eb5285cfbc5433b3304c5ebee"  # copenhagen
JORGEN = "f98d8c772d8db494c89de4dc10a8a95ddaaedb827398b6412f15805ab9f6da1c"  # jørgen
EXTERNAL = "a045eb33f8797f35ea7d5fad7c5e0d021e2142e9c1bb6e9dc9f45b4f503b03e8"  # customer-42


@pytest.mark.parametrize(
    ("key", "raw", "digest"),
    [
        ("em", "  Jane@Example.COM ", JANE),
        ("ph", "+45 12 34 56 78", PHONE),
        ("ph", "0045-12345678", PHONE),
        ("fn", "Mary-Ann ", MARYANN),
        ("fn", "Jørgen", JORGEN),
        ("ge", "Male", MALE),
        ("db", "1990-01-31", BIRTH),
        ("zp", "12345-6789", ZIP),
        ("country", "DK", DK),
        ("ct", "Copenhagen", CPH),
        ("external_id", " customer-42", EXTERNAL),
    ],
)
def test_conversions_api_user_data(key: str, raw: str, digest: str) -> None:
    hashed, count, prehashed = meta_hashing.hash_user_data({key: raw})
    assert hashed == {key: digest}
    assert (count, prehashed) == (1, 0)


def test_hashed_values_and_unhashed_keys_pass_through() -> None:
    user_data = {
        "em": [JANE.upper(), "jane@example.com"],
        "client_ip_address": "203.0.113.7",
        "client_user_agent": "Mozilla/5.0",
        "fbc": "fb.1.1554763741205.AbCdEfGhIj",
    }
    hashed, count, prehashed = meta_hashing.hash_user_data(user_data)
    assert hashed["em"] == [JANE, JANE]
    assert hashed["client_ip_address"] == "203.0.113.7"
    assert hashed["fbc"] == "fb.1.1554763741205.AbCdEfGhIj"
    assert (count, prehashed) == (1, 1)


def test_audience_schema_keys() -> None:
    assert meta_hashing.audience_key("email")[0] == "EMAIL"
    assert meta_hashing.audience_key("EMAIL_SHA256")[0] == "EMAIL"
    key, normalise, hash_it = meta_hashing.audience_key("EXTERN_ID")
    assert (key, normalise(" c-1 "), hash_it) == ("EXTERN_ID", "c-1", False)
    with pytest.raises(ValueError, match="unknown schema key 'MAIL'"):
        meta_hashing.audience_key("MAIL")
