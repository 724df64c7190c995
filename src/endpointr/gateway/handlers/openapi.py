"""``GET /openapi.json``: the OpenAPI 3.1 document, generated from the handlers' annotations."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from ..envelope import API_VERSION
from ..handler import Handler, route
from ..http import Response

if TYPE_CHECKING:
    from ..router import Route, Router

_ENVELOPE_FIELDS = {
    "httpCode": {"type": "integer"},
    "status": {"type": "string"},
    "timestamp": {"type": "string", "format": "date-time"},
    "requestId": {"type": "string"},
    "version": {"type": "string"},
}
_ERROR = {
    "type": "object",
    "properties": {
        **_ENVELOPE_FIELDS,
        "data": {"type": "null"},
        "error": {
            "type": "object",
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "code": {"type": ["string", "null"]},
            },
            "required": ["message", "type"],
        },
    },
}


def document(router: Router) -> dict[str, Any]:
    inputs: list[tuple[tuple[str, str], Any, TypeAdapter[Any]]] = []
    for r in router.routes:
        key = f"{r.method} {r.path}"
        if r.body is not None:
            inputs.append(((key, "body"), "validation", r.body))
        if r.query is not None:
            inputs.append(((key, "query"), "validation", r.query))
        if r.returns is not None and r.returns is not Response:
            inputs.append(((key, "out"), "serialization", TypeAdapter(r.returns)))
    generated, defs = TypeAdapter.json_schemas(
        inputs, by_alias=True, ref_template="#/components/schemas/{model}"
    )
    schemas = {key: schema for (key, _mode), schema in generated.items()}
    paths: dict[str, dict[str, Any]] = {}
    for r in router.routes:
        key = f"{r.method} {r.path}"
        paths.setdefault(r.path, {})[r.method.lower()] = _operation(
            r, key, schemas, defs.get("$defs", {})
        )
    return {
        "openapi": "3.1.0",
        "info": {"title": "Endpointr API", "version": API_VERSION},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": {**defs.get("$defs", {}), "Error": _ERROR},
            "securitySchemes": {
                "jwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "api_key": {"type": "http", "scheme": "bearer"},
            },
        },
    }


def _operation(r: Route, key: str, schemas: dict[Any, Any], defs: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": f"{r.handler.__name__}.{r.op}",
        "summary": r.summary or f"{r.handler.__name__}.{r.op}",
        "tags": [r.handler.group or r.path.strip("/").split("/")[1]],
        "parameters": [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in r.path_params
        ],
    }
    if r.auth != "none":
        op["security"] = [{r.auth: []}]
    query = schemas.get((key, "query"), {})
    if "$ref" in query:  # a model: its fields are the parameters
        query = defs[query["$ref"].rsplit("/", 1)[-1]]
    for name, prop in query.get("properties", {}).items():
        op["parameters"].append(
            {
                "name": name,
                "in": "query",
                "required": name in query.get("required", []),
                "schema": prop,
            }
        )
    if (key, "body") in schemas:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schemas[(key, "body")]}},
        }
    out = schemas.get((key, "out"))
    if out is not None and r.handler.envelope:
        body: dict[str, Any] = {
            "type": "object",
            "properties": {**_ENVELOPE_FIELDS, "data": out},
        }
    else:
        body = out or {}
    op["responses"] = {
        "200": {"description": "OK", "content": {"application/json": {"schema": body}}},
        "default": {
            "description": "Error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
    }
    return op


@functools.lru_cache(maxsize=8)
def _cached(router: Router) -> bytes:
    import json

    return json.dumps(document(router), separators=(",", ":")).encode()


class OpenAPIHandler(Handler):
    group = "meta"
    envelope = False

    @route("GET", "/openapi.json", op="get", auth="none")
    async def spec(self) -> Response:
        """The OpenAPI document of every route."""
        return Response.json(200, _cached(self.ctx.gateway.router))


__all__ = ["OpenAPIHandler", "document"]
