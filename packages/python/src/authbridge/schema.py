"""What the session check needs of the database: the rows it reads and the triggers it listens to.

Better Auth's own tables, read only (columns other than these are never touched):
    "user"(id, name, email, email_verified), and the boolean column that says the user has a
        second factor when BridgeConfig.second_factor_column names one (Better Auth's twoFactor
        plugin: two_factor_enabled)
    session(id, user_id, expires_at)

The `listen` mode also needs NOTIFY_STATEMENTS installed once, in a migration of the application
that owns the schema (DROP_NOTIFY_STATEMENTS undoes them). They notify channel CHANNEL, in the
transaction that makes the change (PostgreSQL delivers at commit, never for a rollback):

  "s:<session id>": a session row was deleted (sign-out, sign-out everywhere, password change,
      user deletion by cascade), or its id, user_id, token or expires_at changed;
  "u:<user id>": a user row was deleted, or its id, name, email or email_verified changed (and
      the second-factor column, in the statements of notify_statements(second_factor_column));
  "*": TRUNCATE of either table, or an id too long for a payload: drop everything.

Inserts notify nothing: a new session invalidates no cached one.
"""

from __future__ import annotations

import re

CHANNEL = "authbridge_session"

# A column name the statements below may hold: a plain lower-case SQL identifier (quoted anyway).
_COLUMN = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def checked_column(name: str) -> str:
    """`name` if it is a plain lower-case SQL identifier, else ValueError (it goes into SQL)."""
    if _COLUMN.fullmatch(name) is None:
        raise ValueError(f"not a plain lower-case column name: {name[:70]!r}")
    return name


def live_session_user_query(second_factor_column: str | None = None) -> str:
    """The revocation check, one round trip: the session by its primary key, the user one
    primary-key join away, only the columns the check, the step-up and GET /me need. Without a
    second-factor column, `second_factor` is false. Constant text for a given column."""
    second_factor = (
        f'u."{checked_column(second_factor_column)}"' if second_factor_column else "false"
    )
    # The one interpolation is a column name that checked_column let through, quoted.
    return f"""
SELECT u.id, u.name, u.email, u.email_verified, {second_factor} AS second_factor, s.expires_at
FROM session AS s JOIN "user" AS u ON u.id = s.user_id
WHERE s.id = %(session_id)s AND s.user_id = %(user_id)s AND s.expires_at > now()
"""  # noqa: S608


LIVE_SESSION_USER = live_session_user_query()

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


def user_changed_trigger(second_factor_column: str | None = None) -> str:
    """The trigger that drops a user's cached sessions when what the cache holds of the user
    changes: id, name, email, email_verified, and the second-factor column when there is one."""
    columns = ["id", "name", "email", "email_verified"]
    if second_factor_column:
        columns.append(f'"{checked_column(second_factor_column)}"')
    changed = "\n             OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
    return f"""CREATE TRIGGER user_changed_notify
       AFTER UPDATE OF {", ".join(columns)} ON "user" FOR EACH ROW
       WHEN ({changed})
       EXECUTE FUNCTION authbridge_notify_user()"""


def _triggers(second_factor_column: str | None) -> tuple[str, ...]:
    return (
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
        user_changed_trigger(second_factor_column),
        """CREATE TRIGGER user_truncated_notify AFTER TRUNCATE ON "user"
       FOR EACH STATEMENT EXECUTE FUNCTION authbridge_notify_everything()""",
    )


def notify_statements(second_factor_column: str | None = None) -> tuple[str, ...]:
    """The functions and triggers of the `listen` mode; with the BridgeConfig's
    second_factor_column, the user trigger also fires when that column changes (the cache holds
    it)."""
    return (
        _notify_function("authbridge_notify_session", "s:"),
        _notify_function("authbridge_notify_user", "u:"),
        _NOTIFY_EVERYTHING,
        *_triggers(second_factor_column),
    )


NOTIFY_STATEMENTS: tuple[str, ...] = notify_statements()


def user_trigger_statements(second_factor_column: str | None) -> tuple[str, str]:
    """For a database that has NOTIFY_STATEMENTS already: replace the user trigger with the one
    that also watches `second_factor_column` (None puts the plain one back)."""
    return (
        'DROP TRIGGER IF EXISTS user_changed_notify ON "user"',
        user_changed_trigger(second_factor_column),
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
