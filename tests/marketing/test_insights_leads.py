"""Insights (GET and POST, snapshots), leads and the local inbox, and ``sync``, in both modes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from endpointr import BadRequestError, Endpointr
from tests.support.meta_graph import FakeGraph


def test_insights_by_get_with_a_preset(meta: Endpointr, graph: FakeGraph) -> None:
    one, two = (graph.add("campaign", account_id="1001")["id"] for _ in range(2))
    report = meta.marketing.insights.list(
        level="campaign", ids=[one, two], date_preset="last_7d", cached=False
    )
    assert report.level == "campaign"
    assert report.ids == [one, two]
    assert report.date_range == {"date_preset": "last_7d"}
    assert report.cached is False
    assert [r.campaign_id for r in report.rows] == [one, two]
    row = report.rows[0]
    assert (row.impressions, row.clicks, row.spend) == (1000, 42, Decimal("123.45"))
    assert row.date_start == date(2026, 5, 15)
    assert report.sample_raw[0]["spend"] == "123.45"  # Meta's own strings
    calls = [c for c in graph.calls if c.path.endswith("/insights")]
    assert calls[0].params["fields"].split(",")[:4] == ["impressions", "reach", "clicks", "spend"]
    assert calls[0].params["date_preset"] == "last_7d"


def test_insights_by_post_with_daily_buckets_and_breakdowns(
    meta: Endpointr, graph: FakeGraph
) -> None:
    campaign = graph.add("campaign", account_id="1001")["id"]
    report = meta.marketing.insights.create(
        level="campaign",
        ids=[campaign],
        time_range={"since": "2026-05-01", "until": "2026-05-03"},
        time_increment=1,
        breakdowns=["age"],
    )
    assert report.date_range == {"since": "2026-05-01", "until": "2026-05-03"}
    assert report.breakdowns == ["age"]
    assert len(report.rows) == 6  # 3 days x 2 age buckets
    assert {r.date_start for r in report.rows} == {date(2026, 5, d) for d in (1, 2, 3)}
    sent = graph.calls[-1].params
    assert sent["time_range"] == {"since": "2026-05-01", "until": "2026-05-03"}
    assert sent["time_increment"] == "1"
    assert sent["breakdowns"] == "age"


def test_cached_insights_reuse_a_snapshot(meta: Endpointr, graph: FakeGraph) -> None:
    account = "act_1001"
    first = meta.marketing.insights.list(level="account", ids=["1001"], date_preset="yesterday")
    assert first.cached is False
    assert first.ids == [account]
    again = meta.marketing.insights.list(level="account", ids=["1001"], date_preset="yesterday")
    assert again.cached is True
    assert again.fetched_at == first.fetched_at
    assert again.rows == first.rows
    assert graph.count("GET", f"{account}/insights") == 1
    meta.marketing.insights.list(
        level="account", ids=["1001"], date_preset="yesterday", cached=False
    )
    assert graph.count("GET", f"{account}/insights") == 2


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"level": "campaign"}, "query.ids: Field required"),
        ({"level": "creative", "ids": "1"}, "query.level: Input should be"),
        ({"level": "ad", "ids": "1", "date_preset": "last_week"}, "unknown date_preset"),
        ({"level": "ad", "ids": "1", "time_range": "2026-05-01"}, "time_range is JSON"),
        (
            {"level": "ad", "ids": "1", "date_preset": "today",
             "time_range": '{"since":"2026-05-01","until":"2026-05-02"}'},
            "date_preset and time_range: set one of them",
        ),
        (
            {"level": "ad", "ids": "1",
             "time_range": '{"since":"2026-05-09","until":"2026-05-02"}'},
            "since is after",
        ),
    ],
)  # fmt: skip
def test_insights_parameters_are_checked(
    meta: Endpointr, graph: FakeGraph, params: dict[str, str], message: str
) -> None:
    with pytest.raises(BadRequestError, match=message):
        meta._request("GET", "/v1/marketing/insights", params=params, cast=dict)
    assert graph.calls == []


def _lead(graph: FakeGraph, form: str, n: int, when: int) -> dict[str, object]:
    return graph.add(
        "lead", form_id=form, _time=when, ad_id="120000000000777",
        created_time=f"2026-05-{n:02d}T08:00:00+0000",
        field_data=[{"name": "email", "values": [f"lead{n}@example.com"]},
                    {"name": "full_name", "values": [f"Lead {n}"]}],
    )  # fmt: skip


def test_forms_leads_and_the_local_inbox(meta: Endpointr, graph: FakeGraph) -> None:
    page = graph.add("page", name="Acme")["id"]
    form = graph.add("form", page_id=page, name="Spring signup", status="ACTIVE", leads_count=2)
    forms = meta.marketing.leads.forms(page_id=page)
    assert [f.name for f in forms.collection] == ["Spring signup"]
    _lead(graph, form["id"], 2, 1_777_680_000)
    newer = _lead(graph, form["id"], 20, 1_779_235_200)

    assert meta.marketing.leads.local().collection == []  # nothing pulled yet
    pulled = meta.marketing.leads.list(form_id=form["id"], created_after=date(2026, 5, 10))
    assert [lead.id for lead in pulled.collection] == [newer["id"]]
    assert pulled.collection[0].answers == {"email": "lead20@example.com", "full_name": "Lead 20"}
    assert graph.calls[-1].params["filtering"][0]["field"] == "time_created"

    meta.marketing.leads.list(form_id=form["id"])
    inbox = meta.marketing.leads.local(form_id=form["id"])
    assert inbox.source == "local"
    assert [lead.created_time.day for lead in inbox.collection] == [20, 2]  # newest first
    assert [lead.id for lead in meta.marketing.leads.local(since="2026-05-10").collection] == [
        newer["id"]
    ]
    assert meta.marketing.leads.retrieve(newer["id"]).form_id == form["id"]

    with pytest.raises(BadRequestError, match="pass form_id"):
        meta._request("GET", "/v1/marketing/leads", cast=dict)


def test_inline_sync_walks_the_tree(meta: Endpointr, graph: FakeGraph) -> None:
    graph.seed_tree("act_1001", campaigns=3, adsets=2, ads=2)
    result = meta.marketing.sync(account_id="1001")
    assert result.mode == "inline"
    assert result.counts is not None
    assert (result.counts.campaigns, result.counts.ad_sets) == (3, 6)
    assert (result.counts.ads, result.counts.creatives) == (12, 12)
    assert result.requests == 4  # one page per level
    calls = len(graph.calls)
    ads = meta.marketing.ads.list(account_id="act_1001")
    assert ads.source == "local"
    assert len(ads.collection) == 12
    campaign = graph.live("campaign")[0]["id"]
    by_campaign = meta.marketing.ad_sets.list(campaign_id=campaign)
    assert by_campaign.source == "local"  # covered by the account's sync
    assert len(by_campaign.collection) == 2
    assert len(graph.calls) == calls
