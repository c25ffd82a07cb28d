"""The data export's one statement (GET /api/me/export, app/routes/me.py): the profile, the
export's record in the account's security activity (a `data-exported` event in auth_event, in the
same transaction: no export goes unrecorded and none that failed is recorded), and every task,
oldest first. One round trip after the session check (tests/api/test_round_trips.py)."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row

from app.db.database import Database

USER_AGENT_MAX = 512  # auth_event's CHECK (migration 0006)

# The profile, the export's record in the security activity, and the tasks (a LEFT JOIN: a user
# without tasks still gets one row). The event's count is the tasks this same snapshot reads.
EXPORT = """
WITH owner AS (
    SELECT id, name, email, email_verified, created_at FROM "user" WHERE id = %(owner)s
),
recorded AS (
    INSERT INTO auth_event (user_id, type, session_id, user_agent, detail)
    SELECT id, 'data-exported', %(session_id)s, %(user_agent)s,
           jsonb_build_object('tasks', (SELECT count(*) FROM task WHERE user_id = %(owner)s))
    FROM owner
    RETURNING created_at
)
SELECT o.id AS user_id, o.name, o.email, o.email_verified, o.created_at AS member_since,
       r.created_at AS exported_at,
       t.id, t.title, t.description, t.completed, t.created_at, t.updated_at
FROM owner AS o CROSS JOIN recorded AS r
LEFT JOIN task AS t ON t.user_id = o.id
ORDER BY t.created_at, t.id
"""


def export_rows(
    db: Database, owner_id: str, session_id: str, user_agent: str | None
) -> Sequence[Row[Any]]:
    """One row per task (one with no task columns for a user without tasks), each carrying the
    profile and the event's time; none when the user no longer exists."""
    params = {
        "owner": owner_id,
        "session_id": session_id,
        "user_agent": (user_agent or "").strip()[:USER_AGENT_MAX] or None,
    }
    return db.write(EXPORT, params)
