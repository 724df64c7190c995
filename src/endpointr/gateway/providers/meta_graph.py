"""One client for Meta's Graph API (``<meta_graph_url>/<api_version>/…``).

Every call carries the token as a Bearer header (never in a URL that could be logged) and
``appsecret_proof`` when the customer stored an ``app_secret``. Lists follow Graph's cursors to
the end or to the caller's limit, one request per page. Graph errors become gateway errors with
Meta's ``code``, ``error_subcode`` and ``fbtrace_id`` kept under ``error.meta`` and, for the
contract's common gotchas, a hint that says what to do; rate limits become 429 with a
``Retry-After`` taken from Meta's usage headers.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from ..errors import BadRequest, HTTPError, Unauthorized

if TYPE_CHECKING:
    from ..gateway import Gateway

SERVICE = "meta-ads"
PAGE_SIZE = 100
Files = Mapping[str, tuple[str, bytes, str]]

_RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
_TOKEN_CODES = frozenset({102, 190, 2500})
_SEGMENT = re.compile(r"[A-Za-z0-9_.:-]+")
_HINTS = {
    "act_": (
        "account ids carry the act_ prefix (act_1234567); check the account id you passed "
        "and list yours with GET /v1/marketing/ad-accounts"
    ),
    "permission": (
        "the token's System User lacks this asset or permission: in Business Settings > System "
        "Users > Add Assets, grant the ad account, Page or pixel with Manage rights, and check "
        "the token's scopes with GET /v1/marketing/auth"
    ),
    "token": (
        "the stored access_token is expired or invalid: generate a System User token with "
        "expiration Never and store it with PUT /v1/credentials/meta-ads"
    ),
    "abusive": (
        "Meta flagged the request as automated abuse: generate the System User token against "
        "the same app whose app_id/app_secret you stored, so appsecret_proof matches"
    ),
    "rate": "Meta is rate-limiting this app or ad account; retry after the Retry-After seconds",
}


def appsecret_proof(app_secret: str, access_token: str) -> str:
    """``hex(HMAC-SHA256(key=app_secret, msg=access_token))``, Meta's proof of the app."""
    return hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()


def act_id(account_id: str) -> str:
    """``1234`` or ``act_1234`` -> ``act_1234``; anything else is a 400 that says why."""
    value = account_id.strip()
    digits = value.removeprefix("act_")
    if not digits.isdigit():
        raise BadRequest(
            f"{account_id!r} is not an ad account id: use act_<digits> (or just the digits); "
            "GET /v1/marketing/ad-accounts lists yours",
            code="invalid_account_id",
        )
    return f"act_{digits}"


def _check_path(path: str) -> None:
    """Ids that callers pass end up in Graph paths: each segment must look like one."""
    for segment in path.split("/"):
        if not _SEGMENT.fullmatch(segment) or segment in (".", ".."):
            raise BadRequest(
                f"{segment!r} (in {path!r}) is not a Graph object id or edge",
                code="invalid_graph_id",
            )


def graph_value(value: Any) -> str:
    """How Graph wants a parameter: JSON for lists and objects, ``true``/``false`` for bools."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _encode(params: Mapping[str, Any] | None) -> dict[str, str]:
    return {k: graph_value(v) for k, v in (params or {}).items() if v is not None}


def _retry_after(headers: httpx.Headers) -> int | None:
    """Seconds until Meta lets this app/account call again, from its usage headers."""
    waits: list[float] = []
    try:
        usage = json.loads(headers.get("x-business-use-case-usage") or "{}")
        for entries in usage.values():
            for entry in entries if isinstance(entries, list) else []:
                minutes = entry.get("estimated_time_to_regain_access")
                if isinstance(minutes, (int, float)):
                    waits.append(minutes * 60)
        account = json.loads(headers.get("x-ad-account-usage") or "{}")
        seconds = account.get("reset_time_duration")
        if isinstance(seconds, (int, float)):
            waits.append(seconds)
    except (ValueError, AttributeError):
        pass
    return max(1, round(max(waits))) if waits else None


def graph_error(response: httpx.Response) -> HTTPError:
    """The gateway error for a failed Graph answer (Meta's details kept, a hint attached)."""
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    if not isinstance(error, dict) or not error:
        return HTTPError(
            f"the Meta Graph API answered HTTP {response.status_code} without an error body",
            status=502,
            code="meta_bad_answer",
            retryable=response.status_code >= 500,
        )
    code = error.get("code")
    subcode = error.get("error_subcode")
    text = str(error.get("error_user_msg") or error.get("message") or "unknown error")
    meta = {
        k: error[k]
        for k in ("code", "error_subcode", "type", "fbtrace_id", "error_user_title", "message")
        if error.get(k) is not None
    }
    headers: list[tuple[str, str]] = []
    hint: str | None = None
    retryable = False
    if code in _RATE_LIMIT_CODES:
        status, slug, hint = 429, "meta_rate_limited", _HINTS["rate"]
        wait = _retry_after(response.headers)
        # Unknown or past a minute, the SDK's own retries would only burn calls: say so.
        retry = wait is not None and wait <= 60
        headers = [("retry-after", str(wait or 60)), ("x-should-retry", str(retry).lower())]
    elif code in _TOKEN_CODES:
        status, slug, hint = 401, "meta_token_invalid", _HINTS["token"]
    elif code == 10 or (isinstance(code, int) and 200 <= code <= 299):
        status, slug, hint = 403, "meta_permission_denied", _HINTS["permission"]
    elif code == 368:
        status, slug, hint = 403, "meta_blocked", _HINTS["abusive"]
    elif (code == 100 and subcode == 33) or code == 803:
        status, slug = 404, "meta_not_found"
    elif code in (1, 2) or response.status_code >= 500:
        status, slug, retryable = 502, "meta_unavailable", True
    else:
        status, slug = 400, "meta_invalid_request"
        if code == 100 and ("act_" in text or "account" in text.lower()):
            hint = _HINTS["act_"]
    message = f"Meta: {text} (#{code}" + (f"/{subcode}" if subcode else "") + ")"
    details: dict[str, object] = {"meta": meta}
    if hint:
        message += f". {hint}"
        details["hint"] = hint
    return HTTPError(
        message, status=status, code=slug, headers=headers, retryable=retryable, details=details
    )


@dataclass
class GraphClient:
    """A customer's view of the Graph API: their token, app and API version."""

    http: httpx.AsyncClient
    base_url: str
    access_token: str
    app_id: str | None = None
    app_secret: str | None = None
    business_id: str | None = None
    requests: int = field(default=0, init=False)

    @property
    def app_token(self) -> str:
        """``<app_id>|<app_secret>``, for calls made as the app (debug_token, subscriptions)."""
        if not (self.app_id and self.app_secret):
            raise BadRequest(
                "this call needs app_id and app_secret in your meta-ads credentials "
                "(PUT /v1/credentials/meta-ads)",
                code="meta_app_credentials_missing",
            )
        return f"{self.app_id}|{self.app_secret}"

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        files: Files | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """One Graph request; the JSON object it answers, or the mapped error."""
        _check_path(path)
        token = token or self.access_token
        query = _encode(params)
        if self.app_secret:
            query["appsecret_proof"] = appsecret_proof(self.app_secret, token)
        self.requests += 1
        try:
            response = await self.http.request(
                method,
                f"{self.base_url}/{path}",
                params=query,
                data=_encode(data) if data is not None else None,
                files=files,
                headers={"authorization": f"Bearer {token}"},
            )
        except httpx.TimeoutException:
            raise HTTPError(
                "the Meta Graph API did not answer in time",
                status=504,
                code="meta_timeout",
                retryable=True,
            ) from None
        except httpx.TransportError as exc:
            raise HTTPError(
                f"cannot reach the Meta Graph API ({type(exc).__name__})",
                status=502,
                code="meta_unreachable",
                retryable=True,
            ) from None
        if response.is_error:
            raise graph_error(response)
        try:
            payload = response.json()
        except ValueError:
            raise graph_error(response) from None
        if not isinstance(payload, dict):
            return {"data": payload}
        if "error" in payload:
            raise graph_error(response)
        return payload

    async def get(self, path: str, **params: Any) -> dict[str, Any]:
        return await self.call("GET", path, params=params)

    async def post(
        self, path: str, data: Mapping[str, Any], *, files: Files | None = None
    ) -> dict[str, Any]:
        return await self.call("POST", path, data=data, files=files)

    async def delete(self, path: str, **params: Any) -> dict[str, Any]:
        return await self.call("DELETE", path, params=params)

    async def pages(
        self, path: str, params: Mapping[str, Any] | None = None, *, limit: int | None = None
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """The edge's objects page by page, following ``paging.cursors.after`` while Graph
        says there is a ``next`` page, until ``limit`` objects (if given)."""
        query = dict(params or {})
        remaining = limit
        while True:
            query["limit"] = PAGE_SIZE if remaining is None else min(PAGE_SIZE, remaining)
            payload = await self.call("GET", path, params=query)
            data = [d for d in payload.get("data") or [] if isinstance(d, dict)]
            if remaining is not None:
                data = data[:remaining]
                remaining -= len(data)
            yield data
            paging = payload.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not data or not paging.get("next") or not after or remaining == 0:
                return
            query["after"] = after

    async def collect(
        self, path: str, params: Mapping[str, Any] | None = None, *, limit: int | None = None
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        async for page in self.pages(path, params, limit=limit):
            out.extend(page)
        return out


async def graph_for(gateway: Gateway, customer_id: int) -> GraphClient:
    """The Graph client of a customer, from the meta-ads credentials in their vault."""
    from ..handlers.credentials.credentials import load_credentials

    creds = await load_credentials(gateway, customer_id, SERVICE)
    if not creds or not creds.get("access_token"):
        raise Unauthorized(
            "no meta-ads credentials stored: PUT /v1/credentials/meta-ads with access_token, "
            "app_id and app_secret (see the Meta Marketing API first-time setup)",
            code="meta_credentials_missing",
        )
    settings = gateway.settings
    version = creds.get("api_version") or settings.meta_api_version
    return GraphClient(
        http=gateway.http,
        base_url=f"{settings.meta_graph_url.rstrip('/')}/{version}",
        access_token=creds["access_token"],
        app_id=creds.get("app_id"),
        app_secret=creds.get("app_secret"),
        business_id=creds.get("business_id"),
    )
