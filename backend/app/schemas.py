"""The API's bodies: what a request may send and what it gets back. No owner field anywhere: the
owner comes from the token only. The tables are app/models.py's."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StrictBool,
    StringConstraints,
    field_validator,
)

from app.models import DESCRIPTION_MAX, TITLE_MAX


def _storable(value: str) -> str:
    """PostgreSQL text cannot hold the NUL character: refuse it here (422), not in the database
    (a 500). Lone surrogates are already refused by pydantic (string_unicode)."""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (U+0000)")
    return value


Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX),
    AfterValidator(_storable),
]
Description = Annotated[
    str, StringConstraints(max_length=DESCRIPTION_MAX), AfterValidator(_storable)
]


class TaskCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")  # user_id / owner in a body -> 422

    title: Title
    description: Description = ""
    completed: StrictBool = False


class TaskUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    description: Description | None = None
    completed: StrictBool | None = None

    @field_validator("title", "description", "completed", mode="before")
    @classmethod
    def _refuse_explicit_null(cls, value: object) -> object:
        # Omit a field to leave it unchanged; null is not a value any of them can take.
        if value is None:
            raise ValueError("may be omitted but not null")
        return value

    def changes(self) -> dict[str, object]:
        return self.model_dump(exclude_unset=True)


class TaskPublic(BaseModel):
    id: uuid.UUID
    title: str
    description: str
    completed: bool
    created_at: datetime
    updated_at: datetime


class TaskList(BaseModel):
    items: list[TaskPublic]
    total: int
    limit: int
    offset: int


class UserPublic(BaseModel):
    id: str
    name: str
    email: str


class ProfileExport(BaseModel):
    id: str
    name: str
    email: str
    email_verified: bool
    created_at: datetime


class DataExport(BaseModel):
    format: str
    exported_at: datetime
    profile: ProfileExport
    tasks: list[TaskPublic]
