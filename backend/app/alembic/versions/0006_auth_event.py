"""auth_event: the account's security activity, append-only.

One row per security event of a user (docs/security.md "Security activity"): a sign-in and how,
a failed sign-in of the account, a password changed or reset, a change of email asked for and
done, sessions revoked, the address confirmed, and what later features add (a second factor, a
passkey, a linked provider, a data export). The frontend writes the rows
(frontend/src/server/security-events/) and shows a user their own; the backend never reads them.

Append-only in the database too: a trigger refuses every UPDATE and TRUNCATE, and a DELETE except
of a row older than a day (the retention job's, whose shortest setting is a day) or of a row whose
user is gone (the ON DELETE CASCADE of the user's deletion). `network` is at most a /24 (IPv4) or
a /48 (IPv6), never a full address: a CHECK holds it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_FUNCTION = """
CREATE FUNCTION auth_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.created_at < now() - interval '1 day'
           OR NOT EXISTS (SELECT 1 FROM "user" WHERE id = OLD.user_id) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'auth_event is append-only: a row is deleted only by the retention '
            'or with its user' USING ERRCODE = 'restrict_violation';
    END IF;
    RAISE EXCEPTION 'auth_event is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$
"""

TRIGGERS = (
    """CREATE TRIGGER auth_event_no_update BEFORE UPDATE ON auth_event
       FOR EACH ROW EXECUTE FUNCTION auth_event_append_only()""",
    """CREATE TRIGGER auth_event_delete_guard BEFORE DELETE ON auth_event
       FOR EACH ROW EXECUTE FUNCTION auth_event_append_only()""",
    """CREATE TRIGGER auth_event_no_truncate BEFORE TRUNCATE ON auth_event
       FOR EACH STATEMENT EXECUTE FUNCTION auth_event_append_only()""",
)


def upgrade() -> None:
    op.create_table(
        "auth_event",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=True),
        sa.Column("session_id", sa.Text(), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("network", postgresql.CIDR(), nullable=True),
        sa.Column(
            "detail",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "masklen(network) <= CASE WHEN family(network) = 4 THEN 24 ELSE 48 END",
            name="auth_event_network_coarse",
        ),
        sa.CheckConstraint("char_length(user_agent) <= 512", name="auth_event_user_agent_length"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "auth_event_user_id_created_at_id_idx",
        "auth_event",
        ["user_id", sa.text("created_at DESC"), sa.text("id DESC")],
        unique=False,
    )
    op.create_index(op.f("ix_auth_event_created_at"), "auth_event", ["created_at"], unique=False)
    op.execute(APPEND_ONLY_FUNCTION)
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    # Dropping the table drops its triggers; the function goes after them.
    op.drop_index(op.f("ix_auth_event_created_at"), table_name="auth_event")
    op.drop_index("auth_event_user_id_created_at_id_idx", table_name="auth_event")
    op.drop_table("auth_event")
    op.execute("DROP FUNCTION auth_event_append_only()")
