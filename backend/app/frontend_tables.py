"""The tables only the frontend writes: auth_throttle (its sign-in throttle), email_change (a
pending change of email) and auth_event (the security activity). The backend declares them here,
beside app/models.py, so that Alembic migrates one schema; it never reads them, except the
data-exported event its export appends (app/routes/me.py)."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import CIDR, JSONB
from sqlmodel import Field, SQLModel

from app.models import owner_column, timestamp_column


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
    user_id: str = Field(sa_column=owner_column())
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
    created_at: datetime | None = Field(default=None, sa_column=timestamp_column())


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
