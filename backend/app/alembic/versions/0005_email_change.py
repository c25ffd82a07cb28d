"""email_change: a change of email that both addresses approve, with links that can die.

A pending change of a user's email (docs/security.md "Changing the email"): the current address
approves it and the new address confirms it, each through a single-use link whose token is
stored only as a SHA-256 hash, valid for an hour, bound to the user. Better Auth's own change of
email uses stateless links that nothing can revoke (they survived a password reset), so the
frontend keeps this row instead (docs/decisions/0005-stateful-email-change.md).

Also an index on verification.value: a password reset or change voids every reset and deletion
link of the user, which Better Auth stores as verification rows whose value is the user id.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "email_change",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("old_email", sa.Text(), nullable=False),
        sa.Column("new_email", sa.Text(), nullable=False),
        sa.Column("current_token_hash", sa.Text(), nullable=False),
        sa.Column("new_token_hash", sa.Text(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("current_token_hash"),
        sa.UniqueConstraint("new_token_hash"),
    )
    op.create_index(op.f("ix_email_change_user_id"), "email_change", ["user_id"], unique=False)
    op.create_index(op.f("ix_verification_value"), "verification", ["value"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_verification_value"), table_name="verification")
    op.drop_index(op.f("ix_email_change_user_id"), table_name="email_change")
    op.drop_table("email_change")
