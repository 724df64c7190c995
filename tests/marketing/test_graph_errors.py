"""What a caller sees when Graph says no: our status, Meta's details kept, the contract's hint;
rate limits as 429 with Retry-After; missing credentials; the appsecret_proof."""

from __future__ import annotations

import json

import pytest

from endpointr import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    Endpointr,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)
from endpointr.gateway.providers.meta_graph import appsecret_proof
from tests.support.meta_graph import APP_SECRET, TOKEN, FakeGraph

LIST = "act_1001/campaigns"


def _list(meta: Endpointr) -> None:
    meta.marketing.campaigns.list(account_id="act_1001", refresh=True)


def test_appsecret_proof_is_meta_s_hmac() -> None:
    # printf '%s' EAAB-system-user-token |
    #     openssl dgst -sha256 -hmac abcdef0123456789abcdef0123456789
    expected = "f563afacca9ce18a8d99ab6a6034ef47dadb23dfae572a42ff0a5b151283b55e"
    assert appsecret_proof(APP_SECRET, TOKEN) == expected


def test_every_call_carries_token_and_proof(meta: Endpointr, graph: FakeGraph) -> None:
    _list(meta)
    call = graph.calls[-1]
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    assert call.params["appsecret_proof"] == appsecret_proof(APP_SECRET, TOKEN)
    assert "access_token" not in call.params  # never in a URL


@pytest.mark.parametrize(
    ("error", "exc", "slug", "hint"),
    [
        (
            {"code": 190, "subcode": 463,
             "message": "Error validating access token: Session has expired"},
            AuthenticationError, "meta_token_invalid", "System User token",
        ),
        (
            {"code": 10, "message": "(#10) You do not have permission to perform this action"},
            PermissionDeniedError, "meta_permission_denied", "Add Assets",
        ),
        (
            {"code": 368, "message": "The action attempted has been deemed abusive"},
            PermissionDeniedError, "meta_blocked", "appsecret_proof",
        ),
        (
            {"code": 100, "message": "(#100) Param account_id must be a valid ad account id"},
            BadRequestError, "meta_invalid_request", "act_ prefix",
        ),
        (
            {"code": 100, "subcode": 33, "message": "Unsupported get request."},
            NotFoundError, "meta_not_found", None,
        ),
    ],
)  # fmt: skip
def test_graph_errors_keep_meta_s_details_and_add_the_hint(
    meta: Endpointr,
    graph: FakeGraph,
    error: dict[str, object],
    exc: type[APIStatusError],
    slug: str,
    hint: str | None,
) -> None:
    graph.fail(
        "GET", LIST, code=int(error["code"]), subcode=error.get("subcode"),  # type: ignore[arg-type]
        message=str(error["message"]),
    )  # fmt: skip
    with pytest.raises(exc) as info:
        _list(meta)
    body = info.value.body["error"]  # type: ignore[index]
    assert body["code"] == slug
    assert body["meta"]["code"] == error["code"]
    assert body["meta"].get("error_subcode") == error.get("subcode")
    assert body["meta"]["fbtrace_id"].startswith("AbCdEf")
    assert str(error["message"]) in info.value.message
    if hint:
        assert hint in body["hint"]
        assert hint in info.value.message
    assert TOKEN not in json.dumps(info.value.body)


def test_rate_limits_are_429_with_meta_s_wait(meta: Endpointr, graph: FakeGraph) -> None:
    usage = {"1001": [{"type": "ads_management", "call_count": 100, "total_cputime": 40,
                       "total_time": 60, "estimated_time_to_regain_access": 5}]}  # fmt: skip
    graph.fail(
        "GET", LIST, code=17, message="(#17) User request limit reached",
        headers={"x-business-use-case-usage": json.dumps(usage)},
    )  # fmt: skip
    with pytest.raises(RateLimitError) as info:
        _list(meta)
    assert info.value.response.headers["retry-after"] == "300"  # 5 minutes
    assert info.value.body["error"]["meta"]["code"] == 17  # type: ignore[index]
    assert graph.count("GET", LIST) == 1  # 5 minutes away: the SDK does not retry


def test_a_short_rate_limit_is_retried_by_the_sdk(meta: Endpointr, graph: FakeGraph) -> None:
    graph.fail(
        "GET", LIST, code=80004, message="There have been too many calls to this ad-account",
        headers={"x-ad-account-usage": json.dumps({"reset_time_duration": 1})},
    )  # fmt: skip
    _list(meta)  # waited the second Meta asked for, then succeeded
    assert graph.count("GET", LIST) == 2


def test_transient_graph_errors_are_retried(meta: Endpointr, graph: FakeGraph) -> None:
    graph.fail("GET", LIST, code=2, message="An unexpected error has occurred.", status=500)
    _list(meta)
    assert graph.count("GET", LIST) == 2


def test_missing_credentials_say_how_to_store_them(client: Endpointr, graph: FakeGraph) -> None:
    with pytest.raises(AuthenticationError) as info:
        client.marketing.campaigns.list(account_id="act_1001")
    assert info.value.code == "meta_credentials_missing"
    assert "PUT /v1/credentials/meta-ads" in info.value.message
    assert graph.calls == []


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("../me", "is not a Graph object id"),
        ("123?fields=access_token", "is not a Graph object id"),
        ("1 2", "is not a Graph object id"),
        ("", "campaign_id: String should have at least 1 character"),
    ],
)
def test_ids_that_are_not_graph_ids_never_reach_meta(
    meta: Endpointr, graph: FakeGraph, bad: str, message: str
) -> None:
    with pytest.raises(BadRequestError, match=message):
        meta.marketing.ad_sets.list(campaign_id=bad, refresh=True)
    assert graph.calls == []
