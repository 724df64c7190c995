"""Credential maps per service, as the contract lists them; other services take any map."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, field_validator

from ._base import Model, Params

#: Services whose credentials feed the AI provider priority list.
AI_PROVIDERS = ("openai", "anthropic", "openrouter", "claude-cli", "openai-cli")

Secret = Field(min_length=1)


class CredentialStatus(Model):
    service: str
    exists: bool
    fields: list[str] = Field(default_factory=list)
    updated_at: datetime | None = None


class ApiKeyCredentials(Params):
    api_key: str = Secret


class OpenAICredentials(ApiKeyCredentials):
    organization: str | None = None


class OpenRouterCredentials(ApiKeyCredentials):
    referer: str | None = None
    app_title: str | None = None


class ClaudeCliCredentials(Params):
    oauth_token: str = Secret


class StripeCredentials(ApiKeyCredentials):
    webhook_secret: str | None = None


class DineroCredentials(Params):
    client_id: str = Secret
    client_secret: str = Secret
    organization_id: int | str


class EconomicCredentials(Params):
    app_secret: str = Secret
    agreement_grant: str = Secret


class MailchimpCredentials(ApiKeyCredentials):
    list_id: str | None = None

    @field_validator("api_key")
    @classmethod
    def _has_datacenter(cls, value: str) -> str:
        if "-" not in value:
            raise ValueError("a Mailchimp api_key ends with its data-center suffix, e.g. -us21")
        return value


class MetaAdsCredentials(Params):
    access_token: str = Secret
    app_id: str = Secret
    app_secret: str = Secret
    business_id: str | None = None
    api_version: str | None = Field(default=None, pattern=r"^v\d+\.\d+$")


class GoogleCredentials(Params):
    client_id: str = Secret
    client_secret: str = Secret
    refresh_token: str = Secret


class MicrosoftGraphCredentials(GoogleCredentials):
    tenant_id: str = Secret


SCHEMAS: dict[str, type[Params]] = {
    "openai": OpenAICredentials,
    "anthropic": ApiKeyCredentials,
    "openrouter": OpenRouterCredentials,
    "claude-cli": ClaudeCliCredentials,
    "openai-cli": ApiKeyCredentials,
    "stripe": StripeCredentials,
    "dinero": DineroCredentials,
    "economic": EconomicCredentials,
    "mailchimp": MailchimpCredentials,
    "ipregistry": ApiKeyCredentials,
    "clearhaus": ApiKeyCredentials,
    "meta-ads": MetaAdsCredentials,
    "missive": ApiKeyCredentials,
    "google": GoogleCredentials,
    "microsoft-graph": MicrosoftGraphCredentials,
    "atlascloud": ApiKeyCredentials,
}
