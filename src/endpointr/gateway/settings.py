"""Operator settings: one validated object, read from ``ENDPOINTR_*`` variables in one place.

The same names work as keyword arguments (``Settings.from_env(allow_private_networks=True)``),
which is how ``Endpointr.local(settings=...)`` and ``endpointr serve`` options reach it.
Customers never set these: they are the operator's.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

MIB = 1024 * 1024

# Environment names the contract uses, honoured beside the ENDPOINTR_* ones.
_ALIASES: dict[str, tuple[str, ...]] = {
    "meta_webhook_verify_token": ("META_WEBHOOK_VERIFY_TOKEN",),
    "meta_api_version": ("META_DEFAULT_API_VERSION",),
    "claude_code_oauth_token": ("CLAUDE_CODE_OAUTH_TOKEN",),
    "codex_home": ("CODEX_HOME",),
}


def default_vault_path() -> Path:
    """Where ``Endpointr.local()``, the CLI and ``endpointr serve`` keep the vault by default."""
    from platformdirs import user_data_path

    return user_data_path("endpointr", appauthor=False) / "vault.db"


class Settings(BaseModel):
    """Everything an operator can configure. Unknown names are an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    vault: str | None = Field(
        default=None, description="Vault file; ':memory:' for a throw-away vault."
    )
    master_key: SecretStr | None = Field(
        default=None, description="Base64 of 32 bytes; else keyring, else a 0600 key file."
    )
    key_dir: str | None = Field(
        default=None, description="Folder of key files (default: the user config dir)."
    )
    allow_private_networks: bool = Field(
        default=False, description="Let user-supplied URLs reach loopback and private networks."
    )
    max_body_bytes: int = Field(default=32 * MIB, gt=0)
    public_base_url: str | None = Field(
        default=None, description="Public URL of this gateway, used in URLs it hands out."
    )
    uploads_dir: str | None = Field(
        default=None,
        description="Folder for /v1/ai/upload files (default: 'uploads' beside the vault).",
    )
    upstream_timeout: float = Field(default=60.0, gt=0)
    jwt_ttl: int = Field(default=3600, gt=0, description="Lifetime of issued JWTs, seconds.")
    jobs_concurrency: int = Field(
        default=4,
        ge=0,
        description="Jobs a process runs at once in the background (endpointr serve, endpointr"
        " worker, an open local client); 0: none (drain with run_pending).",
    )
    job_poll_interval: float = Field(
        default=1.0, gt=0, description="Seconds an idle worker waits before looking for jobs."
    )
    webhook_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a webhook receiver has to answer a delivery."
    )
    handler_modules: tuple[str, ...] = Field(
        default=(), description="Extra modules whose Handler classes are registered."
    )
    openai_base_url: str = "https://api.openai.com/v1"
    anthropic_base_url: str = "https://api.anthropic.com"
    openrouter_base_url: str = "https://openrouter.ai/api/v1"
    claude_cli_path: str = Field(default="claude", description="The claude-cli binary.")
    codex_cli_path: str = Field(default="codex", description="The openai-cli binary.")
    cli_timeout: float = Field(default=300.0, gt=0, description="Seconds a CLI run may take.")
    claude_code_oauth_token: SecretStr | None = Field(
        default=None, description="claude-cli token for customers who stored none."
    )
    codex_home: str | None = Field(
        default=None, description="codex's state folder (its login), default ~/.codex."
    )
    meta_graph_url: str = "https://graph.facebook.com"
    meta_api_version: str = "v24.0"
    meta_webhook_verify_token: SecretStr | None = None

    @field_validator("handler_modules", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Read ``ENDPOINTR_<NAME>`` for every field; keyword overrides win over the env."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            for key in (f"ENDPOINTR_{name.upper()}", *_ALIASES.get(name, ())):
                if key in env and env[key] != "":
                    values[name] = env[key]
                    break
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(values)

    def vault_path(self) -> str:
        return self.vault or str(default_vault_path())
