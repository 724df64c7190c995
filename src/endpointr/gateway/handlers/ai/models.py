"""``GET /v1/ai/models``: the models a provider offers this customer."""

from __future__ import annotations

from typing import Any

from ....types.ai import ModelInfo, ModelList, ModelsQuery
from ...providers.base import Provider
from .base import AIHandler


class ModelsHandler(AIHandler):
    capability = "models"

    async def list(self, query: ModelsQuery) -> ModelList:
        """Models of ``provider`` (default: the first in your priority list that can list)."""

        async def call(provider: Provider) -> list[dict[str, Any]]:
            return await provider.models()

        models, provider, attempts = await self.first(query, call)
        return ModelList(
            provider=provider.name,
            models=[ModelInfo.model_validate(m) for m in models],
            attempts=attempts,
        )
