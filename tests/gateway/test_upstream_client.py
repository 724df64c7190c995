"""The gateway's shared upstream client serves every customer, so it keeps no cookies."""

from __future__ import annotations

import httpx

from endpointr.gateway.net.upstream import new_client


async def test_a_cookie_set_by_one_answer_is_never_sent_again() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"set-cookie": "__cf_bm=visitor-1; path=/"},
            text=request.headers.get("cookie", "no cookie"),
        )

    client = new_client(5.0)
    client._transport = httpx.MockTransport(answer)
    async with client:
        await client.get("https://api.example.test/v1/models")
        second = await client.get("https://api.example.test/v1/models")
    assert second.text == "no cookie"
    assert not client.cookies
