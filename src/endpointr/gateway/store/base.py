"""The store interface: what handlers may ask of persistence, independent of the database.

Handlers and services depend only on these protocols. ``SQLiteStore`` is the embedded
implementation; a PostgreSQL one plugs in behind the same names. Values arrive here already
sealed: the store never sees a plaintext secret.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal, Protocol


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    id: int
    name: str
    provider_priority: tuple[str, ...]
    created_at: float
    has_api_key: bool


@dataclass(frozen=True, slots=True)
class SealedRecord:
    name: str
    sealed: bytes
    updated_at: float


@dataclass(frozen=True, slots=True)
class PublicKeyRecord:
    pem: str
    updated_at: float


class MetaRepo(Protocol):
    async def get(self, key: str) -> str | None: ...
    async def set_default(self, key: str, value: str) -> str:
        """Store ``value`` unless the key exists; return what is stored (race-safe)."""
        ...


class DataKeyRepo(Protocol):
    async def all(self) -> dict[int, bytes]: ...
    async def add_first(self, key_id: int, wrapped: bytes) -> bool:
        """Insert the vault's first data key; False if another process got there first."""
        ...

    async def rewrap(self, wrapped: dict[int, bytes], expected: dict[int, bytes]) -> None:
        """Replace every wrapped key at once; fail if the stored set is not ``expected``."""
        ...


class CustomerRepo(Protocol):
    async def create(self, name: str, api_key_hash: str | None) -> CustomerRecord: ...
    async def get(self, customer_id: int) -> CustomerRecord | None: ...
    async def by_name(self, name: str) -> CustomerRecord | None: ...
    async def by_api_key_hash(self, api_key_hash: str) -> CustomerRecord | None: ...
    async def list(self) -> list[CustomerRecord]: ...
    async def delete(self, customer_id: int) -> bool: ...
    async def set_api_key_hash(self, customer_id: int, api_key_hash: str) -> None: ...
    async def set_priority(self, customer_id: int, priority: tuple[str, ...]) -> None: ...
    async def add_to_priority(self, customer_id: int, slug: str) -> None:
        """Append ``slug`` to the priority list unless it is already there (atomic)."""
        ...

    async def remove_from_priority(self, customer_id: int, slug: str) -> None: ...


class SecretRepo(Protocol):
    """Sealed values addressed by (customer, kind, name); customer 0 is the gateway itself."""

    async def put(self, customer_id: int, kind: str, name: str, sealed: bytes) -> float: ...
    async def add(self, customer_id: int, kind: str, name: str, sealed: bytes) -> bool:
        """Insert unless the row exists; False if it did (race-safe first write)."""
        ...

    async def get(self, customer_id: int, kind: str, name: str) -> SealedRecord | None: ...
    async def list(self, customer_id: int, kind: str) -> list[SealedRecord]: ...
    async def delete(self, customer_id: int, kind: str, name: str) -> bool: ...


class PublicKeyRepo(Protocol):
    async def put(self, customer_id: int, pem: str) -> float: ...
    async def get(self, customer_id: int) -> PublicKeyRecord | None: ...


class RevokedTokenRepo(Protocol):
    async def revoke(self, jti: str, customer_id: int, expires_at: float) -> None: ...
    async def is_revoked(self, jti: str) -> bool: ...


# -- Meta Marketing -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MirrorScope:
    """Where a listed object belongs: its ad account (or owner: ``me``, a business id) and, for
    ad sets and ads, its campaign and ad set."""

    account_id: str | None = None
    campaign_id: str | None = None
    adset_id: str | None = None

    @property
    def key(self) -> str:
        """The most specific parent: what a listing of this scope was synced under."""
        return self.adset_id or self.campaign_id or self.account_id or ""


@dataclass(frozen=True, slots=True)
class MirrorRow:
    """One Graph object of the local mirror; ``data`` is its JSON."""

    level: str
    id: str
    data: str
    scope: MirrorScope = MirrorScope()


@dataclass(frozen=True, slots=True)
class MirrorRecord:
    data: str
    scope: MirrorScope
    synced_at: float
    deleted_at: float | None


class MetaAdsMirrorRepo(Protocol):
    """Graph objects per (customer, level, id): campaigns, ad sets, ads, creatives, …"""

    async def upsert(self, customer_id: int, rows: Sequence[MirrorRow]) -> None: ...
    async def complete(
        self, customer_id: int, level: str, scope: MirrorScope, started: float
    ) -> int:
        """A complete listing of ``scope`` was upserted since ``started``: soft-delete the
        scope's rows it did not include and remember the scope as synced. Returns how many
        rows were soft-deleted."""
        ...

    async def get(self, customer_id: int, level: str, id: str) -> MirrorRecord | None: ...
    async def list_json(
        self, customer_id: int, level: str, scope: MirrorScope, limit: int | None = None
    ) -> list[str]:
        """The JSON of the scope's live (not soft-deleted) rows, newest id first."""
        ...

    async def soft_delete(self, customer_id: int, level: str, id: str) -> bool: ...
    async def synced(self, customer_id: int, level: str, keys: Sequence[str]) -> bool:
        """Whether a complete listing of any of the scope ``keys`` was ever mirrored."""
        ...


@dataclass(frozen=True, slots=True)
class LeadRow:
    id: str
    form_id: str | None
    created_time: float
    data: str


class MetaAdsLeadRepo(Protocol):
    """The local lead inbox: leads pulled from Graph or delivered by the leadgen webhook."""

    async def upsert(self, customer_id: int, rows: Sequence[LeadRow]) -> None: ...
    async def get(self, customer_id: int, id: str) -> str | None: ...
    async def list_json(
        self,
        customer_id: int,
        *,
        form_id: str | None = None,
        since: float | None = None,
        limit: int | None = None,
    ) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One inbound Meta webhook delivery, as it arrived."""

    id: int
    customer_id: int | None
    object: str | None
    status: str
    received_at: float
    body: bytes


@dataclass(frozen=True, slots=True)
class SubscriptionRecord:
    customer_id: int
    object: str
    object_id: str
    fields: tuple[str, ...]
    callback_url: str | None
    updated_at: float = 0.0


class MetaAdsWebhookRepo(Protocol):
    """Inbound deliveries (kept for audit) and the (object, object_id) -> customer map."""

    async def record(self, object: str | None, body: bytes, status: str) -> int: ...
    async def attribute(self, delivery_id: int, customer_id: int | None, status: str) -> None:
        """Set who a delivery belongs to (``None``: nobody) and what became of it."""
        ...

    async def deliveries(
        self, *, customer_id: int | None = None, unattributed: bool = False, limit: int = 100
    ) -> list[DeliveryRecord]: ...
    async def subscribe(self, record: SubscriptionRecord) -> SubscriptionRecord:
        """Insert or update; ``ValueError`` when another customer owns (object, object_id)."""
        ...

    async def subscriptions(self, customer_id: int) -> list[SubscriptionRecord]: ...
    async def owners(self, object: str, object_ids: Sequence[str]) -> dict[str, int]: ...
    async def unsubscribe(self, customer_id: int, object: str) -> int: ...


class MetaAdsInsightsRepo(Protocol):
    """Insights snapshots: the rows of one query, keyed by a digest of its parameters."""

    async def get(self, customer_id: int, key: str) -> tuple[str, float] | None:
        """``(rows JSON, fetched_at)`` of the stored snapshot, if any."""
        ...

    async def put(self, customer_id: int, key: str, level: str, rows: str) -> float: ...


@dataclass(frozen=True, slots=True)
class AssetRecord:
    """An image or video upload made through this gateway."""

    id: int
    customer_id: int
    kind: str
    account_id: str
    name: str | None
    size: int
    state: str
    progress: int
    remote_id: str | None
    job_id: str | None
    error: str | None
    raw: str | None
    updated_at: float


class MetaAdsAssetRepo(Protocol):
    async def create(
        self, customer_id: int, kind: str, account_id: str, *, name: str | None, size: int,
        state: str,
    ) -> AssetRecord: ...  # fmt: skip
    async def get(self, customer_id: int, asset_id: int) -> AssetRecord | None: ...
    async def update(
        self,
        asset_id: int,
        *,
        state: str | None = None,
        progress: int | None = None,
        remote_id: str | None = None,
        job_id: str | None = None,
        error: str | None = None,
        raw: str | None = None,
    ) -> AssetRecord: ...
    async def stage(self, asset_id: int, data: bytes) -> None:
        """Keep an upload's bytes (in parts) until a job sends them on."""
        ...

    async def staged(self, asset_id: int, start: int, end: int) -> bytes:
        """Bytes ``start`` to ``end`` (exclusive) of what :meth:`stage` kept."""
        ...

    async def unstage(self, asset_id: int) -> None: ...


class Store(Protocol):
    """Every repository the gateway uses, plus lifecycle."""

    meta: MetaRepo
    data_keys: DataKeyRepo
    customers: CustomerRepo
    secrets: SecretRepo
    public_keys: PublicKeyRepo
    revoked_tokens: RevokedTokenRepo
    jobs: JobRepo
    webhooks: WebhookRepo
    bindings: BindingRepo
    inbound: InboundRepo
    meta_ads_objects: MetaAdsMirrorRepo
    meta_ads_leads: MetaAdsLeadRepo
    meta_ads_webhooks: MetaAdsWebhookRepo
    meta_ads_insights: MetaAdsInsightsRepo
    meta_ads_assets: MetaAdsAssetRepo

    @property
    def location(self) -> str: ...

    def close(self) -> None: ...


# -- jobs ---------------------------------------------------------------------------------------

#: A ``customer_id`` filter that matches every customer's jobs (operators only).
ANY_CUSTOMER: Final = -1

JobState = Literal["queued", "running", "succeeded", "failed"]
AttemptOutcome = Literal["succeeded", "retry", "failed", "lost"]


@dataclass(frozen=True, slots=True)
class NewJobRecord:
    id: str
    kind: str
    customer_id: int | None
    payload: bytes  # sealed
    run_at: float
    max_attempts: int
    ref: str | None = None
    label: str | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class JobRecord:
    id: str
    kind: str
    customer_id: int | None
    ref: str | None
    label: str | None
    state: JobState
    available_at: float  # queued: when it may run; running: when its lease ends
    attempts: int
    max_attempts: int
    last_error: str | None
    last_status: int | None
    created_at: float
    updated_at: float
    finished_at: float | None


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    record: JobRecord
    payload: bytes
    lease_token: str


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    job_id: str
    attempt: int
    started_at: float | None
    finished_at: float
    outcome: AttemptOutcome
    status: int | None = None
    error: str | None = None
    next_run_at: float | None = None


@dataclass(frozen=True, slots=True)
class JobOutcome:
    job_id: str
    lease_token: str
    state: JobState  # succeeded, failed, or queued (to retry)
    attempt: AttemptRecord


@dataclass(frozen=True, slots=True)
class QueueStats:
    due: int  # queued and due now
    running: int  # leased and not expired
    next_run_at: float | None  # the earliest queued job not yet due


class JobRepo(Protocol):
    """The durable job queue. ``customer_id=ANY`` (``-1``) in a filter means every customer."""

    async def add(self, jobs: Sequence[NewJobRecord]) -> list[str]:
        """Insert; a job whose ``key`` exists is not added again (its existing id is returned)."""
        ...

    async def claim(
        self, *, leases: Mapping[str, float], limit: int, customer_id: int | None, now: float
    ) -> list[ClaimedJob]:
        """Lease up to ``limit`` due jobs of the given kinds (kind -> lease seconds).

        A running job whose lease has expired is due again: its lost attempt is recorded, and
        it fails for good if that was its last one.
        """
        ...

    async def extend(self, job_id: str, lease_token: str, until: float) -> bool: ...
    async def finish(self, outcomes: Sequence[JobOutcome]) -> list[bool]:
        """Record each attempt and move its job on (``attempt.next_run_at`` for a retry), all
        in one transaction; False for a job whose lease was lost meanwhile (nothing is
        written for it then)."""
        ...

    async def release(self, job_id: str, lease_token: str) -> None:
        """Give an unfinished job back (shutdown): due now, the attempt not counted."""
        ...

    async def get(self, job_id: str) -> JobRecord | None: ...
    async def attempts(self, job_ids: Sequence[str]) -> dict[str, list[AttemptRecord]]: ...
    async def stats(
        self, *, customer_id: int | None, kinds: Sequence[str], now: float
    ) -> QueueStats: ...
    async def retry_now(self, job_id: str, customer_id: int | None, now: float) -> bool:
        """Make a queued or failed job due now (a failed one gets one more attempt)."""
        ...

    async def prune(self, finished_before: float) -> int: ...
    async def list(
        self,
        *,
        customer_id: int | None,
        state: JobState | None = None,
        ref: str | None = None,
        limit: int = 50,
    ) -> list[JobRecord]: ...


# -- outbound webhooks, bindings, inbound webhooks ---------------------------------------------


@dataclass(frozen=True, slots=True)
class WebhookRecord:
    id: str
    customer_id: int
    event: str  # an event name, or a pattern: "Prefix.*", "*"
    url: str
    secret: bytes  # sealed
    created_at: float


class WebhookRepo(Protocol):
    async def add(self, record: WebhookRecord) -> None: ...
    async def get(self, customer_id: int, webhook_id: str) -> WebhookRecord | None: ...
    async def delete(self, customer_id: int, webhook_id: str) -> bool: ...
    async def matching(self, customer_id: int, patterns: Sequence[str]) -> list[WebhookRecord]:
        """The customer's webhooks whose ``event`` is one of ``patterns``."""
        ...

    async def list(self, customer_id: int) -> list[WebhookRecord]: ...


@dataclass(frozen=True, slots=True)
class BindingRecord:
    id: str
    customer_id: int
    trigger_event: str
    action: str
    enabled: bool
    mapping: dict[str, object]
    created_at: float
    updated_at: float


class BindingRepo(Protocol):
    async def add(self, record: BindingRecord) -> None: ...
    async def get(self, customer_id: int, binding_id: str) -> BindingRecord | None: ...
    async def replace(self, record: BindingRecord) -> bool: ...
    async def delete(self, customer_id: int, binding_id: str) -> bool: ...
    async def matching(self, customer_id: int, patterns: Sequence[str]) -> list[BindingRecord]:
        """The customer's enabled bindings whose trigger is one of ``patterns``."""
        ...

    async def list(self, customer_id: int) -> list[BindingRecord]: ...


@dataclass(frozen=True, slots=True)
class InboundEndpointRecord:
    token: str
    customer_id: int
    provider: str
    label: str | None
    secret: bytes  # sealed
    created_at: float


InboundStatus = Literal["accepted", "duplicate", "rejected"]


@dataclass(frozen=True, slots=True)
class InboundEventRecord:
    id: str
    token: str
    customer_id: int | None
    provider: str
    status: InboundStatus
    received_at: float
    event: str | None = None  # the event name it fires, e.g. stripe.payment_intent.succeeded
    event_id: str | None = None  # the provider's id for it (replays are matched on it)
    reason: str | None = None  # why it was rejected


class InboundRepo(Protocol):
    async def add_endpoint(self, record: InboundEndpointRecord) -> None: ...
    async def endpoints(self, customer_id: int) -> list[InboundEndpointRecord]: ...
    async def endpoint(self, token: str) -> InboundEndpointRecord | None: ...
    async def delete_endpoint(self, customer_id: int, token: str) -> bool: ...
    async def accept(
        self, event: InboundEventRecord, payload: bytes, dispatch: NewJobRecord
    ) -> bool:
        """Store a verified event and queue its dispatch, atomically; False (and the event
        recorded as a duplicate instead) when its ``event_id`` was accepted before."""
        ...

    async def record(self, event: InboundEventRecord) -> None:
        """Record a request that was not accepted (unknown token, bad signature)."""
        ...

    async def event(self, event_id: str) -> tuple[InboundEventRecord, bytes] | None: ...
    async def recent(self, token: str, limit: int = 10) -> list[InboundEventRecord]: ...
