"""The embedded store: one SQLite file (see ``db.py`` for how it is opened and locked)."""

from __future__ import annotations

from ..base import (
    BindingRepo,
    CustomerRepo,
    DataKeyRepo,
    InboundRepo,
    JobRepo,
    MetaAdsAssetRepo,
    MetaAdsInsightsRepo,
    MetaAdsLeadRepo,
    MetaAdsMirrorRepo,
    MetaAdsWebhookRepo,
    MetaRepo,
    PublicKeyRepo,
    RevokedTokenRepo,
    SecretRepo,
    WebhookRepo,
)
from .bindings import SQLiteBindings, SQLiteInbound
from .core import (
    SQLiteCustomers,
    SQLiteDataKeys,
    SQLiteMeta,
    SQLitePublicKeys,
    SQLiteRevokedTokens,
    SQLiteSecrets,
)
from .db import Database
from .jobs import SQLiteJobs
from .marketing import (
    SQLiteMetaAdsAssets,
    SQLiteMetaAdsInsights,
    SQLiteMetaAdsLeads,
    SQLiteMetaAdsObjects,
    SQLiteMetaAdsWebhooks,
)
from .webhooks import SQLiteWebhooks


class SQLiteStore:
    """Implements :class:`~endpointr.gateway.store.base.Store` over one SQLite file.

    Repository methods are ``async`` for the sake of the interface (a networked database
    plugs in behind it) but run inline: each is one short transaction that never awaits.
    """

    def __init__(self, path: str) -> None:
        self.db = Database(path)
        self.db.migrate()
        self.meta: MetaRepo = SQLiteMeta(self.db)
        self.data_keys: DataKeyRepo = SQLiteDataKeys(self.db)
        self.customers: CustomerRepo = SQLiteCustomers(self.db)
        self.secrets: SecretRepo = SQLiteSecrets(self.db)
        self.public_keys: PublicKeyRepo = SQLitePublicKeys(self.db)
        self.revoked_tokens: RevokedTokenRepo = SQLiteRevokedTokens(self.db)
        self.jobs: JobRepo = SQLiteJobs(self.db)
        self.webhooks: WebhookRepo = SQLiteWebhooks(self.db)
        self.bindings: BindingRepo = SQLiteBindings(self.db)
        self.inbound: InboundRepo = SQLiteInbound(self.db)
        self.meta_ads_objects: MetaAdsMirrorRepo = SQLiteMetaAdsObjects(self.db)
        self.meta_ads_leads: MetaAdsLeadRepo = SQLiteMetaAdsLeads(self.db)
        self.meta_ads_webhooks: MetaAdsWebhookRepo = SQLiteMetaAdsWebhooks(self.db)
        self.meta_ads_insights: MetaAdsInsightsRepo = SQLiteMetaAdsInsights(self.db)
        self.meta_ads_assets: MetaAdsAssetRepo = SQLiteMetaAdsAssets(self.db)

    @property
    def location(self) -> str:
        return self.db.path

    def close(self) -> None:
        self.db.close()
