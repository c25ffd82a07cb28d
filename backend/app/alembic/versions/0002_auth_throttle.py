"""auth_throttle: the frontend's throttle counters (sign-in, sign-up, per user), shared.

One row per counted subject (docs/security.md "Rate limiting"). The key is a scope plus a keyed
hash of the subject (normalized email, client address, user id), never the subject itself.
`hits` is the count in the window that began at `window_started_at` (or the consecutive failures
of a failure lock); `locked_until`/`lock_level` hold an escalating lock. Rows past `expires_at`
are deleted by the frontend, a few at a time.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auth_throttle",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lock_level", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(
        op.f("ix_auth_throttle_expires_at"), "auth_throttle", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_auth_throttle_expires_at"), table_name="auth_throttle")
    op.drop_table("auth_throttle")
