"""``POST /v1/ai/chat``: text in, text out, from the first provider that answers."""

from __future__ import annotations

from ....types.ai import ChatParams, ChatResponse
from .base import AIHandler


class ChatHandler(AIHandler):
    capability = "chat"

    async def create(self, body: ChatParams) -> ChatResponse:
        """Chat: ``prompt`` or ``messages``; provider and model say who answered."""
        return await self.answer(body)
