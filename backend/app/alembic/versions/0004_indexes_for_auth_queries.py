"""indexes_for_auth_queries: an index for every query Better Auth sends (sign-in at any scale).

Better Auth looks a user up with `WHERE email = $1`, having lower-cased the address itself; the
only index on the email was the unique expression index on `lower(email)`, which that query
cannot use, so every sign-in, sign-up, verification and change of email read the whole table.
Now the email is stored in ONE normalised form, enforced by the schema:

  CHECK "user_email_lowercase" (email = lower(email)), and UNIQUE "user_email_key" (email):
      the same case-insensitive uniqueness as before (two addresses that differ only in case
      would have to be stored lower-cased, so equal), and an index the look-up can use.

Every path of Better Auth that writes an email lower-cases it first (sign-up, the change of
email, the admin plugin's create and update), and its email schema accepts ASCII only, where
JavaScript's and PostgreSQL's lower-casing agree. Existing rows not yet in lower case (written
by hand; Better Auth could never find them) are lower-cased: the old unique index guarantees
this cannot create a duplicate, and the upgrade stops with a clear error if it would anyway.

Also an index on verification.expires_at: Better Auth deletes expired verification rows with
`WHERE expires_at < $1` when it reads one (at most once a minute per process).

docs/architecture.md "Schema"; the plans are checked by
frontend/src/server/query-plans.integration.test.ts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DUPLICATES = """
SELECT lower(email) AS email, count(*) AS n FROM "user"
GROUP BY lower(email) HAVING count(*) > 1 ORDER BY n DESC, email LIMIT 5
"""


class DuplicateEmailsError(RuntimeError):
    """Two users whose emails differ only in case: lower-casing would merge them."""


def upgrade() -> None:
    conn = op.get_bind()
    duplicates = conn.execute(sa.text(DUPLICATES)).all()
    if duplicates:
        examples = ", ".join(f"{row.email} ({row.n} users)" for row in duplicates)
        raise DuplicateEmailsError(
            "migration 0004 stops: some users' emails differ only in case, and the schema now "
            f"stores every email in lower case, so they would collide: {examples}. Fix: keep one "
            "user per address (delete or rename the others), then run the migration again."
        )
    op.execute('UPDATE "user" SET email = lower(email) WHERE email <> lower(email)')
    op.create_check_constraint("user_email_lowercase", "user", "email = lower(email)")
    op.create_unique_constraint("user_email_key", "user", ["email"])
    op.drop_index("user_email_lower_key", table_name="user")
    op.create_index(
        op.f("ix_verification_expires_at"), "verification", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_verification_expires_at"), table_name="verification")
    op.create_index(
        "user_email_lower_key", "user", [sa.literal_column("lower(email)")], unique=True
    )
    op.drop_constraint("user_email_key", "user", type_="unique")
    op.drop_constraint("user_email_lowercase", "user", type_="check")
