"""All tables (Better Auth's user/session/account/verification, its two_factor and passkey, task,
and the frontend's auth_throttle, email_change and auth_event) and the Task schemas.

The backend owns the schema; Better Auth is configured with snake_case field mappings to match
(docs/architecture.md "Schema"). Timestamps are timestamptz with a server default of now().
"""

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
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import CIDR, JSONB, UUID
from sqlmodel import Field, SQLModel

TITLE_MAX = 200
DESCRIPTION_MAX = 2000


def _timestamp() -> Column:  # type: ignore[type-arg]
    return Column(DateTime(timezone=True), nullable=False, server_default=func.now())


def _owner_fk() -> Column:  # type: ignore[type-arg]
    return Column(Text, ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)


class User(SQLModel, table=True):
    __tablename__ = "user"
    # ONE normalised email: stored in lower case (Better Auth lower-cases every email it writes)
    # and unique, so uniqueness is case-insensitive and `WHERE email = $1`, Better Auth's look-up,
    # has an index (migration 0004, docs/architecture.md "Schema").
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="user_email_lowercase"),
        UniqueConstraint("email", name="user_email_key"),
    )

    id: str = Field(sa_column=Column(Text, primary_key=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    email: str = Field(sa_column=Column(Text, nullable=False))
    email_verified: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false"))
    )
    image: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())
    updated_at: datetime | None = Field(default=None, sa_column=_timestamp())
    # Better Auth's twoFactor plugin's column: the user has a second factor. The backend reads it
    # with the session to decide whether a step-up asks for one (docs/security.md "Step-up").
    two_factor_enabled: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false"))
    )


class AuthSession(SQLModel, table=True):
    """Better Auth's session row (table "session"); not to be confused with sqlmodel.Session."""

    __tablename__ = "session"
    __table_args__ = (
        CheckConstraint(
            "amr IS NULL OR CASE WHEN jsonb_typeof(amr) = 'array' "
            "THEN jsonb_array_length(amr) BETWEEN 1 AND 8 ELSE false END",
            name="session_amr_shape",
        ),
    )

    id: str = Field(sa_column=Column(Text, primary_key=True))
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    token: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())
    updated_at: datetime | None = Field(default=None, sa_column=_timestamp())
    ip_address: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    user_agent: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    user_id: str = Field(sa_column=_owner_fk())
    # How and when the user proved a credential in this session (frontend/src/server/
    # auth-methods.ts writes them; the backend token carries them, docs/jwt-contract.md): the
    # RFC 8176 method references (a JSON array, Better Auth's `string[]` on PostgreSQL) and the
    # time of the sign-in or of the latest "Confirm it's you".
    amr: list[str] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    auth_time: datetime | None = Field(default=None, sa_column=_timestamp())


class Account(SQLModel, table=True):
    __tablename__ = "account"

    id: str = Field(sa_column=Column(Text, primary_key=True))
    account_id: str = Field(sa_column=Column(Text, nullable=False))
    provider_id: str = Field(sa_column=Column(Text, nullable=False))
    user_id: str = Field(sa_column=_owner_fk())
    access_token: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    refresh_token: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    id_token: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    access_token_expires_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    refresh_token_expires_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    scope: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    password: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())
    updated_at: datetime | None = Field(default=None, sa_column=_timestamp())


class Verification(SQLModel, table=True):
    __tablename__ = "verification"

    id: str = Field(sa_column=Column(Text, primary_key=True))
    identifier: str = Field(sa_column=Column(Text, nullable=False, index=True))
    # Indexed: a password reset or change voids every reset and deletion link of the user, found
    # by the user id these rows hold as their value (frontend/src/server/account-links.ts).
    value: str = Field(sa_column=Column(Text, nullable=False, index=True))
    # Better Auth deletes the expired rows (`WHERE expires_at < $1`) when it reads one.
    expires_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True)
    )
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())
    updated_at: datetime | None = Field(default=None, sa_column=_timestamp())


class Task(SQLModel, table=True):
    __tablename__ = "task"
    # Serves the owner's newest-first list and every by-id lookup filtered by owner.
    __table_args__ = (
        Index("task_user_id_created_at_id_idx", "user_id", text("created_at DESC"), "id"),
    )

    id: uuid.UUID = Field(
        default_factory=uuid.uuid4, sa_column=Column(UUID(as_uuid=True), primary_key=True)
    )
    user_id: str = Field(
        sa_column=Column(Text, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    title: str = Field(sa_column=Column(String(TITLE_MAX), nullable=False))
    description: str = Field(
        default="", sa_column=Column(String(DESCRIPTION_MAX), nullable=False, server_default="")
    )
    completed: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false"))
    )
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())
    updated_at: datetime | None = Field(default=None, sa_column=_timestamp())


# ---- API schemas (no owner field anywhere: the owner comes from the token only) ----


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


class AuthThrottle(SQLModel, table=True):
    """The frontend's shared throttle counters (docs/security.md "Rate limiting"); the backend
    never reads them. `key` is a scope plus a keyed hash of the subject, never an email."""

    __tablename__ = "auth_throttle"

    key: str = Field(sa_column=Column(Text, primary_key=True))
    hits: int = Field(sa_column=Column(Integer, nullable=False))
    window_started_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    locked_until: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    lock_level: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default=text("0"))
    )
    expires_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True)
    )


class EmailChange(SQLModel, table=True):
    """A pending change of a user's email (docs/security.md "Changing the email"): it completes
    only when the current address approves AND the new address confirms, each through its own
    single-use link, within the hour. The links' tokens are stored as SHA-256 hashes only. A
    password reset or change, "sign out everywhere" and "this wasn't me" delete the row."""

    __tablename__ = "email_change"

    id: str = Field(sa_column=Column(Text, primary_key=True))
    user_id: str = Field(sa_column=_owner_fk())
    # The address the change starts from: it completes only while the user still has it.
    old_email: str = Field(sa_column=Column(Text, nullable=False))
    new_email: str = Field(sa_column=Column(Text, nullable=False))
    current_token_hash: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    new_token_hash: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    approved_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    confirmed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())


class AuthEvent(SQLModel, table=True):
    """The account's security activity (docs/security.md "Security activity"), written by the
    frontend (frontend/src/server/security-events/) and shown to the account's user only; the
    backend never reads it. Append-only: a trigger refuses UPDATE and TRUNCATE, and DELETE except
    of a row past the shortest retention (a day) or with its user (the cascade). `network` is the
    client's coarse place, a /24 (IPv4) or /48 (IPv6) at most: never a full address, held by a
    CHECK too. `detail` holds no secret and no full address of anyone (a changed email masked)."""

    __tablename__ = "auth_event"
    __table_args__ = (
        # The user's newest-first list, a page at a time (keyset on created_at, id).
        Index(
            "auth_event_user_id_created_at_id_idx",
            "user_id",
            text("created_at DESC"),
            text("id DESC"),
        ),
        CheckConstraint(
            "masklen(network) <= CASE WHEN family(network) = 4 THEN 24 ELSE 48 END",
            name="auth_event_network_coarse",
        ),
        CheckConstraint("char_length(user_agent) <= 512", name="auth_event_user_agent_length"),
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(always=True), primary_key=True),
    )
    user_id: str = Field(
        sa_column=Column(Text, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    type: str = Field(sa_column=Column(Text, nullable=False))
    # How: password, github, google, oidc, totp, passkey, ...
    method: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The session the event started or happened in (no foreign key: sessions end, events stay).
    session_id: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    user_agent: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    network: str | None = Field(default=None, sa_column=Column(CIDR, nullable=True))
    detail: dict[str, object] = Field(
        default_factory=dict,
        sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    )
    # Indexed on its own for the retention's batches (oldest first, across users).
    created_at: datetime | None = Field(
        default=None,
        sa_column=Column(
            DateTime(timezone=True), nullable=False, server_default=func.now(), index=True
        ),
    )


class TwoFactor(SQLModel, table=True):
    """A user's authenticator-app secret and backup codes: Better Auth's twoFactor plugin
    (docs/security.md "Two-step sign-in"). `secret` and `backup_codes` are encrypted by Better
    Auth with a key derived from BETTER_AUTH_SECRET; `verified` is false between the enrolment's
    start and its first code. One row per user at most (Better Auth looks it up by user)."""

    __tablename__ = "two_factor"

    id: str = Field(sa_column=Column(Text, primary_key=True))
    secret: str = Field(sa_column=Column(Text, nullable=False))
    backup_codes: str = Field(sa_column=Column(Text, nullable=False))
    user_id: str = Field(
        sa_column=Column(
            Text, ForeignKey("user.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    verified: bool = Field(
        default=True, sa_column=Column(Boolean, nullable=False, server_default=text("true"))
    )
    # Better Auth's own lock of the second step; the app's throttle counts instead (its lock is
    # off in frontend/src/server/second-factor/options.ts), so these stay at their defaults.
    failed_verification_count: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default=text("0"))
    )
    locked_until: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


PASSKEY_NAME_MAX = 100


class Passkey(SQLModel, table=True):
    """A WebAuthn credential (a passkey) of one user: Better Auth's passkey plugin
    (docs/security.md "Passkeys"). A credential belongs to one user only: `credential_id` is
    unique, so the same authenticator credential can never be registered to a second account.
    `counter` is the authenticator's signature counter, a 32-bit unsigned number."""

    __tablename__ = "passkey"
    __table_args__ = (
        CheckConstraint(f"char_length(name) <= {PASSKEY_NAME_MAX}", name="passkey_name_length"),
    )

    id: str = Field(sa_column=Column(Text, primary_key=True))
    name: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    public_key: str = Field(sa_column=Column(Text, nullable=False))
    user_id: str = Field(sa_column=_owner_fk())
    credential_id: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    counter: int = Field(sa_column=Column(BigInteger, nullable=False))
    device_type: str = Field(sa_column=Column(Text, nullable=False))
    backed_up: bool = Field(sa_column=Column(Boolean, nullable=False))
    transports: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    aaguid: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())
