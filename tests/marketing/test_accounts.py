"""Ad accounts, Pages, pixels and the Conversions API, catalogs, and the token, in both modes."""

from __future__ import annotations

import time

import pytest

from endpointr import BadRequestError, Endpointr
from tests.marketing.test_hashing import JANE, PHONE
from tests.support.meta_graph import BUSINESS_ID, CREDENTIALS, PAGE_TOKEN, FakeGraph


def test_ad_accounts_via_me_or_the_business(meta: Endpointr, graph: FakeGraph) -> None:
    graph.add_account("2002", name="Second")
    accounts = meta.marketing.ad_accounts.list()
    assert accounts.source == "live"
    assert {a.id for a in accounts.collection} == {"act_1001", "act_2002"}
    assert graph.calls[-1].path == "me/adaccounts"
    assert meta.marketing.ad_accounts.list().source == "local"
    assert meta.marketing.ad_accounts.retrieve("2002").name == "Second"  # act_ added

    meta.credentials.set("meta-ads", **CREDENTIALS, business_id=BUSINESS_ID)
    business = meta.marketing.ad_accounts.list()
    assert business.source == "live"  # another owner: listed afresh
    assert graph.calls[-1].path == f"{BUSINESS_ID}/owned_ad_accounts"


def test_pages_never_keep_their_tokens(meta: Endpointr, graph: FakeGraph) -> None:
    page = graph.add("page", name="Acme DK", category="Retail", tasks=["ADVERTISE"])
    listed = meta.marketing.pages.list()
    assert [p.name for p in listed.collection] == ["Acme DK"]
    assert listed.collection[0].access_token is None

    with_tokens = meta.marketing.pages.list(include_access_tokens=True)
    assert with_tokens.source == "live"
    assert with_tokens.collection[0].access_token == PAGE_TOKEN
    assert "access_token" in graph.calls[-1].params["fields"]
    mirrored = meta.marketing.pages.list()
    assert mirrored.source == "local"
    assert mirrored.collection[0].access_token is None
    assert meta.marketing.pages.retrieve(page["id"]).access_token is None


def test_pixels_and_conversions_api_hash_user_data(meta: Endpointr, graph: FakeGraph) -> None:
    pixel = graph.add("pixel", account_id="1001", name="Web pixel")
    assert [p.id for p in meta.marketing.pixels.list(account_id="act_1001").collection] == [
        pixel["id"]
    ]
    assert meta.marketing.pixels.retrieve(pixel["id"]).name == "Web pixel"

    before = int(time.time())
    result = meta.marketing.pixels.create(
        pixel_id=pixel["id"],
        events=[
            {
                "event_name": "Purchase",
                "action_source": "website",
                "event_source_url": "https://example.com/checkout/success",
                "user_data": {
                    "em": "Jane@Example.com",
                    "ph": "+4512345678",
                    "client_ip_address": "203.0.113.7",
                },
                "custom_data": {"currency": "DKK", "value": 499},
            }
        ],
        test_event_code="TEST123",
    )
    assert result.events_received == 1
    assert result.test_event_code == "TEST123"
    sent = graph.calls[-1]
    assert sent.path == f"{pixel['id']}/events"
    assert sent.data["test_event_code"] == "TEST123"
    (event,) = sent.data["data"]
    assert event["user_data"] == {"em": JANE, "ph": PHONE, "client_ip_address": "203.0.113.7"}
    assert event["event_time"] >= before  # filled in when omitted
    assert event["custom_data"] == {"currency": "DKK", "value": 499}

    with pytest.raises(BadRequestError, match="action_source: Field required"):
        meta.marketing.pixels.create(pixel_id=pixel["id"], events=[{"event_name": "Lead"}])


def test_catalogs_need_a_business(meta: Endpointr, graph: FakeGraph) -> None:
    with pytest.raises(BadRequestError, match="add business_id"):
        meta.marketing.catalogs.list()
    meta.credentials.set("meta-ads", **CREDENTIALS, business_id=BUSINESS_ID)
    catalog = graph.add("catalog", name="Shop", product_count=2, vertical="commerce")
    graph.add("product_set", catalog_id=catalog["id"], name="All products")
    graph.add("product", catalog_id=catalog["id"], name="Mug", retailer_id="SKU-1")
    graph.add("diagnostic", catalog_id=catalog["id"], type="MISSING_IMAGE", severity="MUST_FIX")
    assert [c.name for c in meta.marketing.catalogs.list().collection] == ["Shop"]
    assert meta.marketing.catalogs.retrieve(catalog["id"]).product_count == 2
    sets = meta.marketing.catalogs.product_sets(catalog["id"])
    assert [s["id"] for s in sets.collection] == [graph.live("product_set")[0]["id"]]
    assert graph.calls[-1].path == f"{catalog['id']}/product_sets"
    assert len(meta.marketing.catalogs.products(catalog["id"]).collection) == 1
    assert len(meta.marketing.catalogs.diagnostics(catalog["id"]).collection) == 1


def test_auth_inspects_the_token(meta: Endpointr, graph: FakeGraph) -> None:
    report = meta.marketing.auth.inspect()
    assert report.debug_token is not None and report.scopes is not None
    assert report.debug_token.type == "SYSTEM_USER"
    assert report.debug_token.never_expires
    assert "ads_management" in report.scopes.granted
    assert report.scopes.declined == ["pages_manage_metadata"]
    debug_call = next(c for c in graph.calls if c.path == "debug_token")
    assert debug_call.params["input_token"] == CREDENTIALS["access_token"]
    assert debug_call.headers["authorization"] == (
        f"Bearer {CREDENTIALS['app_id']}|{CREDENTIALS['app_secret']}"
    )
    assert meta.marketing.auth.scopes().granted == report.scopes.granted
    assert meta.marketing.auth.debug_token().is_valid is True


def test_extend_returns_or_stores_the_long_lived_token(meta: Endpointr, graph: FakeGraph) -> None:
    extended = meta.marketing.auth.extend()
    assert extended.access_token == "EAAB-long-lived"
    assert extended.expires_in == 5183944
    exchange = graph.calls[-1]
    assert exchange.params["grant_type"] == "fb_exchange_token"
    assert exchange.params["fb_exchange_token"] == CREDENTIALS["access_token"]

    graph.valid_tokens.add("EAAB-long-lived")
    stored = meta.marketing.auth.extend(store=True)
    assert stored.stored is True
    assert stored.access_token is None
    meta.marketing.ad_accounts.list(refresh=True)
    assert graph.calls[-1].headers["authorization"] == "Bearer EAAB-long-lived"


def test_a_customer_can_pin_the_api_version(meta: Endpointr, graph: FakeGraph) -> None:
    meta.marketing.ad_accounts.list(refresh=True)
    assert graph.calls[-1].version == "v24.0"  # the operator's default
    meta.credentials.set("meta-ads", **CREDENTIALS, api_version="v23.0")
    meta.marketing.ad_accounts.list(refresh=True)
    assert graph.calls[-1].version == "v23.0"
