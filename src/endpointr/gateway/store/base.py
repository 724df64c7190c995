"""The store interface: what handlers may ask of persistence, independent of the database.

Handlers and services depend only on these protocols. ``SQLiteStore`` is the embedded
implementation; a PostgreSQL one plugs in behind the same names. Values arrive here already
sealed: the store never sees a plaintext secret.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


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


class Store(Protocol):
    """Every repository the gateway uses, plus lifecycle."""

    meta: MetaRepo
    data_keys: DataKeyRepo
    customers: CustomerRepo
    secrets: SecretRepo
    public_keys: PublicKeyRepo
    revoked_tokens: RevokedTokenRepo
    meta_ads_objects: MetaAdsMirrorRepo
    meta_ads_leads: MetaAdsLeadRepo
    meta_ads_webhooks: MetaAdsWebhookRepo
    meta_ads_insights: MetaAdsInsightsRepo
    meta_ads_assets: MetaAdsAssetRepo

    @property
    def location(self) -> str: ...

    def close(self) -> None: ...
