"""``client.marketing.campaigns`` against the fake Graph API, in both modes: the mirror, the
contract's defaults and sub-verbs, and what reaches Meta."""

from __future__ import annotations

import pytest

from endpointr import BadRequestError, Endpointr, NotFoundError
from tests.support.meta_graph import FakeGraph

ACCOUNT = "act_1001"


def test_create_defaults_to_paused_with_empty_special_ad_categories(
    meta: Endpointr, graph: FakeGraph
) -> None:
    campaign = meta.marketing.campaigns.create(
        account_id="1001", name="Spring sale", objective="OUTCOME_TRAFFIC", daily_budget=5000
    )
    sent = next(c for c in graph.calls if c.method == "POST")
    assert sent.path == "act_1001/campaigns"  # the act_ prefix was added
    assert sent.data["special_ad_categories"] == []
    assert sent.data["status"] == "PAUSED"
    assert "account_id" not in sent.data
    assert campaign.id in graph.objects
    assert campaign.name == "Spring sale"
    assert campaign.daily_budget == 5000  # Graph's "5000", typed
    assert campaign.status == "PAUSED"
    assert campaign.created_time is not None


def test_list_reads_the_mirror_after_the_first_listing(meta: Endpointr, graph: FakeGraph) -> None:
    graph.seed_tree(ACCOUNT, campaigns=3, adsets=0, ads=0)
    first = meta.marketing.campaigns.list(account_id=ACCOUNT)
    assert first.source == "live"  # never listed before: Meta is asked
    assert sorted(c.name for c in first.collection) == ["Campaign 0", "Campaign 1", "Campaign 2"]
    calls = len(graph.calls)

    again = meta.marketing.campaigns.list(account_id=ACCOUNT)
    assert again.source == "local"
    assert len(graph.calls) == calls  # no Graph request
    assert [c.model_dump() for c in again.collection] == [c.model_dump() for c in first.collection]

    graph.add("campaign", account_id="1001", name="Made in Ads Manager")
    assert len(meta.marketing.campaigns.list(account_id=ACCOUNT).collection) == 3
    fresh = meta.marketing.campaigns.list(account_id=ACCOUNT, refresh=True)
    assert fresh.source == "live"
    assert len(fresh.collection) == 4


def test_list_follows_cursors_and_honours_a_limit(meta: Endpointr, graph: FakeGraph) -> None:
    graph.seed_tree(ACCOUNT, campaigns=250, adsets=0, ads=0)
    page = meta.marketing.campaigns.list(account_id=ACCOUNT)
    assert len(page.collection) == 250
    assert len({c.id for c in page.collection}) == 250
    assert graph.count("GET", "act_1001/campaigns") == 3  # pages of 100, 100, 50

    limited = meta.marketing.campaigns.list(account_id=ACCOUNT, refresh=True, limit=120)
    assert len(limited.collection) == 120


def test_a_refresh_drops_what_meta_no_longer_lists(meta: Endpointr, graph: FakeGraph) -> None:
    graph.seed_tree(ACCOUNT, campaigns=2, adsets=0, ads=0)
    gone, kept = meta.marketing.campaigns.list(account_id=ACCOUNT).collection
    graph.objects[gone.id]["_deleted"] = True
    meta.marketing.campaigns.list(account_id=ACCOUNT, refresh=True)
    local = meta.marketing.campaigns.list(account_id=ACCOUNT)
    assert [c.id for c in local.collection] == [kept.id]


def test_retrieve_reads_the_mirror_first(meta: Endpointr, graph: FakeGraph) -> None:
    created = meta.marketing.campaigns.create(
        account_id=ACCOUNT, name="Mirrored", objective="OUTCOME_SALES"
    )
    graph.objects[created.id]["name"] = "Renamed in Ads Manager"
    assert meta.marketing.campaigns.retrieve(created.id).name == "Mirrored"
    assert meta.marketing.campaigns.retrieve(created.id, refresh=True).name == (
        "Renamed in Ads Manager"
    )
    assert meta.marketing.campaigns.retrieve(created.id).name == "Renamed in Ads Manager"

    seeded = graph.add("campaign", account_id="1001", name="Only in Meta")
    assert meta.marketing.campaigns.retrieve(seeded["id"]).name == "Only in Meta"


def test_update_sends_only_the_fields_given(meta: Endpointr, graph: FakeGraph) -> None:
    created = meta.marketing.campaigns.create(
        account_id=ACCOUNT, name="Before", objective="OUTCOME_TRAFFIC", daily_budget=5000
    )
    updated = meta.marketing.campaigns.update(created.id, daily_budget=7500)
    posted = [c for c in graph.calls if c.method == "POST" and c.path == created.id]
    assert posted[-1].data == {"daily_budget": "7500"}
    assert updated.daily_budget == 7500
    assert updated.name == "Before"

    with pytest.raises(BadRequestError, match="nothing to update"):
        meta.marketing.campaigns.update(created.id)


@pytest.mark.parametrize(
    ("verb", "status"),
    [("activate", "ACTIVE"), ("pause", "PAUSED"), ("archive", "ARCHIVED")],
)
def test_status_sub_verbs(meta: Endpointr, graph: FakeGraph, verb: str, status: str) -> None:
    created = meta.marketing.campaigns.create(
        account_id=ACCOUNT, name="Status", objective="OUTCOME_TRAFFIC"
    )
    changed = getattr(meta.marketing.campaigns, verb)(created.id)
    assert changed.status == status
    assert graph.objects[created.id]["status"] == status
    assert meta.marketing.campaigns.set_status(created.id, status="DELETED").status == "DELETED"


def test_delete_is_hard_in_meta_and_soft_in_the_mirror(meta: Endpointr, graph: FakeGraph) -> None:
    graph.seed_tree(ACCOUNT, campaigns=2, adsets=0, ads=0)
    doomed, other = meta.marketing.campaigns.list(account_id=ACCOUNT).collection
    assert meta.marketing.campaigns.delete(doomed.id).deleted is True
    assert graph.objects[doomed.id]["_deleted"] is True
    assert [c.id for c in meta.marketing.campaigns.list(account_id=ACCOUNT).collection] == [
        other.id
    ]
    with pytest.raises(NotFoundError, match="was deleted"):
        meta.marketing.campaigns.retrieve(doomed.id)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "x", "objective": "OUTCOME_TRAFFIC"}, "body.create.account_id: Field required"),
        (
            {"account_id": ACCOUNT, "name": "x", "objective": "O", "daily_budget": 1,
             "lifetime_budget": 2},
            "daily_budget and lifetime_budget: set one of them, not both",
        ),
        ({"account_id": "acme", "name": "x", "objective": "O"}, "'acme' is not an ad account id"),
        ({"action": "pause"}, "body.pause.id: Field required"),
        ({"action": "set_status", "id": "1"}, "set_status needs status"),
        ({"action": "launch", "id": "1"}, "unknown action; use one of: create, set_status"),
    ],
)  # fmt: skip
def test_bad_bodies_are_400_that_say_what_to_fix(
    meta: Endpointr, graph: FakeGraph, body: dict[str, object], message: str
) -> None:
    with pytest.raises(BadRequestError) as info:
        meta._request("POST", "/v1/marketing/campaigns", json=body, cast=dict)
    assert message in info.value.message
    assert not [c for c in graph.calls if c.method == "POST"]


def test_list_needs_an_account(meta: Endpointr) -> None:
    with pytest.raises(BadRequestError, match=r"query.account_id: Field required"):
        meta._request("GET", "/v1/marketing/campaigns", cast=dict)
