"""Ad sets, ads, creatives and audiences through ``client.marketing``, in both modes."""

from __future__ import annotations

import pytest

from endpointr import BadRequestError, Endpointr, MethodNotAllowedError, NotFoundError
from tests.marketing.test_hashing import JANE, PHONE
from tests.support.meta_graph import FakeGraph

ACCOUNT = "act_1001"
TARGETING = {"geo_locations": {"countries": ["DK", "SE", "NO"]}, "age_min": 25, "age_max": 55}


def _campaign(meta: Endpointr) -> str:
    return meta.marketing.campaigns.create(
        account_id=ACCOUNT, name="Parent", objective="OUTCOME_TRAFFIC"
    ).id


def test_ad_set_create_update_and_list_by_campaign(meta: Endpointr, graph: FakeGraph) -> None:
    campaign = _campaign(meta)
    ad_set = meta.marketing.ad_sets.create(
        account_id=ACCOUNT,
        campaign_id=campaign,
        name="EU desktop — clicks",
        billing_event="IMPRESSIONS",
        optimization_goal="LINK_CLICKS",
        targeting=TARGETING,
        daily_budget=2500,
        start_time="2026-06-01T00:00:00+0000",
        extra_body={"is_dynamic_creative": False},
    )
    sent = next(c for c in graph.calls if c.method == "POST" and c.path == "act_1001/adsets")
    assert sent.data["targeting"] == TARGETING  # JSON-encoded for Graph, as Meta wants it
    assert sent.data["is_dynamic_creative"] == "false"
    assert ad_set.campaign_id == campaign
    assert ad_set.targeting == TARGETING
    assert ad_set.daily_budget == 2500

    assert meta.marketing.ad_sets.update(ad_set.id, daily_budget=4000).daily_budget == 4000
    assert meta.marketing.ad_sets.pause(ad_set.id).status == "PAUSED"

    listed = meta.marketing.ad_sets.list(campaign_id=campaign)
    assert listed.source == "live"
    assert [a.id for a in listed.collection] == [ad_set.id]
    assert graph.calls[-1].path == f"{campaign}/adsets"  # the campaign's own edge
    assert meta.marketing.ad_sets.list(campaign_id=campaign).source == "local"


def test_ad_set_budget_rules(meta: Endpointr) -> None:
    with pytest.raises(BadRequestError, match="not both"):
        meta.marketing.ad_sets.create(
            account_id=ACCOUNT, campaign_id="1", name="x", billing_event="IMPRESSIONS",
            optimization_goal="REACH", targeting=TARGETING, daily_budget=1, lifetime_budget=2,
        )  # fmt: skip
    with pytest.raises(BadRequestError, match="targeting: Field required"):
        meta._request(
            "POST",
            "/v1/marketing/ad-sets",
            json={"account_id": ACCOUNT, "campaign_id": "1", "name": "x",
                  "billing_event": "IMPRESSIONS", "optimization_goal": "REACH"},
            cast=dict,
        )  # fmt: skip
    with pytest.raises(BadRequestError, match="pass account_id, campaign_id, or both"):
        meta.marketing.ad_sets.list()


def test_ads_with_existing_and_inline_creatives(meta: Endpointr, graph: FakeGraph) -> None:
    graph.seed_tree(ACCOUNT, campaigns=1, adsets=1, ads=0)
    (adset,) = graph.live("adset")
    creative = meta.marketing.creatives.create(
        account_id=ACCOUNT,
        name="Spring landing creative",
        object_story_spec={"page_id": "0", "link_data": {"link": "https://example.com/spring"}},
    )
    ad = meta.marketing.ads.create(
        account_id=ACCOUNT, name="Carousel", adset_id=adset["id"], creative_id=creative.id,
        status="PAUSED",
    )  # fmt: skip
    sent = next(c for c in graph.calls if c.method == "POST" and c.path == "act_1001/ads")
    assert sent.data["creative"] == {"creative_id": creative.id}
    assert ad.creative_id == creative.id
    assert ad.adset_id == adset["id"]
    assert ad.campaign_id == adset["campaign_id"]

    inline = meta.marketing.ads.create(
        account_id=ACCOUNT, name="Inline", adset_id=adset["id"],
        creative={"name": "Made inline", "object_story_spec": {"page_id": "0"}},
    )  # fmt: skip
    assert graph.objects[inline.creative_id or ""]["name"] == "Made inline"

    assert meta.marketing.ads.update(ad.id, name="Carousel (v2)").name == "Carousel (v2)"
    assert meta.marketing.ads.activate(ad.id).status == "ACTIVE"
    by_adset = meta.marketing.ads.list(adset_id=adset["id"], refresh=True)
    assert {a.id for a in by_adset.collection} == {ad.id, inline.id}

    with pytest.raises(BadRequestError, match="creative_id and creative: set one of them"):
        meta.marketing.ads.create(
            account_id=ACCOUNT, name="x", adset_id=adset["id"], creative_id="1", creative={}
        )


def test_ad_preview_by_post_and_by_get(meta: Endpointr, graph: FakeGraph) -> None:
    graph.seed_tree(ACCOUNT, campaigns=1, adsets=1, ads=1)
    (ad,) = graph.live("ad")
    preview = meta.marketing.ads.preview(ad["id"], ad_format="MOBILE_FEED_STANDARD")
    assert preview.body.startswith("<iframe")
    assert "MOBILE_FEED_STANDARD" in preview.body
    assert graph.calls[-1].params["ad_format"] == "MOBILE_FEED_STANDARD"
    by_get = meta._request(
        "GET", "/v1/marketing/ads", params={"action": "preview", "id": ad["id"]}, cast=dict
    )
    assert "DESKTOP_FEED_STANDARD" in by_get["body"]


def test_creatives_validate_and_have_no_update(meta: Endpointr, graph: FakeGraph) -> None:
    good = meta.marketing.creatives.validate(
        account_id=ACCOUNT, name="Check me", object_story_spec={"page_id": "0"}
    )
    assert good.valid is True
    bad = meta.marketing.creatives.validate(account_id=ACCOUNT, name="No story")
    assert bad.valid is False
    assert "object_story_spec is required" in bad.errors[0]["message"]
    assert bad.errors[0]["meta"]["code"] == 100
    assert graph.live("creative") == []  # a dry run creates nothing
    assert all(c.data.get("execution_options") == ["validate_only"] for c in graph.calls)

    created = meta.marketing.creatives.create(account_id=ACCOUNT, name="Real")
    with pytest.raises(MethodNotAllowedError):
        meta._request("PUT", f"/v1/marketing/creatives/{created.id}", json={"name": "y"}, cast=dict)
    assert meta.marketing.creatives.delete(created.id).deleted is True


def test_audiences_custom_lookalike_and_users(meta: Endpointr, graph: FakeGraph) -> None:
    audience = meta.marketing.audiences.create(
        account_id=ACCOUNT,
        name="Customers who purchased in last 30d",
        customer_file_source="USER_PROVIDED_ONLY",
        retention_days=180,
    )
    assert audience.subtype == "CUSTOM"
    assert audience.approximate_count_lower_bound == 1000

    added = meta.marketing.audiences.add_users(
        audience.id,
        schema=["EMAIL", "PHONE"],
        users=[[" Jane@Example.com", "+45 12 34 56 78"], [JANE, PHONE]],
    )
    sent = graph.calls[-1]
    assert sent.path == f"{audience.id}/users"
    assert sent.data["payload"] == {"schema": ["EMAIL", "PHONE"], "data": [[JANE, PHONE]] * 2}
    assert sent.data["session"]["last_batch_flag"] is True
    assert (added.num_received, added.num_invalid_entries) == (2, 0)
    assert (added.hashed, added.prehashed) == (2, 2)

    removed = meta.marketing.audiences.remove_users(audience.id, schema="EMAIL", users=[JANE])
    assert graph.calls[-1].method == "DELETE"
    assert removed.num_received == 1

    with pytest.raises(BadRequestError, match=r"users\[0\] has 1 value\(s\) but schema has 2"):
        meta.marketing.audiences.add_users(audience.id, schema=["EMAIL", "PHONE"], users=["a@b"])

    lookalike = meta.marketing.audiences.lookalike(
        account_id=ACCOUNT,
        name="Lookalike DK 1%",
        origin_audience_id=audience.id,
        lookalike_spec={"type": "similarity", "country": "DK", "ratio": 0.01},
    )
    assert lookalike.subtype == "LOOKALIKE"
    assert lookalike.lookalike_spec == {"type": "similarity", "country": "DK", "ratio": 0.01}
    listed = meta.marketing.audiences.list(account_id=ACCOUNT)
    assert {a.id for a in listed.collection} == {audience.id, lookalike.id}
    assert meta.marketing.audiences.delete(lookalike.id).deleted is True


def test_large_user_lists_go_in_one_session_of_batches(meta: Endpointr, graph: FakeGraph) -> None:
    audience = meta.marketing.audiences.create(account_id=ACCOUNT, name="Big list")
    users = [f"user{n}@example.com" for n in range(10_001)]
    result = meta.marketing.audiences.add_users(audience.id, schema="EMAIL", users=users)
    batches = [c for c in graph.calls if c.path == f"{audience.id}/users"]
    assert [len(c.data["payload"]["data"]) for c in batches] == [10_000, 1]
    assert {c.data["session"]["session_id"] for c in batches} == {int(result.session_id or 0)}
    assert [c.data["session"]["last_batch_flag"] for c in batches] == [False, True]
    assert result.num_received == 10_001


@pytest.mark.parametrize("resource", ["ad_sets", "ads", "creatives", "audiences"])
def test_retrieve_list_and_delete(meta: Endpointr, graph: FakeGraph, resource: str) -> None:
    graph.seed_tree(ACCOUNT, campaigns=1, adsets=1, ads=1)
    graph.add("audience", account_id="1001", name="Seeded", subtype="CUSTOM")
    api = getattr(meta.marketing, resource)
    listed = api.list(account_id=ACCOUNT)
    assert listed.source == "live"
    (first,) = listed.collection
    assert api.retrieve(first.id).model_dump() == first.model_dump()  # from the mirror
    assert api.retrieve(first.id, refresh=True).id == first.id
    assert api.delete(first.id).deleted is True
    assert graph.objects[first.id]["_deleted"] is True
    assert api.list(account_id=ACCOUNT).collection == []
    with pytest.raises(NotFoundError, match="was deleted"):
        api.retrieve(first.id)
