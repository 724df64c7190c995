"""Campaigns, ad sets, ads, creatives and audiences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from typing_extensions import TypedDict, Unpack

from .....types.marketing import (
    Ad,
    AdPreview,
    AdSet,
    Audience,
    AudienceUsersResult,
    Campaign,
    Creative,
    CreativeValidation,
    ObjectPage,
    Status,
)
from ...._base import NOT_GIVEN, NotGiven, Timeout
from ._shared import AsyncByAccount, AsyncGraphObjects, AsyncStatusVerbs, body, query

When = datetime | str | int


class AsyncCampaigns(AsyncStatusVerbs[Campaign], AsyncByAccount[Campaign]):
    """``client.marketing.campaigns``."""

    _path = "/v1/marketing/campaigns"
    _model = Campaign
    _page = ObjectPage[Campaign]

    async def create(
        self,
        *,
        account_id: str,
        name: str,
        objective: str,
        status: Status = "PAUSED",
        special_ad_categories: Sequence[str] | NotGiven = NOT_GIVEN,
        daily_budget: int | NotGiven = NOT_GIVEN,
        lifetime_budget: int | NotGiven = NOT_GIVEN,
        bid_strategy: str | NotGiven = NOT_GIVEN,
        buying_type: str | NotGiven = NOT_GIVEN,
        spend_cap: int | NotGiven = NOT_GIVEN,
        start_time: When | NotGiven = NOT_GIVEN,
        stop_time: When | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Campaign:
        """Create a campaign; budgets are in the account currency's minor units."""
        values = dict(locals())
        return await self._post(body(_fields(values), extra_body), timeout)

    async def update(
        self,
        id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        status: Status | NotGiven = NOT_GIVEN,
        daily_budget: int | NotGiven = NOT_GIVEN,
        lifetime_budget: int | NotGiven = NOT_GIVEN,
        bid_strategy: str | NotGiven = NOT_GIVEN,
        spend_cap: int | NotGiven = NOT_GIVEN,
        special_ad_categories: Sequence[str] | NotGiven = NOT_GIVEN,
        start_time: When | NotGiven = NOT_GIVEN,
        stop_time: When | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Campaign:
        """Change only the fields given."""
        values = dict(locals())
        return await self._put(id, body(_fields(values), extra_body), timeout)


class AsyncAdSets(AsyncStatusVerbs[AdSet]):
    """``client.marketing.ad_sets``."""

    _path = "/v1/marketing/ad-sets"
    _model = AdSet
    _page = ObjectPage[AdSet]

    async def list(
        self,
        *,
        account_id: str | None = None,
        campaign_id: str | None = None,
        refresh: bool = False,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ObjectPage[AdSet]:
        """Ad sets of an account and/or one campaign (mirror, or Meta with ``refresh``)."""
        params = query(account_id=account_id, campaign_id=campaign_id, refresh=refresh, limit=limit)
        return await self._list(params, timeout)

    async def create(
        self,
        *,
        account_id: str,
        campaign_id: str,
        name: str,
        billing_event: str,
        optimization_goal: str,
        targeting: Mapping[str, Any],
        status: Status | NotGiven = NOT_GIVEN,
        daily_budget: int | NotGiven = NOT_GIVEN,
        lifetime_budget: int | NotGiven = NOT_GIVEN,
        bid_amount: int | NotGiven = NOT_GIVEN,
        bid_strategy: str | NotGiven = NOT_GIVEN,
        start_time: When | NotGiven = NOT_GIVEN,
        end_time: When | NotGiven = NOT_GIVEN,
        attribution_spec: Sequence[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        promoted_object: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        destination_type: str | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> AdSet:
        """Create an ad set; ``daily_budget`` or ``lifetime_budget``, never both."""
        values = dict(locals())
        return await self._post(body(_fields(values), extra_body), timeout)

    async def update(
        self,
        id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        status: Status | NotGiven = NOT_GIVEN,
        daily_budget: int | NotGiven = NOT_GIVEN,
        lifetime_budget: int | NotGiven = NOT_GIVEN,
        bid_amount: int | NotGiven = NOT_GIVEN,
        bid_strategy: str | NotGiven = NOT_GIVEN,
        targeting: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        start_time: When | NotGiven = NOT_GIVEN,
        end_time: When | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> AdSet:
        """Change only the fields given."""
        values = dict(locals())
        return await self._put(id, body(_fields(values), extra_body), timeout)


class AsyncAds(AsyncStatusVerbs[Ad]):
    """``client.marketing.ads``."""

    _path = "/v1/marketing/ads"
    _model = Ad
    _page = ObjectPage[Ad]

    async def list(
        self,
        *,
        account_id: str | None = None,
        campaign_id: str | None = None,
        adset_id: str | None = None,
        refresh: bool = False,
        limit: int | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> ObjectPage[Ad]:
        """Ads of an account, campaign or ad set (mirror, or Meta with ``refresh``)."""
        params = query(
            account_id=account_id,
            campaign_id=campaign_id,
            adset_id=adset_id,
            refresh=refresh,
            limit=limit,
        )
        return await self._list(params, timeout)

    async def create(
        self,
        *,
        account_id: str,
        name: str,
        adset_id: str,
        creative_id: str | NotGiven = NOT_GIVEN,
        creative: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        status: Status | NotGiven = NOT_GIVEN,
        tracking_specs: Sequence[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Ad:
        """Create an ad from an existing ``creative_id`` or an inline ``creative`` spec."""
        values = dict(locals())
        return await self._post(body(_fields(values), extra_body), timeout)

    async def update(
        self,
        id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        status: Status | NotGiven = NOT_GIVEN,
        creative_id: str | NotGiven = NOT_GIVEN,
        tracking_specs: Sequence[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Ad:
        """Change only the fields given."""
        values = dict(locals())
        return await self._put(id, body(_fields(values), extra_body), timeout)

    async def preview(
        self, id: str, *, ad_format: str = "DESKTOP_FEED_STANDARD", timeout: Timeout = NOT_GIVEN
    ) -> AdPreview:
        """The ad's HTML preview (an iframe) in ``ad_format`` (MOBILE_FEED_STANDARD,
        INSTAGRAM_STORY, …)."""
        return await self._client._request(
            "POST",
            self._path,
            json={"action": "preview", "id": id, "ad_format": ad_format},
            cast=AdPreview,
            timeout=timeout,
        )


class CreativeFields(TypedDict, total=False):
    """A creative's content; a link ad: ``object_story_spec={"page_id": …, "link_data":
    {"link": …, "message": …, "call_to_action": {…}}}``."""

    object_story_spec: Mapping[str, Any]
    asset_feed_spec: Mapping[str, Any]
    image_hash: str  # from ad_images.create()
    video_id: str  # from ad_videos.create()
    url_tags: str


class AsyncCreatives(AsyncGraphObjects[Creative], AsyncByAccount[Creative]):
    """``client.marketing.creatives`` (creatives are immutable in Meta: no update)."""

    _path = "/v1/marketing/creatives"
    _model = Creative
    _page = ObjectPage[Creative]

    async def create(
        self,
        *,
        account_id: str,
        name: str,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
        **fields: Unpack[CreativeFields],
    ) -> Creative:
        """Create a creative (``image_hash`` from ad images, ``video_id`` from ad videos)."""
        payload = body({"account_id": account_id, "name": name, **fields}, extra_body)
        return await self._post(payload, timeout)

    async def validate(
        self,
        *,
        account_id: str,
        name: str,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
        **fields: Unpack[CreativeFields],
    ) -> CreativeValidation:
        """Have Meta check a creative without creating it: ``.valid`` and ``.errors``."""
        values = {"action": "validate", "account_id": account_id, "name": name, **fields}
        return await self._client._request(
            "POST",
            self._path,
            json=body(values, extra_body),
            cast=CreativeValidation,
            timeout=timeout,
        )


class AsyncAudiences(AsyncGraphObjects[Audience], AsyncByAccount[Audience]):
    """``client.marketing.audiences``: custom and lookalike audiences and their users."""

    _path = "/v1/marketing/audiences"
    _model = Audience
    _page = ObjectPage[Audience]

    async def create(
        self,
        *,
        account_id: str,
        name: str,
        subtype: str = "CUSTOM",
        description: str | NotGiven = NOT_GIVEN,
        customer_file_source: str | NotGiven = NOT_GIVEN,
        retention_days: int | NotGiven = NOT_GIVEN,
        rule: Mapping[str, Any] | str | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Audience:
        """Create a custom audience (a customer list unless ``subtype``/``rule`` say else)."""
        values = dict(locals())
        return await self._post(body(_fields(values), extra_body), timeout)

    async def lookalike(
        self,
        *,
        account_id: str,
        name: str,
        origin_audience_id: str,
        lookalike_spec: Mapping[str, Any],
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Audience:
        """Create a lookalike of ``origin_audience_id``, e.g. ``lookalike_spec={"type":
        "similarity", "country": "DK", "ratio": 0.01}``."""
        values = {**_fields(dict(locals())), "action": "lookalike"}
        return await self._post(body(values, extra_body), timeout)

    async def add_users(
        self,
        id: str,
        *,
        schema: str | Sequence[str],
        users: Sequence[str | Sequence[str]],
        timeout: Timeout = NOT_GIVEN,
    ) -> AudienceUsersResult:
        """Add users: values are normalised and SHA-256 hashed by the gateway (values that are
        64 hex digits already are sent as they are). One schema key: ``users`` are strings;
        several: one sequence per user."""
        return await self._users("add_users", id, schema, users, timeout)

    async def remove_users(
        self,
        id: str,
        *,
        schema: str | Sequence[str],
        users: Sequence[str | Sequence[str]],
        timeout: Timeout = NOT_GIVEN,
    ) -> AudienceUsersResult:
        """Remove users; the same shape as :meth:`add_users`."""
        return await self._users("remove_users", id, schema, users, timeout)

    async def _users(
        self,
        action: Literal["add_users", "remove_users"],
        id: str,
        schema: str | Sequence[str],
        users: Sequence[str | Sequence[str]],
        timeout: Timeout,
    ) -> AudienceUsersResult:
        payload = {
            "action": action,
            "id": id,
            "schema": [schema] if isinstance(schema, str) else list(schema),
            "users": [u if isinstance(u, str) else list(u) for u in users],
        }
        return await self._client._request(
            "POST", self._path, json=payload, cast=AudienceUsersResult, timeout=timeout
        )


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    """A method's ``locals()`` without what is not a body field."""
    return {
        k: v
        for k, v in values.items()
        if k not in ("self", "id", "timeout", "extra_body", "values")
    }
