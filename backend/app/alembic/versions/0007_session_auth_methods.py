"""session_auth_methods: how and when each session's user proved a credential, and whether the
user has a second factor.

  session.amr        jsonb, the RFC 8176 authentication method references of the sign-in that
                     made the session (["pwd"], ["fed"], ["pwd", "otp", "mfa"], ...), or NULL when
                     unknown; a JSON array of 1 to 8 strings (CHECK). Better Auth stores its
                     `string[]` fields as jsonb on PostgreSQL (frontend/src/server/auth-methods.ts
                     writes it).
  session.auth_time  timestamptz, when the user last proved a credential in this session: its
                     sign-in, or a later "Confirm it's you". Sessions made before this revision
                     get their created_at (no later than the proof that made them).
  "user".two_factor_enabled  boolean, false by default: Better Auth's twoFactor plugin's column.
                     The backend reads it with the session (authbridge's second_factor_column) to
                     decide whether a step-up asks for a second factor (docs/security.md
                     "Step-up"), so the NOTIFY trigger of 0003 on "user" now also fires when it
                     changes (the session cache holds it).

The backend token carries amr and auth_time as claims (docs/jwt-contract.md); the backend never
reads these two columns.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AMR_CHECK = (
    "amr IS NULL OR CASE WHEN jsonb_typeof(amr) = 'array' "
    "THEN jsonb_array_length(amr) BETWEEN 1 AND 8 ELSE false END"
)

# authbridge.schema.user_changed_trigger("two_factor_enabled") and user_changed_trigger(), copied
# so that this revision never changes (tests/alembic/test_migrations.py holds them equal).
USER_TRIGGER_WITH_SECOND_FACTOR = """CREATE TRIGGER user_changed_notify
       AFTER UPDATE OF id, name, email, email_verified, "two_factor_enabled" ON "user" FOR EACH ROW
       WHEN (OLD.id IS DISTINCT FROM NEW.id
             OR OLD.name IS DISTINCT FROM NEW.name
             OR OLD.email IS DISTINCT FROM NEW.email
             OR OLD.email_verified IS DISTINCT FROM NEW.email_verified
             OR OLD."two_factor_enabled" IS DISTINCT FROM NEW."two_factor_enabled")
       EXECUTE FUNCTION authbridge_notify_user()"""
USER_TRIGGER_OF_0003 = """CREATE TRIGGER user_changed_notify
       AFTER UPDATE OF id, name, email, email_verified ON "user" FOR EACH ROW
       WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.name IS DISTINCT FROM NEW.name
             OR OLD.email IS DISTINCT FROM NEW.email
             OR OLD.email_verified IS DISTINCT FROM NEW.email_verified)
       EXECUTE FUNCTION authbridge_notify_user()"""
DROP_USER_TRIGGER = 'DROP TRIGGER IF EXISTS user_changed_notify ON "user"'


def upgrade() -> None:
    op.add_column("session", sa.Column("amr", postgresql.JSONB(), nullable=True))
    op.create_check_constraint("session_amr_shape", "session", AMR_CHECK)
    op.add_column("session", sa.Column("auth_time", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE session SET auth_time = created_at")
    op.alter_column("session", "auth_time", nullable=False, server_default=sa.func.now())
    op.add_column(
        "user",
        sa.Column(
            "two_factor_enabled", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
    )
    op.execute(DROP_USER_TRIGGER)
    op.execute(USER_TRIGGER_WITH_SECOND_FACTOR)


def downgrade() -> None:
    op.execute(DROP_USER_TRIGGER)
    op.execute(USER_TRIGGER_OF_0003)
    op.drop_column("user", "two_factor_enabled")
    op.drop_column("session", "auth_time")
    op.drop_constraint("session_amr_shape", "session", type_="check")
    op.drop_column("session", "amr")
