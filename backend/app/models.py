"""The tables: Better Auth's user/session/account/verification, its two_factor and passkey, and
task; the frontend's own (auth_throttle, email_change, auth_event) are in app/frontend_tables.py.
SQLModel declares them for Alembic only: every query is constant SQL (app/db/tasks.py). The API's
bodies are in app/schemas.py.

The backend owns the schema; Better Auth is configured with snake_case field mappings to match
(docs/architecture.md "Schema"). Timestamps are timestamptz with a server default of now().
"""

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlmodel import Field, SQLModel

TITLE_MAX = 200
DESCRIPTION_MAX = 2000


def timestamp_column() -> Column:  # type: ignore[type-arg]
    return Column(DateTime(timezone=True), nullable=False, server_default=func.now())


def owner_column() -> Column:  # type: ignore[type-arg]
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
    created_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    updated_at: datetime | None = Field(default=None, sa_column=timestamp_column())
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
    created_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    updated_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    ip_address: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    user_agent: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    user_id: str = Field(sa_column=owner_column())
    # How and when the user proved a credential in this session (frontend/src/server/
    # auth-methods.ts writes them; the backend token carries them, docs/jwt-contract.md): the
    # RFC 8176 method references (a JSON array, Better Auth's `string[]` on PostgreSQL) and the
    # time of the sign-in or of the latest "Confirm it's you".
    amr: list[str] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    auth_time: datetime | None = Field(default=None, sa_column=timestamp_column())


class Account(SQLModel, table=True):
    __tablename__ = "account"

    id: str = Field(sa_column=Column(Text, primary_key=True))
    account_id: str = Field(sa_column=Column(Text, nullable=False))
    provider_id: str = Field(sa_column=Column(Text, nullable=False))
    user_id: str = Field(sa_column=owner_column())
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
    created_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    updated_at: datetime | None = Field(default=None, sa_column=timestamp_column())


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
    created_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    updated_at: datetime | None = Field(default=None, sa_column=timestamp_column())


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
    created_at: datetime | None = Field(default=None, sa_column=timestamp_column())
    updated_at: datetime | None = Field(default=None, sa_column=timestamp_column())


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
    user_id: str = Field(sa_column=owner_column())
    credential_id: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    counter: int = Field(sa_column=Column(BigInteger, nullable=False))
    device_type: str = Field(sa_column=Column(Text, nullable=False))
    backed_up: bool = Field(sa_column=Column(Boolean, nullable=False))
    transports: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    aaguid: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime | None = Field(default=None, sa_column=timestamp_column())
