"""Meta Marketing (``/v1/marketing``): Graph objects, pages and request bodies.

Response models carry Meta's field names (``daily_budget`` in minor units, ``effective_status``,
``created_time`` …); fields this module does not name pass through untouched, so a newer Graph
version never loses data. Request models name the fields the contract lists; the ones marked
*forwarded* also accept any other Graph field and pass it to Meta as given.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Generic, Literal, TypeAlias, TypeVar, Union

from pydantic import (
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from ._base import Model, Params

T = TypeVar("T")


class _Model(Model):
    # Built on first use, not at import: the SDK imports this module when `client.marketing`
    # is first touched, and most programs use a few of these models, not all of them.
    model_config = ConfigDict(defer_build=True)


class _Params(Params):
    model_config = ConfigDict(defer_build=True)


Status = Literal["ACTIVE", "PAUSED", "ARCHIVED", "DELETED"]
Source = Literal["local", "live"]
InsightsLevel = Literal["account", "campaign", "adset", "ad"]
UploadState = Literal["pending", "uploading", "processing", "ready", "failed"]

DATE_PRESETS = (
    "today", "yesterday", "this_month", "last_month", "this_quarter", "maximum", "data_maximum",
    "last_3d", "last_7d", "last_14d", "last_28d", "last_30d", "last_90d", "last_week_mon_sun",
    "last_week_sun_sat", "last_quarter", "last_year", "this_week_mon_today",
    "this_week_sun_today", "this_year",
)  # fmt: skip
DEFAULT_INSIGHTS_FIELDS = (
    "impressions", "reach", "clicks", "spend", "cpm", "cpc", "ctr", "actions", "action_values",
    "date_start", "date_stop",
)  # fmt: skip


class ObjectPage(_Model, Generic[T]):
    """A list answer: the objects, and whether they came from the local mirror or from Meta."""

    collection: list[T]
    source: Source


# -- Graph objects -----------------------------------------------------------------------------


class GraphObject(_Model):
    id: str


class AdAccount(GraphObject):
    account_id: str | None = None
    name: str | None = None
    account_status: int | None = None
    currency: str | None = None
    timezone_name: str | None = None
    amount_spent: int | None = None
    spend_cap: int | None = None
    business: dict[str, Any] | None = None


class Campaign(GraphObject):
    name: str | None = None
    account_id: str | None = None
    objective: str | None = None
    status: str | None = None
    configured_status: str | None = None
    effective_status: str | None = None
    daily_budget: int | None = None
    lifetime_budget: int | None = None
    budget_remaining: int | None = None
    spend_cap: int | None = None
    bid_strategy: str | None = None
    buying_type: str | None = None
    special_ad_categories: list[str] | None = None
    start_time: datetime | None = None
    stop_time: datetime | None = None
    created_time: datetime | None = None
    updated_time: datetime | None = None


class AdSet(GraphObject):
    name: str | None = None
    account_id: str | None = None
    campaign_id: str | None = None
    status: str | None = None
    effective_status: str | None = None
    billing_event: str | None = None
    optimization_goal: str | None = None
    daily_budget: int | None = None
    lifetime_budget: int | None = None
    bid_amount: int | None = None
    bid_strategy: str | None = None
    targeting: dict[str, Any] | None = None
    promoted_object: dict[str, Any] | None = None
    destination_type: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    created_time: datetime | None = None
    updated_time: datetime | None = None


class Ad(GraphObject):
    name: str | None = None
    account_id: str | None = None
    campaign_id: str | None = None
    adset_id: str | None = None
    status: str | None = None
    effective_status: str | None = None
    creative: dict[str, Any] | None = None
    tracking_specs: list[dict[str, Any]] | None = None
    created_time: datetime | None = None
    updated_time: datetime | None = None

    @property
    def creative_id(self) -> str | None:
        return None if self.creative is None else self.creative.get("id")


class Creative(GraphObject):
    name: str | None = None
    account_id: str | None = None
    status: str | None = None
    object_story_spec: dict[str, Any] | None = None
    image_hash: str | None = None
    video_id: str | None = None
    body: str | None = None
    title: str | None = None
    thumbnail_url: str | None = None
    call_to_action_type: str | None = None
    effective_object_story_id: str | None = None


class Audience(GraphObject):
    name: str | None = None
    account_id: str | None = None
    subtype: str | None = None
    description: str | None = None
    customer_file_source: str | None = None
    retention_days: int | None = None
    rule: Any = None
    lookalike_spec: dict[str, Any] | None = None
    approximate_count_lower_bound: int | None = None
    approximate_count_upper_bound: int | None = None
    operation_status: dict[str, Any] | None = None
    delivery_status: dict[str, Any] | None = None
    time_created: int | None = None
    time_updated: int | None = None


class AdImage(_Model):
    hash: str
    id: str | None = None
    account_id: str | None = None
    name: str | None = None
    url: str | None = None
    permalink_url: str | None = None
    width: int | None = None
    height: int | None = None
    status: str | None = None
    created_time: datetime | None = None
    #: This gateway's record of the upload (set on the answer to an upload).
    asset_id: int | None = None
    #: Meta's answer to the upload, as it came.
    raw: dict[str, Any] | None = None


class AdVideo(GraphObject):
    title: str | None = None
    description: str | None = None
    status: dict[str, Any] | None = None
    length: float | None = None
    picture: str | None = None
    source: str | None = None
    created_time: datetime | None = None
    updated_time: datetime | None = None


class VideoUpload(_Model):
    """A video upload tracked by this gateway (``GET /v1/marketing/ad-videos/<asset_id>``)."""

    asset_id: int
    video_id: str | None = None
    account_id: str | None = None
    upload_state: UploadState
    upload_progress: int = 0
    mode: Literal["sync", "async"] | None = None
    job_id: str | None = None
    bytes: int | None = None
    error: str | None = None
    status: dict[str, Any] | None = None
    raw: dict[str, Any] | None = None

    @property
    def done(self) -> bool:
        return self.upload_state in ("ready", "failed")


class FacebookPage(GraphObject):
    name: str | None = None
    category: str | None = None
    tasks: list[str] | None = None
    link: str | None = None
    #: The Page access token; only with ``include_access_tokens=True``.
    access_token: str | None = None


class Pixel(GraphObject):
    name: str | None = None
    creation_time: datetime | None = None
    last_fired_time: datetime | None = None
    is_unavailable: bool | None = None


class Catalog(GraphObject):
    name: str | None = None
    product_count: int | None = None
    vertical: str | None = None


class LeadField(_Model):
    name: str
    values: list[str] = Field(default_factory=list)


class Lead(GraphObject):
    created_time: datetime | None = None
    form_id: str | None = None
    page_id: str | None = None
    ad_id: str | None = None
    adset_id: str | None = None
    campaign_id: str | None = None
    is_organic: bool | None = None
    platform: str | None = None
    field_data: list[LeadField] = Field(default_factory=list)

    @property
    def answers(self) -> dict[str, str]:
        """``{question: first answer}``, e.g. ``{"email": "jane@example.com"}``."""
        return {f.name: f.values[0] for f in self.field_data if f.values}


class LeadForm(GraphObject):
    name: str | None = None
    status: str | None = None
    locale: str | None = None
    leads_count: int | None = None
    created_time: datetime | None = None


class InsightsRow(_Model):
    """One row of Meta's insights (one object, one time bucket, one breakdown value)."""

    date_start: date | None = None
    date_stop: date | None = None
    account_id: str | None = None
    campaign_id: str | None = None
    adset_id: str | None = None
    ad_id: str | None = None
    impressions: int | None = None
    reach: int | None = None
    clicks: int | None = None
    spend: Decimal | None = None
    cpm: Decimal | None = None
    cpc: Decimal | None = None
    ctr: float | None = None
    frequency: float | None = None
    actions: list[dict[str, Any]] | None = None
    action_values: list[dict[str, Any]] | None = None


class InsightsReport(_Model):
    level: InsightsLevel
    ids: list[str]
    date_range: dict[str, Any]
    breakdowns: list[str]
    rows: list[InsightsRow]
    #: The first rows exactly as Meta sent them, for fields this SDK does not type.
    sample_raw: list[dict[str, Any]]
    #: True when the rows came from a stored snapshot instead of a Graph call.
    cached: bool
    fetched_at: datetime


class DebugToken(_Model):
    app_id: str | None = None
    type: str | None = None
    application: str | None = None
    expires_at: int | None = None
    data_access_expires_at: int | None = None
    issued_at: int | None = None
    is_valid: bool | None = None
    scopes: list[str] = Field(default_factory=list)
    granular_scopes: list[dict[str, Any]] = Field(default_factory=list)
    user_id: str | None = None

    @property
    def never_expires(self) -> bool:
        """A System User token (``expires_at == 0``): the kind production should use."""
        return self.expires_at == 0


class Scopes(_Model):
    granted: list[str] = Field(default_factory=list)
    declined: list[str] = Field(default_factory=list)
    expired: list[str] = Field(default_factory=list)


class TokenReport(_Model):
    debug_token: DebugToken | None = None
    scopes: Scopes | None = None


class ExtendedToken(_Model):
    #: The long-lived token; ``None`` when it was stored straight into your credentials.
    access_token: str | None = None
    token_type: str | None = None
    expires_in: int | None = None
    stored: bool = False


class SyncCounts(_Model):
    campaigns: int
    ad_sets: int
    ads: int
    creatives: int


class SyncResult(_Model):
    account_id: str
    mode: Literal["inline", "queue"]
    queued: bool = False
    job_id: str | None = None
    counts: SyncCounts | None = None
    #: Graph requests the walk made (one per page of up to 100 objects per level).
    requests: int | None = None


class ConversionsResult(_Model):
    pixel_id: str
    events_received: int
    messages: list[Any] = Field(default_factory=list)
    fbtrace_id: str | None = None
    test_event_code: str | None = None


class AudienceUsersResult(_Model):
    audience_id: str
    session_id: str | None = None
    num_received: int = 0
    num_invalid_entries: int = 0
    invalid_entry_samples: dict[str, Any] = Field(default_factory=dict)
    #: How many values were normalised and hashed here, and how many arrived hashed already.
    hashed: int = 0
    prehashed: int = 0


class AdPreview(_Model):
    ad_id: str
    ad_format: str
    body: str


class CreativeValidation(_Model):
    valid: bool
    errors: list[dict[str, Any]] = Field(default_factory=list)


class WebhookSubscription(_Model):
    """This gateway's record that deliveries for ``(object, object_id)`` belong to you."""

    object: str
    object_id: str | None = None
    fields: list[str]
    callback_url: str | None = None
    updated_at: datetime | None = None


class AppSubscription(_Model):
    """One of the Meta app's subscriptions, as Meta lists them."""

    object: str
    callback_url: str | None = None
    active: bool | None = None
    fields: list[Any] = Field(default_factory=list)


class WebhookSubscriptionList(_Model):
    meta: list[AppSubscription]
    local: list[WebhookSubscription]


# -- requests ----------------------------------------------------------------------------------


class Forwarded(_Params):
    """A body whose fields beyond the named ones are Graph fields, forwarded to Meta as given."""

    model_config = ConfigDict(extra="allow")


def _not_both(a: object, b: object, what: str) -> None:
    if a is not None and b is not None:
        raise ValueError(f"{what}: set one of them, not both")


class _Budgets(Forwarded):
    daily_budget: int | None = Field(default=None, gt=0)
    lifetime_budget: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_budget(self) -> _Budgets:
        _not_both(self.daily_budget, self.lifetime_budget, "daily_budget and lifetime_budget")
        return self


class StatusChange(_Params):
    """``{action: set_status|activate|pause|archive, id, status?}``."""

    action: Literal["set_status", "activate", "pause", "archive"]
    id: str = Field(min_length=1)
    status: Status | None = None

    @model_validator(mode="after")
    def _status(self) -> StatusChange:
        if self.action == "set_status" and self.status is None:
            raise ValueError("set_status needs status: ACTIVE, PAUSED, ARCHIVED or DELETED")
        if self.action != "set_status" and self.status is not None:
            raise ValueError(f"{self.action} sets the status itself; drop status")
        return self

    @property
    def target(self) -> Status:
        shorthand: dict[str, Status] = {
            "activate": "ACTIVE",
            "pause": "PAUSED",
            "archive": "ARCHIVED",
        }
        return self.status or shorthand[self.action]


STATUS_ACTIONS = ("set_status", "activate", "pause", "archive")


def _action_of(value: Any) -> str:
    if isinstance(value, dict):
        action = value.get("action", "create")
    else:
        action = getattr(value, "action", "create")
    return action if isinstance(action, str) else repr(action)


def by_action(default: type[Params], **actions: type[Params]) -> Any:
    """The body type of a POST that creates by default and runs ``{action: …}`` sub-verbs.

    Validation errors name the action (``body.pause.id: Field required``) and an unknown
    action is a 400 that lists the known ones.
    """
    known = ", ".join(["create", *actions])
    members = [Annotated[default, Tag("create")]]
    members += [Annotated[model, Tag(name)] for name, model in actions.items()]
    return Annotated[
        Union[tuple(members)],  # noqa: UP007 - built at runtime
        Discriminator(
            _action_of,
            custom_error_type="unknown_action",
            custom_error_message=f"unknown action; use one of: {known}",
        ),
    ]


class CampaignCreate(_Budgets):
    """Forwarded. ``status`` defaults to PAUSED: new campaigns should not go live unreviewed."""

    action: Literal["create"] = "create"
    account_id: str
    name: str = Field(min_length=1)
    objective: str = Field(min_length=1)
    status: Status = "PAUSED"
    special_ad_categories: list[str] = Field(default_factory=list)
    bid_strategy: str | None = None
    buying_type: str | None = None
    spend_cap: int | None = None
    start_time: str | int | None = None
    stop_time: str | int | None = None


class CampaignUpdate(_Budgets):
    """Forwarded. Only the fields you send reach Meta."""

    name: str | None = None
    status: Status | None = None
    objective: str | None = None
    bid_strategy: str | None = None
    spend_cap: int | None = None
    special_ad_categories: list[str] | None = None
    start_time: str | int | None = None
    stop_time: str | int | None = None


class AdSetCreate(_Budgets):
    """Forwarded. Budget: ``daily_budget`` or ``lifetime_budget``, never both (neither when
    the campaign carries the budget)."""

    action: Literal["create"] = "create"
    account_id: str
    campaign_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    billing_event: str = Field(min_length=1)
    optimization_goal: str = Field(min_length=1)
    targeting: dict[str, Any]
    status: Status | None = None
    bid_amount: int | None = None
    bid_strategy: str | None = None
    start_time: str | int | None = None
    end_time: str | int | None = None
    attribution_spec: list[dict[str, Any]] | None = None
    promoted_object: dict[str, Any] | None = None
    destination_type: str | None = None


class AdSetUpdate(_Budgets):
    """Forwarded. Only the fields you send reach Meta."""

    name: str | None = None
    status: Status | None = None
    targeting: dict[str, Any] | None = None
    bid_amount: int | None = None
    bid_strategy: str | None = None
    optimization_goal: str | None = None
    billing_event: str | None = None
    start_time: str | int | None = None
    end_time: str | int | None = None


class AdCreate(Forwarded):
    """Forwarded. The creative: ``creative_id`` of an existing one, or ``creative``, an inline
    creative spec (``{name, object_story_spec, …}``)."""

    action: Literal["create"] = "create"
    account_id: str
    name: str = Field(min_length=1)
    adset_id: str = Field(min_length=1)
    creative_id: str | None = None
    creative: dict[str, Any] | None = None
    status: Status | None = None
    tracking_specs: list[dict[str, Any]] | None = None

    @model_validator(mode="after")
    def _one_creative(self) -> AdCreate:
        _not_both(self.creative_id, self.creative, "creative_id and creative")
        if self.creative_id is None and self.creative is None:
            raise ValueError("pass creative_id (an existing creative) or creative (a spec)")
        return self


class AdUpdate(Forwarded):
    """Forwarded. Only the fields you send reach Meta."""

    name: str | None = None
    status: Status | None = None
    creative_id: str | None = None
    tracking_specs: list[dict[str, Any]] | None = None


class AdPreviewRequest(_Params):
    action: Literal["preview"]
    id: str = Field(min_length=1)
    ad_format: str = "DESKTOP_FEED_STANDARD"


class CreativeCreate(Forwarded):
    """Forwarded. A link ad: ``object_story_spec: {page_id, link_data: {…}}``; attach
    ``image_hash`` (from ad-images) or ``video_id`` (from ad-videos) for media."""

    action: Literal["create", "validate"] = "create"
    account_id: str
    name: str = Field(min_length=1)
    object_story_spec: dict[str, Any] | None = None
    asset_feed_spec: dict[str, Any] | None = None
    image_hash: str | None = None
    video_id: str | None = None
    url_tags: str | None = None


class _MediaSource(_Params):
    account_id: str
    name: str | None = None

    def _one_source(self, kind: str) -> None:
        given = [
            f
            for f in (f"{kind}_base64", f"{kind}_url", "upload_url")
            if getattr(self, f) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                f"pass exactly one of {kind}_base64, {kind}_url or upload_url"
                + (f" (got {', '.join(given)})" if given else "")
            )


class ImageUpload(_MediaSource):
    """The bytes: ``image_base64`` (no ``data:`` prefix), ``image_url`` (fetched once), or
    ``upload_url`` (a URL this gateway handed out)."""

    image_base64: str | None = None
    image_url: str | None = None
    upload_url: str | None = None

    @model_validator(mode="after")
    def _source(self) -> ImageUpload:
        self._one_source("image")
        return self


class VideoUploadRequest(_MediaSource):
    """As images. Under 50 MB: one synchronous upload; from 50 MB: a resumable upload job."""

    video_base64: str | None = None
    video_url: str | None = None
    upload_url: str | None = None
    title: str | None = None
    description: str | None = None
    mime: str = "video/mp4"

    @model_validator(mode="after")
    def _source(self) -> VideoUploadRequest:
        self._one_source("video")
        return self


class AudienceCreate(Forwarded):
    """Forwarded. A customer-list custom audience by default."""

    action: Literal["create"] = "create"
    account_id: str
    name: str = Field(min_length=1)
    subtype: str = "CUSTOM"
    description: str | None = None
    customer_file_source: str | None = "USER_PROVIDED_ONLY"
    retention_days: int | None = Field(default=None, ge=1, le=180)
    rule: dict[str, Any] | str | None = None


class LookalikeCreate(Forwarded):
    """Forwarded. ``lookalike_spec``: ``{type: "similarity", country: "DK", ratio: 0.01}``."""

    action: Literal["lookalike"]
    account_id: str
    name: str = Field(min_length=1)
    origin_audience_id: str = Field(min_length=1)
    lookalike_spec: dict[str, Any]


class AudienceUsers(_Params):
    """Users to add to or remove from a customer-list audience.

    ``schema`` names the key of each value (``["EMAIL"]``, or ``["EMAIL", "PHONE"]`` with
    one list per user). Plain values are normalised and SHA-256 hashed here; values that are
    already 64 hex digits are sent as they are.
    """

    action: Literal["add_users", "remove_users"]
    id: str = Field(min_length=1)
    schema_: list[str] = Field(alias="schema", min_length=1)
    users: list[str | list[str]] = Field(min_length=1)

    @field_validator("schema_", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class ConversionEvent(Forwarded):
    """Forwarded. One Conversions API event; ``event_time`` defaults to now."""

    event_name: str = Field(min_length=1)
    event_time: int | None = None
    action_source: str = Field(min_length=1)
    event_source_url: str | None = None
    event_id: str | None = None
    user_data: dict[str, Any] = Field(default_factory=dict)
    custom_data: dict[str, Any] | None = None


class ConversionEvents(_Params):
    pixel_id: str = Field(min_length=1)
    events: list[ConversionEvent] = Field(min_length=1, max_length=1000)
    test_event_code: str | None = None


def _csv(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class InsightsQuery(_Params):
    """``GET`` and ``POST /v1/marketing/insights``: lists may be CSV strings in a query."""

    level: InsightsLevel
    ids: list[str] = Field(min_length=1)
    date_preset: str | None = None
    time_range: dict[str, str] | None = None
    time_increment: int | Literal["all_days", "monthly"] | None = None
    fields: list[str] = Field(default_factory=lambda: list(DEFAULT_INSIGHTS_FIELDS))
    breakdowns: list[str] = Field(default_factory=list)
    action_breakdowns: list[str] = Field(default_factory=list)
    cached: bool = True
    limit: int | None = Field(default=None, ge=1)

    @field_validator("ids", "fields", "breakdowns", "action_breakdowns", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return _csv(value)

    @field_validator("time_range", mode="before")
    @classmethod
    def _json(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise ValueError(
                    'time_range is JSON: {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}'
                ) from None
        return value

    @field_validator("time_range")
    @classmethod
    def _range(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is not None:
            if set(value) != {"since", "until"}:
                raise ValueError("time_range has exactly since and until (YYYY-MM-DD)")
            since, until = (date.fromisoformat(value[k]) for k in ("since", "until"))
            if since > until:
                raise ValueError("time_range.since is after time_range.until")
        return value

    @field_validator("date_preset")
    @classmethod
    def _preset(cls, value: str | None) -> str | None:
        if value is not None and value not in DATE_PRESETS:
            raise ValueError(f"unknown date_preset; use one of: {', '.join(DATE_PRESETS)}")
        return value

    @model_validator(mode="after")
    def _dates(self) -> InsightsQuery:
        _not_both(self.date_preset, self.time_range, "date_preset and time_range")
        return self


class SyncRequest(_Params):
    account_id: str
    mode: Literal["inline", "queue"] = "inline"


class WebhookSubscribe(_Params):
    """``callback_url`` defaults to this gateway's inbound endpoint (``public_base_url``);
    ``verify_token`` to the operator's ``ENDPOINTR_META_WEBHOOK_VERIFY_TOKEN``."""

    object: str = Field(pattern=r"^[a-z_]+$")
    object_id: str | None = Field(default=None, min_length=1)
    fields: list[str] = Field(min_length=1)
    callback_url: str | None = None
    verify_token: str | None = None


class TokenExtend(_Params):
    """``store: true`` puts the long-lived token straight into your meta-ads credentials
    instead of returning it."""

    action: Literal["extend"]
    store: bool = False


# -- queries -----------------------------------------------------------------------------------


class RetrieveQuery(_Params):
    refresh: bool = False


class ListQuery(_Params):
    refresh: bool = False
    limit: int | None = Field(default=None, ge=1)


class AccountQuery(ListQuery):
    account_id: str


class AdSetQuery(ListQuery):
    account_id: str | None = Field(default=None, min_length=1)
    campaign_id: str | None = Field(default=None, min_length=1)


class AdQuery(AdSetQuery):
    adset_id: str | None = Field(default=None, min_length=1)
    action: Literal["preview"] | None = None
    id: str | None = Field(default=None, min_length=1)
    ad_format: str = "DESKTOP_FEED_STANDARD"


class ImageQuery(AccountQuery):
    hashes: list[str] | None = None

    @field_validator("hashes", mode="before")
    @classmethod
    def _hashes(cls, value: Any) -> Any:
        if isinstance(value, str) and value.startswith("["):
            return json.loads(value)
        return _csv(value)


class ImageDeleteQuery(_Params):
    account_id: str


class PagesQuery(ListQuery):
    include_access_tokens: bool = False


class CatalogQuery(ListQuery):
    action: Literal["product_sets", "products", "diagnostics"] | None = None
    id: str | None = Field(default=None, min_length=1)


class LeadsQuery(_Params):
    action: Literal["forms", "local"] | None = None
    page_id: str | None = Field(default=None, min_length=1)
    form_id: str | None = Field(default=None, min_length=1)
    created_after: date | None = None
    since: date | None = None
    limit: int | None = Field(default=None, ge=1)


class AuthQuery(_Params):
    action: Literal["debug-token", "scopes"] | None = None


if TYPE_CHECKING:  # what the bodies are; at runtime the unions also say how to pick a member
    CampaignBody: TypeAlias = CampaignCreate | StatusChange
    AdSetBody: TypeAlias = AdSetCreate | StatusChange
    AdBody: TypeAlias = AdCreate | StatusChange | AdPreviewRequest
    CreativeBody: TypeAlias = CreativeCreate
    AudienceBody: TypeAlias = AudienceCreate | LookalikeCreate | AudienceUsers
else:
    CampaignBody = by_action(CampaignCreate, **dict.fromkeys(STATUS_ACTIONS, StatusChange))
    AdSetBody = by_action(AdSetCreate, **dict.fromkeys(STATUS_ACTIONS, StatusChange))
    AdBody = by_action(
        AdCreate, **dict.fromkeys(STATUS_ACTIONS, StatusChange), preview=AdPreviewRequest
    )
    CreativeBody = by_action(CreativeCreate, validate=CreativeCreate)
    AudienceBody = by_action(
        AudienceCreate,
        lookalike=LookalikeCreate,
        add_users=AudienceUsers,
        remove_users=AudienceUsers,
    )
