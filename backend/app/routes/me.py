"""GET /api/me: who the verified token names (proves the whole chain).

GET /api/me/export: everything the backend keeps of the caller, as one JSON download (data
portability): the profile and every task, oldest first. Behind the step-up (app/auth.py
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

from app.auth import CurrentUser, RecentSignIn
from app.db.export import export_rows
from app.db.tasks import task_of
from app.errors import AUTH_RESPONSES, STEP_UP_RESPONSES
from app.schemas import DataExport, ProfileExport, UserPublic
from app.state import DbDep

router = APIRouter(prefix="/api", tags=["me"])


@router.get("/me", response_model=UserPublic, responses=AUTH_RESPONSES)
def read_me(current_user: CurrentUser) -> UserPublic:
    return UserPublic(id=current_user.id, name=current_user.name, email=current_user.email)


EXPORT_FORMAT = "authbridge-export/1"


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
    db: DbDep,
    auth: RecentSignIn,
    response: Response,
    user_agent: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> DataExport:
    rows = export_rows(db, auth.user.id, auth.claims.sid, user_agent)
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
        tasks=[task_of(r) for r in rows if r.id is not None],
    )
