from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A response model: unknown fields from a newer server are kept, not dropped."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Params(BaseModel):
    """A request model: an unknown field is a 400 that names it, not a silent no-op."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Deleted(Model):
    id: str
    deleted: bool = True
