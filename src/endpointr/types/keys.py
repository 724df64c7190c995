from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ._base import Model, Params


class PublicKeyUpload(Params):
    public_key: str = Field(alias="publicKey", description="PEM public key, RSA of ≥ 2048 bits.")


class PublicKey(Model):
    public_key: str = Field(alias="publicKey")
    algorithm: str
    bits: int
    fingerprint: str = Field(description="SHA256:<base64> of the DER SubjectPublicKeyInfo.")
    updated_at: datetime
