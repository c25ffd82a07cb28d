"""session_notify: NOTIFY on every change that can end a session, for the backend's session cache.

Each backend instance caches live sessions and LISTENs on `authbridge_session`
(packages/python: authbridge.session_listener); these triggers tell it what to drop, in the
transaction that makes the change (PostgreSQL delivers the notification at commit, never for a
rollback). The same statements ship as authbridge.schema.NOTIFY_STATEMENTS for other apps
(tests/alembic/test_migrations.py holds the two equal):

  payload "s:<session id>": a session row was deleted (sign-out, sign-out everywhere, password
      change, user deletion by cascade), or its id, user_id, token or expires_at changed;
  payload "u:<user id>": a user row was deleted, or its id, name, email or email_verified
      changed (what the cache holds for GET /api/me and the check);
  payload "*": TRUNCATE of either table, or an id too long for a payload: drop everything.

Inserts notify nothing: a new session invalidates no cached one.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# NOTIFY payloads are limited to 8000 bytes: a longer id (Better Auth's are 32 characters) asks
# the listener to drop everything rather than make the revoking statement fail.
MAX_ID_BYTES = 4000

FUNCTIONS = {
    "authbridge_notify_session": "s:",
    "authbridge_notify_user": "u:",
}


def _notify_function(name: str, prefix: str) -> str:
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(
        'authbridge_session',
        CASE WHEN octet_length(OLD.id) <= {MAX_ID_BYTES} THEN '{prefix}' || OLD.id ELSE '*' END
    );
    RETURN NULL;
END
$$
"""


TRUNCATE_FUNCTION = """
CREATE FUNCTION authbridge_notify_everything() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('authbridge_session', '*');
    RETURN NULL;
END
$$
"""

TRIGGERS = (
    """CREATE TRIGGER session_deleted_notify AFTER DELETE ON session
       FOR EACH ROW EXECUTE FUNCTION authbridge_notify_session()""",
    """CREATE TRIGGER session_changed_notify
       AFTER UPDATE OF id, user_id, token, expires_at ON session FOR EACH ROW
       WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.user_id IS DISTINCT FROM NEW.user_id
             OR OLD.token IS DISTINCT FROM NEW.token
             OR OLD.expires_at IS DISTINCT FROM NEW.expires_at)
       EXECUTE FUNCTION authbridge_notify_session()""",
    """CREATE TRIGGER session_truncated_notify AFTER TRUNCATE ON session
       FOR EACH STATEMENT EXECUTE FUNCTION authbridge_notify_everything()""",
    """CREATE TRIGGER user_deleted_notify AFTER DELETE ON "user"
       FOR EACH ROW EXECUTE FUNCTION authbridge_notify_user()""",
    """CREATE TRIGGER user_changed_notify
       AFTER UPDATE OF id, name, email, email_verified ON "user" FOR EACH ROW
       WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.name IS DISTINCT FROM NEW.name
             OR OLD.email IS DISTINCT FROM NEW.email
             OR OLD.email_verified IS DISTINCT FROM NEW.email_verified)
       EXECUTE FUNCTION authbridge_notify_user()""",
    """CREATE TRIGGER user_truncated_notify AFTER TRUNCATE ON "user"
       FOR EACH STATEMENT EXECUTE FUNCTION authbridge_notify_everything()""",
)
DROPPED_TRIGGERS = (
    ("session_deleted_notify", "session"),
    ("session_changed_notify", "session"),
    ("session_truncated_notify", "session"),
    ("user_deleted_notify", '"user"'),
    ("user_changed_notify", '"user"'),
    ("user_truncated_notify", '"user"'),
)


def upgrade() -> None:
    for name, prefix in FUNCTIONS.items():
        op.execute(_notify_function(name, prefix))
    op.execute(TRUNCATE_FUNCTION)
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    for trigger, table in DROPPED_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    for name in (*FUNCTIONS, "authbridge_notify_everything"):
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
