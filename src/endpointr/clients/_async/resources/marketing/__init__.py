"""``client.marketing``: Meta Marketing through the gateway (campaigns … insights, leads)."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from .....types.marketing import SyncResult
from ...._base import NOT_GIVEN, Timeout
from ..._resource import AsyncAPIResource
from .accounts import AsyncAdAccounts, AsyncCatalogs, AsyncMarketingAuth, AsyncPages, AsyncPixels
from .insights import AsyncInsights, AsyncLeads
from .media import AsyncAdImages, AsyncAdVideos
from .objects import AsyncAds, AsyncAdSets, AsyncAudiences, AsyncCampaigns, AsyncCreatives
from .webhooks import AsyncWebhookSubscriptions


class AsyncMarketing(AsyncAPIResource):
    """Every ``/v1/marketing`` resource. Lists read the local mirror of your Meta objects
    (``.source == "local"``) unless you pass ``refresh=True``; :meth:`sync` refreshes a whole
    ad account."""

    @cached_property
    def campaigns(self) -> AsyncCampaigns:
        return AsyncCampaigns(self._client)

    @cached_property
    def ad_sets(self) -> AsyncAdSets:
        return AsyncAdSets(self._client)

    @cached_property
    def ads(self) -> AsyncAds:
        return AsyncAds(self._client)

    @cached_property
    def creatives(self) -> AsyncCreatives:
        return AsyncCreatives(self._client)

    @cached_property
    def ad_images(self) -> AsyncAdImages:
        return AsyncAdImages(self._client)

    @cached_property
    def ad_videos(self) -> AsyncAdVideos:
        return AsyncAdVideos(self._client)

    @cached_property
    def audiences(self) -> AsyncAudiences:
        return AsyncAudiences(self._client)

    @cached_property
    def ad_accounts(self) -> AsyncAdAccounts:
        return AsyncAdAccounts(self._client)

    @cached_property
    def pages(self) -> AsyncPages:
        return AsyncPages(self._client)

    @cached_property
    def pixels(self) -> AsyncPixels:
        return AsyncPixels(self._client)

    @cached_property
    def insights(self) -> AsyncInsights:
        return AsyncInsights(self._client)

    @cached_property
    def leads(self) -> AsyncLeads:
        return AsyncLeads(self._client)

    @cached_property
    def catalogs(self) -> AsyncCatalogs:
        return AsyncCatalogs(self._client)

    @cached_property
    def auth(self) -> AsyncMarketingAuth:
        return AsyncMarketingAuth(self._client)

    @cached_property
    def webhook_subscriptions(self) -> AsyncWebhookSubscriptions:
        return AsyncWebhookSubscriptions(self._client)

    async def sync(
        self,
        *,
        account_id: str,
        mode: Literal["inline", "queue"] = "inline",
        timeout: Timeout = NOT_GIVEN,
    ) -> SyncResult:
        """Refresh the mirror of one ad account (campaigns, ad sets, ads, creatives):
        ``inline`` in this call, returning the counts; ``queue`` as a job (``.job_id``)."""
        return await self._client._request(
            "POST",
            "/v1/marketing/sync",
            json={"account_id": account_id, "mode": mode},
            cast=SyncResult,
            timeout=timeout,
        )
