"""Remote mode against `make run` (or any Endpointr server).

ENDPOINTR_API_KEY=epk_... python examples/remote_client.py
"""

import asyncio
import os

from endpointr import AsyncEndpointr, Endpointr

base_url = os.environ.get("ENDPOINTR_BASE_URL", "http://127.0.0.1:8080")

with Endpointr(base_url=base_url) as client:  # api_key from ENDPOINTR_API_KEY
    client.vault.put("hello", {"world": 1})
    print("sync:", client.vault.get("hello"))
    print("token:", client.auth.introspect())


async def main() -> None:
    async with AsyncEndpointr(base_url=base_url) as client:
        entries = await client.vault.list()
        print("async:", [e.name for e in entries])


asyncio.run(main())
