"""What the session check needs of the database: the rows it reads and the triggers it listens to.

Better Auth's own tables, read only (columns other than these are never touched):
    "user"(id, name, email, email_verified)
    session(id, user_id, expires_at)

The `listen` mode also needs NOTIFY_STATEMENTS installed once, in a migration of the application
that owns the schema (DROP_NOTIFY_STATEMENTS undoes them). They notify channel CHANNEL, in the
transaction that makes the change (PostgreSQL delivers at commit, never for a rollback):

  "s:<session id>": a session row was deleted (sign-out, sign-out everywhere, password change,
      user deletion by cascade), or its id, user_id, token or expires_at changed;
  "u:<user id>": a user row was deleted, or its id, name, email or email_verified changed;
  "*": TRUNCATE of either table, or an id too long for a payload: drop everything.

Inserts notify nothing: a new session invalidates no cached one.
"""

from __future__ import annotations

CHANNEL = "authbridge_session"

# The revocation check, one round trip: the session by its primary key, the user one primary-key
# join away, only the columns the check and GET /me need.
LIVE_SESSION_USER = """
SELECT u.id, u.name, u.email, u.email_verified, s.expires_at
FROM session AS s JOIN "user" AS u ON u.id = s.user_id
WHERE s.id = %(session_id)s AND s.user_id = %(user_id)s AND s.expires_at > now()
"""

# NOTIFY payloads are limited to 8000 bytes: a longer id (Better Auth's are 32 characters) asks
# the listener to drop everything rather than make the revoking statement fail.
MAX_ID_BYTES = 4000


def _notify_function(name: str, prefix: str) -> str:
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(
        '{CHANNEL}',
        CASE WHEN octet_length(OLD.id) <= {MAX_ID_BYTES} THEN '{prefix}' || OLD.id ELSE '*' END
    );
    RETURN NULL;
END
$$
"""


_NOTIFY_EVERYTHING = f"""
CREATE FUNCTION authbridge_notify_everything() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '*');
    RETURN NULL;
END
$$
"""

_TRIGGERS = (
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

NOTIFY_STATEMENTS: tuple[str, ...] = (
    _notify_function("authbridge_notify_session", "s:"),
    _notify_function("authbridge_notify_user", "u:"),
    _NOTIFY_EVERYTHING,
    *_TRIGGERS,
)

DROP_NOTIFY_STATEMENTS: tuple[str, ...] = (
    "DROP TRIGGER IF EXISTS session_deleted_notify ON session",
    "DROP TRIGGER IF EXISTS session_changed_notify ON session",
    "DROP TRIGGER IF EXISTS session_truncated_notify ON session",
    'DROP TRIGGER IF EXISTS user_deleted_notify ON "user"',
    'DROP TRIGGER IF EXISTS user_changed_notify ON "user"',
    'DROP TRIGGER IF EXISTS user_truncated_notify ON "user"',
    "DROP FUNCTION IF EXISTS authbridge_notify_session()",
    "DROP FUNCTION IF EXISTS authbridge_notify_user()",
    "DROP FUNCTION IF EXISTS authbridge_notify_everything()",
)
