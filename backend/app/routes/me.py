"""GET /api/me: who the verified token names (proves the whole chain).

GET /api/me/export: everything the backend keeps of the caller, as one JSON download (data
portability): the profile and every task, oldest first. Behind the step-up (app/api/deps.py
RecentSignIn, docs/security.md "Step-up"): a sign-in at most 10 minutes old, with the second
factor of a user who has one; else 401 INSUFFICIENT_USER_AUTHENTICATION with the RFC 9470
challenge, and the frontend asks "Confirm it's you". One statement, one round trip after the
session check: it reads the profile and the tasks and appends a `data-exported` event to the
account's security activity (table auth_event, docs/security.md "Security activity") in the same
transaction, so no export goes unrecorded and none that failed is recorded.
"""

from datetime import UTC, datetime
from typing import Annotated

from authbridge.fastapi import AuthError, AuthErrorCode
from fastapi import APIRouter, Header, Response
from pydantic import BaseModel

from app.api.deps import CurrentUser, RecentSignIn, SessionDep
from app.core.errors import AUTH_RESPONSES, STEP_UP_RESPONSES
from app.models import TaskPublic, UserPublic

router = APIRouter(prefix="/api", tags=["me"])


@router.get("/me", response_model=UserPublic, responses=AUTH_RESPONSES)
def read_me(current_user: CurrentUser) -> UserPublic:
    return UserPublic(id=current_user.id, name=current_user.name, email=current_user.email)


EXPORT_FORMAT = "authbridge-export/1"
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


def _task(row: object) -> TaskPublic:
    return TaskPublic.model_validate(row, from_attributes=True)


class ProfileExport(BaseModel):
    id: str
    name: str
    email: str
    email_verified: bool
    created_at: datetime


class DataExport(BaseModel):
    format: str
    exported_at: datetime
    profile: ProfileExport
    tasks: list[TaskPublic]


@router.get(
    "/me/export",
    response_model=DataExport,
    responses={
        **STEP_UP_RESPONSES,
        200: {
            "description": "The download: Content-Disposition: attachment; "
            'filename="authbridge-export-<YYYY-MM-DD>.json"'
        },
    },
)
def export_my_data(
    db: SessionDep,
    auth: RecentSignIn,
    response: Response,
    user_agent: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> DataExport:
    rows = db.write(
        EXPORT,
        {
            "owner": auth.user.id,
            "session_id": auth.claims.sid,
            "user_agent": (user_agent or "").strip()[:USER_AGENT_MAX] or None,
        },
    )
    if not rows:  # the user was deleted since the session check (its sessions with it)
        raise AuthError(AuthErrorCode.TOKEN_REVOKED)
    first = rows[0]
    exported_at: datetime = first.exported_at.astimezone(UTC)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="authbridge-export-{exported_at.date().isoformat()}.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return DataExport(
        format=EXPORT_FORMAT,
        exported_at=exported_at,
        profile=ProfileExport(
            id=first.user_id,
            name=first.name,
            email=first.email,
            email_verified=first.email_verified,
            created_at=first.member_since,
        ),
        tasks=[_task(r) for r in rows if r.id is not None],
    )
