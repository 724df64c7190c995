"""``POST /v1/ai/stream``: the chat answer as the provider's own SSE frames, as they arrive.

The first provider that can stream and has credentials answers (streams never fail over: once
the headers are out the connection is committed). A failure before that is an ordinary HTTP
error; one after it is an SSE error frame. ``x-endpointr-provider`` and ``x-endpointr-model``
say who is answering, so a client knows how to read the frames.
"""

from __future__ import annotations

from ....types.ai import ChatParams
from ...http import Response
from ...providers.base import Provider, StreamResult
from .base import AIHandler, conversation


class StreamHandler(AIHandler):
    capability = "stream"

    async def create(self, body: ChatParams) -> Response:
        """Chat, streamed as Server-Sent Events in the provider's native format."""
        system, turns = conversation(body)

        async def call(provider: Provider) -> StreamResult:
            return await provider.stream(self.chat_request(body, provider, system, turns))

        result, provider, _ = await self.first(body, call, failover=False)
        response = Response.stream(result.body)
        response.headers += [
            ("x-endpointr-provider", provider.name),
            ("x-endpointr-model", result.model),
        ]
        return response
