"""``POST /v1/ai/image``: generate images (OpenAI, OpenRouter), or edit from references."""

from __future__ import annotations

from ...._media import MediaError, decode_base64, image_format
from ....types.ai import GeneratedImage, ImageParams, ImageResponse
from ...providers.base import ImagePart, ImageRequest, ImageResult, Provider
from ...providers.media import image_part
from ...uploads import UploadStore, public_url
from .base import AIHandler


class ImageHandler(AIHandler):
    capability = "image"

    async def create(self, body: ImageParams) -> ImageResponse:
        """Images from a prompt; ``reference_images`` make it an edit / style transfer."""
        references: list[ImagePart] = []
        for i, ref in enumerate(body.reference_images or []):
            what = f"reference_images[{i}]"
            references.append(
                await image_part(
                    self.ctx.gateway, self.ctx.request, ref, what=what, bare_base64=True
                )
            )

        async def call(provider: Provider) -> ImageResult:
            request = ImageRequest(
                model=body.model or provider.default_model("image"),
                prompt=body.prompt,
                n=body.n,
                size=body.size,
                quality=body.quality,
                style=body.style,
                response_format=body.response_format,
                references=references,
            )
            return await provider.image(request)

        result, provider, attempts = await self.first(body, call)
        images = result.images
        if body.response_format == "url":
            images = [await self._as_url(image) for image in images]
        return ImageResponse(
            provider=provider.name,
            model=result.model,
            images=[GeneratedImage.model_validate(image) for image in images],
            attempts=attempts,
        )

    async def _as_url(self, image: dict[str, str]) -> dict[str, str]:
        """A base64-only image (gpt-image models, OpenRouter) as a URL on this gateway."""
        if "url" in image or "b64_json" not in image:
            return image
        try:
            data = decode_base64(image["b64_json"])
            fmt = image_format(data)
        except MediaError:
            return image
        stored = await UploadStore.of(self.ctx.gateway).save(data, fmt)
        out = {k: v for k, v in image.items() if k != "b64_json"}
        out["url"] = public_url(self.ctx.gateway, self.ctx.request, stored.name)
        return out
