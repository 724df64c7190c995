"""OpenRouter: OpenAI's chat wire, plus images through chat completions with image output."""

from __future__ import annotations

from typing import Any

from .base import ChatMessage, ImageRequest, ImageResult
from .openai import OpenAICompatible, content_parts


class OpenRouter(OpenAICompatible):
    name = "openrouter"
    base_url_setting = "openrouter_base_url"

    def headers(self) -> dict[str, str]:
        headers = super().headers()
        # Optional app attribution (OpenRouter's rankings).
        if self.credentials.get("referer"):
            headers["http-referer"] = str(self.credentials["referer"])
        if self.credentials.get("app_title"):
            headers["x-title"] = str(self.credentials["app_title"])
        return headers

    async def image(self, request: ImageRequest) -> ImageResult:
        """Chat completions with ``modalities: ["image", "text"]``; references ride along as
        image parts. Images come back as data URIs and are answered as ``b64_json``."""
        message = ChatMessage("user", request.prompt, request.references)
        payload = {
            "model": request.model,
            "messages": [{"role": "user", "content": content_parts(message)}],
            "modalities": ["image", "text"],
        }
        body = await self.send("POST", "/chat/completions", payload=payload)
        try:
            message_out: dict[str, Any] = body["choices"][0]["message"]
        except (KeyError, IndexError, TypeError):
            raise self.malformed("a body that is not a chat completion") from None
        images = []
        for item in message_out.get("images") or []:
            url = str((item.get("image_url") or {}).get("url") or "")
            if url.startswith("data:"):
                images.append({"b64_json": url.partition(",")[2]})
            elif url:
                images.append({"url": url})
        if not images:
            text = (message_out.get("content") or "").strip()
            raise self.error(
                502,
                f"openrouter answered without an image from {request.model}"
                + (f" (it said: {text[:200]})" if text else "")
                + "; is it an image model?",
                code="no_image",
            )
        return ImageResult(str(body.get("model") or request.model), images)
