"""A stateful fake of Meta's Graph API, served by the ``upstream`` fixture at ``/graph``.

It behaves like Graph for what the marketing routes use: 15-digit ids, ``fields`` selection,
cursor paging (``paging.cursors.after`` + ``paging.next``), ``{"error": {message, type, code,
error_subcode, fbtrace_id}}`` bodies, the Bearer token and ``appsecret_proof`` checked on
every call, the resumable video upload phases (start / transfer / finish), image hashes (the
MD5 of the bytes, as Meta's are), custom-audience user uploads, Conversions API events, token
debugging and app webhook subscriptions. Every request is recorded in :attr:`calls` so tests
can count Graph requests and inspect what was sent.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import hashlib
import hmac
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qsl

import httpx

from tests.support.upstream import FakeUpstream

VERSION = "v24.0"
TOKEN = "EAAB-system-user-token"
APP_ID = "1234567890123456"
APP_SECRET = "abcdef0123456789abcdef0123456789"
BUSINESS_ID = "9876543210987654"
PAGE_TOKEN = "EAAB-page-token"
CREDENTIALS = {"access_token": TOKEN, "app_id": APP_ID, "app_secret": APP_SECRET}
HEX64 = re.compile(r"^[0-9a-f]{64}$")

# Edge name -> the object type it lists, and the field that ties a child to its parent.
_ACCOUNT_EDGES = {
    "campaigns": "campaign",
    "adsets": "adset",
    "ads": "ad",
    "adcreatives": "creative",
    "customaudiences": "audience",
    "adimages": "image",
    "advideos": "video",
    "adspixels": "pixel",
}
_PARENT_FIELD = {
    "campaign": "campaign_id",
    "adset": "adset_id",
    "page": "page_id",
    "form": "form_id",
}


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, Any]
    data: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    version: str = VERSION


@dataclass
class Failure:
    method: str
    path: str
    error: dict[str, Any]
    status: int
    headers: dict[str, str]
    times: int


def _decode(value: str) -> Any:
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _parse_multipart(request: httpx.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    data: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            files[name] = payload
            data[f"{name}.filename"] = part.get_filename()
        else:
            data[name] = _decode(payload.decode())
    return data, files


def _select(obj: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """Graph's ``fields``: only what was asked for (and the id), ``a{b,c}`` for sub-fields."""
    if not fields:
        return {"id": obj["id"]} if "id" in obj else {}
    out: dict[str, Any] = {}
    for match in re.finditer(r"(\w+)(\{[^}]*\})?", fields):
        name, sub = match.group(1), match.group(2)
        if name in obj:
            value = obj[name]
            if sub and isinstance(value, dict):
                value = _select(value, sub[1:-1])
            out[name] = value
    if "id" in obj and "id" not in out and obj.get("_type") != "image":
        out["id"] = obj["id"]
    return out


class FakeGraph:
    """Install with ``FakeGraph(upstream)``; seed objects with :meth:`add`."""

    def __init__(self, upstream: FakeUpstream, *, require_proof: bool = True) -> None:
        self.base = f"{upstream.url}/graph/{VERSION}/"
        self.require_proof = require_proof
        self.objects: dict[str, dict[str, Any]] = {}
        self.calls: list[Call] = []
        self.failures: list[Failure] = []
        self.app_subscriptions: dict[str, dict[str, Any]] = {}
        self.page_subscriptions: dict[str, list[str]] = {}
        self.permissions = {
            "ads_management": "granted",
            "ads_read": "granted",
            "business_management": "granted",
            "leads_retrieval": "granted",
            "pages_show_list": "granted",
            "pages_read_engagement": "granted",
            "pages_manage_metadata": "declined",
        }
        self.token_type = "SYSTEM_USER"
        self.valid_tokens = {TOKEN}
        self.video_ready_after = 1  # status polls before a processing video is ready
        self.uploads: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(120_210_000_000_001)
        self._trace = itertools.count(1)
        upstream.router.route(url__startswith=f"{upstream.url}/graph/").mock(
            side_effect=self._handle
        )

    # -- seeding and inspection ----------------------------------------------------------------

    def new_id(self) -> str:
        return str(next(self._ids))

    def add(self, type_: str, **fields: Any) -> dict[str, Any]:
        """Seed an object as Meta would hold it (``id`` generated unless given)."""
        obj = {"id": fields.pop("id", None) or self.new_id(), "_type": type_, **fields}
        obj.setdefault("created_time", "2026-05-01T10:00:00+0000")
        self.objects[obj["id"]] = obj
        return obj

    def add_account(self, number: str = "1001", **fields: Any) -> dict[str, Any]:
        fields.setdefault("name", f"Account {number}")
        fields.setdefault("currency", "DKK")
        fields.setdefault("account_status", 1)
        return self.add("account", id=f"act_{number}", account_id=number, **fields)

    def seed_tree(self, account: str, campaigns: int, adsets: int, ads: int) -> None:
        """``campaigns`` campaigns, each with ``adsets`` ad sets of ``ads`` ads (+ creatives)."""
        number = account.removeprefix("act_")
        for c in range(campaigns):
            camp = self.add(
                "campaign", account_id=number, name=f"Campaign {c}", objective="OUTCOME_TRAFFIC",
                status="PAUSED", effective_status="PAUSED", daily_budget="5000",
                special_ad_categories=[], buying_type="AUCTION",
            )  # fmt: skip
            for s in range(adsets):
                adset = self.add(
                    "adset", account_id=number, campaign_id=camp["id"], name=f"Ad set {c}.{s}",
                    status="PAUSED", billing_event="IMPRESSIONS", optimization_goal="LINK_CLICKS",
                    targeting={"geo_locations": {"countries": ["DK"]}}, daily_budget="2500",
                )  # fmt: skip
                for a in range(ads):
                    creative = self.add("creative", account_id=number, name=f"Creative {c}.{s}.{a}")
                    self.add(
                        "ad", account_id=number, campaign_id=camp["id"], adset_id=adset["id"],
                        name=f"Ad {c}.{s}.{a}", status="PAUSED",
                        creative={"id": creative["id"]},
                    )  # fmt: skip

    def live(self, type_: str) -> list[dict[str, Any]]:
        return [o for o in self.objects.values() if o["_type"] == type_ and not o.get("_deleted")]

    def count(self, method: str, path: str = "") -> int:
        return sum(1 for c in self.calls if c.method == method and c.path.startswith(path))

    def fail(
        self,
        method: str,
        path: str,
        *,
        code: int,
        message: str,
        subcode: int | None = None,
        type_: str = "OAuthException",
        status: int = 400,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """The next ``times`` calls of ``method path`` answer Meta's error body."""
        error: dict[str, Any] = {"message": message, "type": type_, "code": code}
        if subcode is not None:
            error["error_subcode"] = subcode
        self.failures.append(Failure(method, path, error, status, headers or {}, times))

    # -- the HTTP side ---------------------------------------------------------------------------

    def _error(
        self, code: int, message: str, *, status: int = 400, subcode: int | None = None,
        type_: str = "OAuthException", headers: dict[str, str] | None = None,
    ) -> httpx.Response:  # fmt: skip
        error: dict[str, Any] = {"message": message, "type": type_, "code": code}
        if subcode is not None:
            error["error_subcode"] = subcode
        error["fbtrace_id"] = f"AbCdEf{next(self._trace):06d}"
        return httpx.Response(status, json={"error": error}, headers=headers)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        version, _, path = str(request.url.path).removeprefix("/graph/").partition("/")
        path = path.strip("/")
        params = {k: _decode(v) for k, v in request.url.params.items()}
        data: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        ctype = request.headers.get("content-type", "")
        if ctype.startswith("multipart/form-data"):
            data, files = _parse_multipart(request)
        elif request.content:
            data = {k: _decode(v) for k, v in parse_qsl(request.content.decode())}
        call = Call(request.method, path, params, data, files, dict(request.headers), version)
        self.calls.append(call)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        app_token = f"{APP_ID}|{APP_SECRET}"
        if token not in self.valid_tokens and token not in (app_token, PAGE_TOKEN):
            return self._error(190, "Invalid OAuth access token - Cannot parse access token")
        if self.require_proof:
            proof = hmac.new(APP_SECRET.encode(), token.encode(), hashlib.sha256).hexdigest()
            if params.get("appsecret_proof") != proof:
                return self._error(
                    100, "Invalid appsecret_proof provided in the API argument",
                    type_="GraphMethodException",
                )  # fmt: skip
        for failure in self.failures:
            if failure.times and failure.method == request.method and path == failure.path:
                failure.times -= 1
                error = {**failure.error, "fbtrace_id": f"AbCdEf{next(self._trace):06d}"}
                return httpx.Response(
                    failure.status, json={"error": error}, headers=failure.headers
                )
        args = {**params, **data}
        try:
            answer = self._route(request.method, path.split("/"), args, files, token)
        except LookupError as exc:
            return self._error(
                100,
                f"Unsupported {request.method.lower()} request. Object with ID '{exc.args[0]}' "
                "does not exist, cannot be loaded due to missing permissions, or does not "
                "support this operation.",
                subcode=33,
                type_="GraphMethodException",
            )
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(200, json=answer)

    def _get(self, id: str) -> dict[str, Any]:
        obj = self.objects.get(id)
        if obj is None or obj.get("_deleted"):
            raise LookupError(id)
        return obj

    def _page(self, items: list[dict[str, Any]], args: dict[str, Any], path: str) -> dict[str, Any]:
        limit = int(args.get("limit", 25))
        start = int(base64.b64decode(args["after"]).decode()) if args.get("after") else 0
        chunk = items[start : start + limit]
        out: dict[str, Any] = {"data": [_select(o, args.get("fields")) for o in chunk]}
        if chunk:
            cursors = {
                "before": base64.b64encode(str(start).encode()).decode(),
                "after": base64.b64encode(str(start + len(chunk)).encode()).decode(),
            }
            out["paging"] = {"cursors": cursors}
            if start + len(chunk) < len(items):
                out["paging"]["next"] = f"{self.base}{path}?limit={limit}&after={cursors['after']}"
        return out

    def _route(
        self, method: str, parts: list[str], args: dict[str, Any], files: dict[str, bytes],
        token: str,
    ) -> Any:  # fmt: skip
        head, edge = parts[0], parts[1] if len(parts) > 1 else None
        path = "/".join(parts)
        if head == "debug_token":
            return self._debug_token(args)
        if head == "oauth" and edge == "access_token":
            if args.get("client_secret") != APP_SECRET:
                return self._error(101, "Error validating client secret.")
            return {
                "access_token": "EAAB-long-lived",
                "token_type": "bearer",
                "expires_in": 5183944,
            }
        if head == "me":
            if edge == "adaccounts":
                return self._page(self.live("account"), args, path)
            if edge == "accounts":
                pages = [{**p, "access_token": PAGE_TOKEN} for p in self.live("page")]
                return self._page(pages, args, path)
            if edge == "permissions":
                return {
                    "data": [{"permission": p, "status": s} for p, s in self.permissions.items()]
                }
        if head == APP_ID and edge == "subscriptions":
            return self._app_subscriptions(method, args)
        if head == BUSINESS_ID and edge == "owned_ad_accounts":
            return self._page(self.live("account"), args, path)
        if head == BUSINESS_ID and edge == "owned_product_catalogs":
            return self._page(self.live("catalog"), args, path)
        if head.startswith("act_") and edge in _ACCOUNT_EDGES:
            self._get(head)
            return self._account_edge(method, head, edge, args, files, path)
        if edge is None:
            return self._object(method, head, args)
        return self._object_edge(method, head, edge, args, path)

    # -- objects -------------------------------------------------------------------------------

    def _object(self, method: str, id: str, args: dict[str, Any]) -> Any:
        obj = self._get(id)
        if method == "GET":
            if obj["_type"] == "video":
                self._advance_video(obj)
            if obj["_type"] == "page" and "access_token" in str(args.get("fields")):
                return {"id": id, "access_token": PAGE_TOKEN}
            return _select(obj, args.get("fields"))
        if method == "POST":
            changes = {k: v for k, v in args.items() if k not in ("appsecret_proof", "fields")}
            if "status" in changes:
                changes["effective_status"] = changes["configured_status"] = changes["status"]
            obj.update(changes)
            obj["updated_time"] = "2026-05-02T09:00:00+0000"
            return {"success": True}
        if method == "DELETE":
            obj["_deleted"] = True
            return {"success": True}
        raise LookupError(id)

    def _children(self, type_: str, **where: str) -> list[dict[str, Any]]:
        return [o for o in self.live(type_) if all(o.get(k) == v for k, v in where.items())]

    def _account_edge(
        self, method: str, account: str, edge: str, args: dict[str, Any],
        files: dict[str, bytes], path: str,
    ) -> Any:  # fmt: skip
        number = account.removeprefix("act_")
        type_ = _ACCOUNT_EDGES[edge]
        if method == "GET":
            items = self._children(type_, account_id=number)
            if type_ == "image" and args.get("hashes"):
                items = [i for i in items if i["hash"] in args["hashes"]]
            return self._page(items, args, path)
        if method == "DELETE" and type_ == "image":
            for image in self._children("image", account_id=number, hash=args.get("hash")):
                image["_deleted"] = True
            return {"success": True}
        if type_ == "image":
            return self._upload_image(number, files, args)
        if type_ == "video":
            return self._upload_video(number, files, args)
        return self._create(type_, number, args)

    def _create(self, type_: str, number: str, args: dict[str, Any]) -> Any:
        fields = {k: v for k, v in args.items() if k != "appsecret_proof"}
        if type_ == "campaign" and "special_ad_categories" not in fields:
            return self._error(
                100,
                "Invalid parameter",
                subcode=1885886,
                headers=None,
            )
        if type_ == "creative" and fields.pop("execution_options", None) == ["validate_only"]:
            if not fields.get("object_story_spec") and not fields.get("asset_feed_spec"):
                return self._error(100, "Invalid parameter: object_story_spec is required")
            return {"success": True}
        if type_ == "ad":
            adset = self._get(str(fields["adset_id"]))
            fields["campaign_id"] = adset["campaign_id"]
            creative = fields.get("creative") or {}
            if "creative_id" not in creative:  # an inline spec: Meta creates the creative
                creative = {
                    "creative_id": self.add("creative", account_id=number, **creative)["id"]
                }
            fields["creative"] = {"id": creative["creative_id"]}
        if "status" in fields:
            fields["effective_status"] = fields["configured_status"] = fields["status"]
        for money in ("daily_budget", "lifetime_budget", "bid_amount"):
            if money in fields:
                fields[money] = str(fields[money])  # Graph answers numbers as strings
        if type_ == "audience":
            fields.setdefault("approximate_count_lower_bound", 1000)
            fields.setdefault("approximate_count_upper_bound", 1200)
            fields.setdefault("operation_status", {"code": 200, "description": "Normal"})
        obj = self.add(type_, account_id=number, **fields)
        return {"id": obj["id"]}

    def _object_edge(self, method: str, id: str, edge: str, args: dict[str, Any], path: str) -> Any:
        obj = self._get(id)
        if edge in ("adsets", "ads") and obj["_type"] in ("campaign", "adset"):
            child = "adset" if edge == "adsets" else "ad"
            return self._page(
                self._children(child, **{_PARENT_FIELD[obj["_type"]]: id}), args, path
            )
        if edge == "previews":
            fmt = args.get("ad_format")
            return {
                "data": [
                    {
                        "body": f'<iframe src="https://www.facebook.com/ads/api/preview_iframe.php?d={id}&amp;t={fmt}"></iframe>'
                    }
                ]
            }
        if edge == "insights":
            return self._page(self._insights(obj, args), args, path)
        if edge == "users" and obj["_type"] == "audience":
            payload = args["payload"]
            rows = payload["data"]
            invalid = [
                r
                for r in rows
                if not all(
                    HEX64.match(v) or k in ("EXTERN_ID", "MADID")
                    for k, v in zip(
                        payload["schema"], r if isinstance(r, list) else [r], strict=True
                    )
                )
            ]
            return {
                "audience_id": id,
                "session_id": str(args["session"]["session_id"]),
                "num_received": len(rows),
                "num_invalid_entries": len(invalid),
                "invalid_entry_samples": {},
            }
        if edge == "events" and obj["_type"] == "pixel":
            return {
                "events_received": len(args["data"]),
                "messages": [],
                "fbtrace_id": "AbCdEfCAPI",
            }
        if edge == "leadgen_forms":
            return self._page(self._children("form", page_id=id), args, path)
        if edge == "leads":
            leads = self._children("lead", form_id=id)
            for f in args.get("filtering") or []:
                if f["field"] == "time_created":
                    leads = [lead for lead in leads if lead["_time"] > int(f["value"])]
            return self._page(leads, args, path)
        if edge == "subscribed_apps":
            self.page_subscriptions[id] = str(args["subscribed_fields"]).split(",")
            return {"success": True}
        if edge in ("product_sets", "products", "diagnostics"):
            return self._page(self._children(edge.rstrip("s"), catalog_id=id), args, path)
        raise LookupError(path)

    # -- media -----------------------------------------------------------------------------------

    def _upload_image(self, number: str, files: dict[str, bytes], args: dict[str, Any]) -> Any:
        data = files.get("filename")
        if data is None:
            return self._error(100, "Invalid parameter: no file was uploaded")
        digest = hashlib.md5(data).hexdigest()  # Meta's image hash is the file's MD5
        name = args.get("filename.filename", "image")
        self.add(
            "image", id=f"{number}:{digest}", hash=digest, account_id=number, name=name,
            url=f"https://scontent.xx.fbcdn.net/v/{digest}.png", width=1, height=1,
            status="ACTIVE",
        )  # fmt: skip
        return {
            "images": {
                name: {"hash": digest, "url": f"https://scontent.xx.fbcdn.net/v/{digest}.png"}
            }
        }

    def _upload_video(self, number: str, files: dict[str, bytes], args: dict[str, Any]) -> Any:
        phase = args.get("upload_phase")
        if phase is None:  # one request with the file
            if "source" not in files and "file_url" not in args:
                return self._error(100, "Invalid parameter: source or file_url is required")
            video = self._new_video(number, args, len(files.get("source", b"")))
            return {"id": video["id"]}
        if phase == "start":
            size = int(args["file_size"])
            video = self._new_video(number, args, size, uploading=True)
            session = self.new_id()
            chunk = 10 * 1024 * 1024
            self.uploads[session] = {
                "video": video["id"],
                "size": size,
                "received": 0,
                "chunk": chunk,
            }
            return {
                "upload_session_id": session,
                "video_id": video["id"],
                "start_offset": "0",
                "end_offset": str(min(chunk, size)),
            }
        upload = self.uploads.get(str(args.get("upload_session_id")))
        if upload is None:
            return self._error(
                6000, "There was a problem uploading your video file.", subcode=1363019
            )
        if phase == "transfer":
            start = int(args["start_offset"])
            if start != upload["received"]:
                return self._error(6001, "Invalid start offset", subcode=1363037)
            chunk = files.get("video_file_chunk", b"")
            upload["received"] += len(chunk)
            upload.setdefault("sha256", hashlib.sha256()).update(chunk)
            upload["transfers"] = upload.get("transfers", 0) + 1
            end = min(upload["received"] + upload["chunk"], upload["size"])
            return {"start_offset": str(upload["received"]), "end_offset": str(end)}
        if phase == "finish":
            if upload["received"] != upload["size"]:
                return self._error(6000, "The video file you tried to upload is incomplete.")
            video = self.objects[upload["video"]]
            video["status"] = {"video_status": "processing", "processing_progress": 0}
            video["_polls"] = 0
            video.update({k: args[k] for k in ("title", "description") if k in args})
            return {"success": True}
        return self._error(100, f"Invalid parameter: upload_phase {phase}")

    def _new_video(
        self, number: str, args: dict[str, Any], size: int, uploading: bool = False
    ) -> dict[str, Any]:
        status = (
            {"video_status": "upload_in_progress", "uploading_phase": {"status": "in_progress"}}
            if uploading
            else {"video_status": "processing", "processing_progress": 0}
        )
        return self.add(
            "video", account_id=number, title=args.get("title"),
            description=args.get("description"), status=status, _size=size, _polls=0,
        )  # fmt: skip

    def _advance_video(self, video: dict[str, Any]) -> None:
        if video["status"].get("video_status") != "processing":
            return
        video["_polls"] += 1
        if self.video_ready_after is not None and video["_polls"] >= self.video_ready_after:
            video["status"] = {"video_status": "ready", "processing_progress": 100}

    # -- the rest --------------------------------------------------------------------------------

    def _insights(self, obj: dict[str, Any], args: dict[str, Any]) -> list[dict[str, Any]]:
        level = args.get("level", "campaign")
        if "time_range" in args:
            start = date.fromisoformat(args["time_range"]["since"])
            stop = date.fromisoformat(args["time_range"]["until"])
        else:
            days = {"today": 1, "yesterday": 1, "last_7d": 7, "last_30d": 30}.get(
                args.get("date_preset", "last_30d"), 30
            )
            stop = date(2026, 5, 21)
            start = stop - timedelta(days=days - 1)
        increment = args.get("time_increment")
        buckets = []
        if str(increment) == "1":
            buckets = [
                (start + timedelta(d), start + timedelta(d)) for d in range((stop - start).days + 1)
            ]
        else:
            buckets = [(start, stop)]
        breakdowns = str(args.get("breakdowns") or "").split(",") if args.get("breakdowns") else []
        values = [{}]
        if "age" in breakdowns:
            values = [{"age": a} for a in ("25-34", "35-44")]
        rows = []
        for n, (since, until) in enumerate(buckets):
            for value in values:
                impressions = 1000 + 10 * n
                rows.append(
                    {
                        f"{level}_id" if level != "account" else "account_id": obj[
                            "id"
                        ].removeprefix("act_"),
                        "impressions": str(impressions),
                        "reach": str(impressions - 200),
                        "clicks": "42",
                        "spend": "123.45",
                        "cpm": "123.45",
                        "cpc": "2.939286",
                        "ctr": "4.2",
                        "actions": [{"action_type": "link_click", "value": "42"}],
                        "date_start": since.isoformat(),
                        "date_stop": until.isoformat(),
                        **value,
                    }
                )
        return rows

    def _debug_token(self, args: dict[str, Any]) -> Any:
        valid = args.get("input_token") in self.valid_tokens
        return {
            "data": {
                "app_id": APP_ID,
                "type": self.token_type,
                "application": "endpointr-test",
                "data_access_expires_at": 0,
                "expires_at": 0 if self.token_type == "SYSTEM_USER" else 1_780_000_000,
                "is_valid": valid,
                "issued_at": 1_770_000_000,
                "scopes": [p for p, s in self.permissions.items() if s == "granted"],
                "granular_scopes": [{"scope": "ads_management", "target_ids": ["1001"]}],
                "user_id": "10229999999999999",
            }
        }

    def _app_subscriptions(self, method: str, args: dict[str, Any]) -> Any:
        if method == "GET":
            return {"data": list(self.app_subscriptions.values())}
        if method == "DELETE":
            self.app_subscriptions.pop(str(args.get("object")), None)
            return {"success": True}
        self.app_subscriptions[args["object"]] = {
            "object": args["object"],
            "callback_url": args["callback_url"],
            "active": True,
            "fields": [{"name": f, "version": VERSION} for f in str(args["fields"]).split(",")],
        }
        return {"success": True}
