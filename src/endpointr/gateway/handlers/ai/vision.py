"""``POST /v1/ai/vision``: an image and text in, text out."""

from __future__ import annotations

from ....types.ai import ChatResponse, VisionParams
from ...providers.media import image_part
from .base import AIHandler


class VisionHandler(AIHandler):
    capability = "vision"

    async def create(self, body: VisionParams) -> ChatResponse:
        """Describe or answer questions about ``image_url`` (https, data URI or an upload)."""
        image = await image_part(
            self.ctx.gateway, self.ctx.request, body.image_url, what="image_url"
        )
        return await self.answer(body, image)
