"""``client.keys``: PEM public keys of at least 2048 bits, never private keys."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from endpointr import BadRequestError, Endpointr, NotFoundError


def _pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.fixture(scope="module")
def rsa_2048() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_upload_and_retrieve(client: Endpointr, rsa_2048: rsa.RSAPrivateKey) -> None:
    with pytest.raises(NotFoundError, match="POST /v1/keys"):
        client.keys.retrieve()
    pem = _pem(rsa_2048)
    stored = client.keys.upload(public_key=pem)
    der = rsa_2048.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    expected = "SHA256:" + base64.b64encode(hashlib.sha256(der).digest()).decode().rstrip("=")
    assert (stored.algorithm, stored.bits, stored.fingerprint) == ("RSA", 2048, expected)
    fetched = client.keys.retrieve()
    assert fetched.public_key == pem
    assert fetched.fingerprint == expected


def test_private_key_is_refused_and_not_echoed(
    client: Endpointr, rsa_2048: rsa.RSAPrivateKey
) -> None:
    private = rsa_2048.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    with pytest.raises(BadRequestError) as info:
        client.keys.upload(public_key=private)
    assert info.value.code == "private_key_rejected"
    assert "PRIVATE" in info.value.message
    assert private.splitlines()[1] not in str(info.value.body)
    with pytest.raises(NotFoundError):
        client.keys.retrieve()


def test_short_and_non_rsa_keys_are_refused(client: Endpointr) -> None:
    short = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(BadRequestError, match="1024 bits; at least 2048"):
        client.keys.upload(public_key=_pem(short))
    with pytest.raises(BadRequestError, match="not accepted"):
        client.keys.upload(public_key=_pem(ec.generate_private_key(ec.SECP256R1())))
    with pytest.raises(BadRequestError, match="not a PEM public key"):
        client.keys.upload(public_key="-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----")
