"""``/v1/credentials/{service}``: third-party credentials, sealed; values never come back out."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ....types._base import Deleted
from ....types.credentials import AI_PROVIDERS, SCHEMAS, CredentialStatus
from ....types.vault import NAME_RE
from ...errors import BadRequest, NotFound
from ...events import mask, redact
from ...handler import Handler

if TYPE_CHECKING:
    from ...gateway import Gateway

KIND = "credential"


def check_service(service: str) -> str:
    if not NAME_RE.match(service):
        raise BadRequest(
            f"{service!r} is not a service name: lowercase letters, digits, '-' and '_'",
            code="invalid_service",
        )
    return service


def validate_fields(service: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The credential map checked against the service's schema (any map for other services)."""
    schema = SCHEMAS.get(service)
    if schema is None:
        if not fields:
            raise BadRequest("the credential map is empty", code="invalid_credentials")
        return fields
    try:
        return schema.model_validate(fields).model_dump(exclude_none=True)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'body'}: "
            + ("unknown field" if e["type"] == "extra_forbidden" else e["msg"])
            for e in exc.errors(include_url=False)
        )
        allowed = ", ".join(schema.model_fields)
        raise BadRequest(
            f"invalid {service} credentials: {problems} (fields: {allowed})",
            code="invalid_credentials",
        ) from None


def _status(service: str, fields: list[str], updated_at: float) -> CredentialStatus:
    return CredentialStatus(
        service=service,
        exists=True,
        fields=sorted(fields),
        updated_at=datetime.fromtimestamp(updated_at, timezone.utc),
    )


async def store_credentials(
    gateway: Gateway, customer_id: int, service: str, fields: dict[str, Any]
) -> CredentialStatus:
    """Validate and seal; an AI provider joins the end of the customer's priority list."""
    data = validate_fields(check_service(service), fields)
    updated_at = await gateway.vault.put(customer_id, KIND, service, data)
    if service in AI_PROVIDERS:
        await gateway.store.customers.add_to_priority(customer_id, service)
    return _status(service, list(data), updated_at)


async def delete_credentials(gateway: Gateway, customer_id: int, service: str) -> bool:
    """Remove; an AI provider also leaves the customer's priority list."""
    deleted = await gateway.vault.delete(customer_id, KIND, check_service(service))
    if service in AI_PROVIDERS:
        await gateway.store.customers.remove_from_priority(customer_id, service)
    return deleted


async def load_credentials(
    gateway: Gateway, customer_id: int, service: str
) -> dict[str, Any] | None:
    """The stored map, for handlers that call the service (never for a response)."""
    stored = await gateway.vault.get(customer_id, KIND, service)
    return None if stored is None else dict(stored[0])


class CredentialsHandler(Handler):
    path = "/v1/credentials"

    async def retrieve(self, id: str) -> CredentialStatus:
        """Whether credentials exist for the service, and their field names (never values)."""
        stored = await self.ctx.vault.get(self.customer.id, KIND, check_service(id))
        if stored is None:
            return CredentialStatus(service=id, exists=False)
        return _status(id, list(stored[0]), stored[1])

    async def update(self, id: str, body: dict[str, Any]) -> CredentialStatus:
        """Store the service's credential map (replacing any previous one)."""
        return await store_credentials(self.ctx.gateway, self.customer.id, id, body)

    async def delete(self, id: str) -> Deleted:
        """Remove the service's credentials (and the provider from the priority list)."""
        if not await delete_credentials(self.ctx.gateway, self.customer.id, id):
            raise NotFound(f"no credentials stored for {id!r}", code="credentials_not_found")
        return Deleted(id=id)

    def event_data(self, inputs: dict[str, Any], output: Any) -> Any:
        return redact({"input": mask(inputs) | {"id": inputs.get("id")}, "output": output})
