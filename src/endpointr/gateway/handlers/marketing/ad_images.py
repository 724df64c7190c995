"""``/v1/marketing/ad-images``: the ad account's image library (images are addressed by hash)."""

from __future__ import annotations

import json

from ....types._base import Deleted
from ....types.marketing import AdImage, ImageDeleteQuery, ImageQuery, ImageUpload, ObjectPage
from ...errors import BadGateway
from ...providers.meta_graph import act_id
from ...store.base import MirrorScope
from . import _media
from ._base import MarketingHandler, Prepared
from ._mirror import IMAGES

#: Meta's limit for an ad image.
MAX_IMAGE_BYTES = 30 * _media.MIB


class AdImagesHandler(MarketingHandler):
    async def list(self, query: ImageQuery) -> Prepared[ObjectPage[AdImage]]:
        """Images of an ad account (``refresh=true``: from Meta); ``hashes`` (a JSON array or
        CSV) asks Meta for just those."""
        account = act_id(query.account_id)
        path, scope = f"{account}/{IMAGES.edge}", MirrorScope(account)
        if query.hashes:
            return await self.live_page(
                IMAGES, path, scope, limit=query.limit, params={"hashes": query.hashes}
            )
        return await self.mirrored_page(
            IMAGES, path, scope, refresh=query.refresh, limit=query.limit
        )

    async def create(self, body: ImageUpload) -> AdImage:
        """Upload an image (PNG, JPEG, GIF or WEBP, by its bytes) to the account's library;
        the answer's ``hash`` is what creatives reference."""
        media = await _media.load(
            self.ctx,
            kind="image",
            b64=body.image_base64,
            url=body.image_url,
            upload_url=body.upload_url,
            max_bytes=MAX_IMAGE_BYTES,
        )
        ext, mime = _media.image_type(media.data)
        name = body.name or f"image.{ext}"
        account = act_id(body.account_id)
        graph = await self.graph()
        answer = await graph.post(
            f"{account}/{IMAGES.edge}", {}, files={"filename": (name, media.data, mime)}
        )
        uploaded = next(iter((answer.get("images") or {}).values()), None)
        if not isinstance(uploaded, dict) or not uploaded.get("hash"):
            raise BadGateway("Meta accepted the image but returned no hash", code="meta_bad_answer")
        found = await graph.get(
            f"{account}/{IMAGES.edge}", hashes=[uploaded["hash"]], fields=IMAGES.fields
        )
        details = next(iter(found.get("data") or []), uploaded)
        (row,) = await self.mirror.save(IMAGES, [details], scope=MirrorScope(account))
        assets = self.ctx.store.meta_ads_assets
        asset = await assets.create(
            self.customer.id, "image", account, name=name, size=len(media), state="ready"
        )
        await assets.update(asset.id, progress=100, remote_id=row.id, raw=json.dumps(answer))
        return AdImage.model_validate({**json.loads(row.data), "asset_id": asset.id, "raw": answer})

    async def delete(self, id: str, query: ImageDeleteQuery) -> Deleted:
        """Delete the image whose hash is ``id`` from the account's library."""
        graph = await self.graph()
        await graph.delete(f"{act_id(query.account_id)}/{IMAGES.edge}", hash=id)
        await self.mirror.forget(IMAGES, id)
        return Deleted(id=id)
