"""``client.auth`` and the JWTs behind remote mode, checked with PyJWT."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest

from endpointr import AuthenticationError, BadRequestError, Endpointr
from tests.conftest import Harness


def test_issue_gives_a_jwt_that_pyjwt_accepts(client: Endpointr) -> None:
    token = client.auth.issue()
    header = jwt.get_unverified_header(token.token)
    claims = jwt.decode(token.token, options={"verify_signature": False})
    assert header["alg"] == "HS256"
    assert set(claims) == {"iss", "aud", "sub", "jti", "iat", "exp"}
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["jti"] == token.jti
    assert 3590 <= token.expires_in <= 3600
    assert token.token not in repr(token)


def test_introspect_rotate_revoke(client: Endpointr) -> None:
    first = client.auth.issue()
    info = client.auth.introspect()
    assert info.valid and info.reason is None and info.jti == first.jti
    assert info.user is not None and info.user.name.startswith("t-")
    assert not info.expired and not info.revoked

    rotated = client.auth.rotate()
    assert rotated.jti != first.jti
    old = client.auth.introspect(first.token)
    assert (old.valid, old.reason, old.revoked) == (False, "revoked", True)
    assert client.auth.introspect().jti == rotated.jti

    revoked = client.auth.revoke()
    assert revoked.jti == rotated.jti and revoked.revoked
    assert client.auth.introspect(rotated.token).reason == "revoked"
    # The client replaces its revoked token on the next call by itself.
    assert client.vault.list() == []
    assert client.auth.introspect().valid


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("not-a-jwt", "malformed"),
        (jwt.encode({"sub": "1"}, "x" * 32, algorithm="HS256"), "bad_signature"),
        (
            jwt.encode(
                {
                    "iss": "endpointr",
                    "aud": "endpointr",
                    "sub": "1",
                    "jti": "j",
                    "iat": 1,
                    "exp": 2,
                },
                "y" * 32,
                algorithm="HS256",
            ),
            "bad_signature",
        ),
    ],
)
def test_introspect_reasons(client: Endpointr, token: str, reason: str) -> None:
    info = client.auth.introspect(token)
    assert (info.valid, info.reason) == (False, reason)


def test_introspect_without_bearer_says_missing(harness: Harness) -> None:
    raw = httpx.get(f"{harness.server.url}/v1/token").json()
    assert raw["data"]["valid"] is False and raw["data"]["reason"] == "missing"


def test_wrong_api_key_is_401(harness: Harness) -> None:
    bad = Endpointr(api_key="epk_wrong", base_url=harness.server.url)
    with bad, pytest.raises(AuthenticationError) as info:
        bad.vault.list()
    assert info.value.code == "invalid_api_key"


def test_issue_with_explicit_api_key(harness: Harness) -> None:
    new = harness.admin.create_customer(f"explicit-{time.time_ns()}")
    with harness.local("someone-else") as local:
        token = local.auth.issue(api_key=new.api_key)
        assert local.auth.introspect(token.token).user.name == new.name  # type: ignore[union-attr]
        with pytest.raises(AuthenticationError):
            local.auth.issue(api_key="epk_nope")


def test_remote_without_api_key_in_body_is_400(harness: Harness) -> None:
    response = httpx.post(f"{harness.server.url}/v1/token", json={})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "missing_api_key"


def test_expired_token_is_refused_then_replaced(harness: Harness) -> None:
    """A token the server says expired is exchanged again once, transparently."""
    new = harness.admin.create_customer(f"expiry-{time.time_ns()}")
    with Endpointr(api_key=new.api_key, base_url=harness.server.url) as c:
        c.vault.list()
        key = harness.admin._run(harness.admin._gateway.auth._signing_key())
        expired = jwt.encode(
            {
                "iss": "endpointr",
                "aud": "endpointr",
                "sub": str(new.id),
                "jti": "expired-jti",
                "iat": int(time.time()) - 7200,
                "exp": int(time.time()) - 3600,
            },
            key,
            algorithm="HS256",
        )
        assert c.auth.introspect(expired).reason == "expired"
        raw = httpx.get(
            f"{harness.server.url}/v1/vault", headers={"authorization": f"Bearer {expired}"}
        )
        assert raw.status_code == 401 and raw.json()["error"]["code"] == "token_expired"
        # Plant the expired token in the client: its next call re-exchanges and succeeds.
        c._tokens.token = c._tokens.token.model_copy(update={"token": expired})  # type: ignore[union-attr]
        assert c.vault.list() == []
        assert c.auth.introspect().valid


def test_missing_api_key_for_remote_is_a_clear_error() -> None:
    from endpointr import EndpointrError

    with pytest.raises(EndpointrError, match="api_key"):
        Endpointr(base_url="http://127.0.0.1:1")


def test_token_route_rejects_unknown_fields(client: Endpointr) -> None:
    with pytest.raises(BadRequestError, match="unknown field"):
        client._request("POST", "/v1/token", json={"apikey": "x"}, cast=dict, auth="none")


def test_remote_client_rotates_its_token_before_expiry(
    harness: Harness, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """With 121 s tokens the client's 120 s safety margin is reached after one second: the
    next call rotates (PATCH /v1/token), so the old jti is revoked and the call succeeds."""
    from tests.support.server import ServerProcess

    root = tmp_path_factory.mktemp("short-ttl")
    env = {"ENDPOINTR_MASTER_KEY": harness.settings.master_key.get_secret_value(),  # type: ignore[union-attr]
           "ENDPOINTR_JWT_TTL": "121", "ENDPOINTR_KEY_DIR": str(root)}  # fmt: skip
    server = ServerProcess(harness.vault, env, root / "server.log")
    try:
        new = harness.admin.create_customer(f"ttl-{time.time_ns()}")
        with Endpointr(api_key=new.api_key, base_url=server.url) as c:
            c.vault.list()
            first = c._tokens.token
            assert first is not None
            time.sleep(1.5)
            c.vault.list()
            second = c._tokens.token
            assert second is not None
            assert second.jti != first.jti
            assert c.auth.introspect(first.token).reason == "revoked"
            assert c.auth.introspect(second.token).valid
    finally:
        server.close()
