"""GET /api/me: who the verified token names (proves the whole chain)."""

from fastapi import APIRouter

from app.api.deps import CurrentUser
from app.core.errors import AUTH_RESPONSES
from app.models import UserPublic

router = APIRouter(prefix="/api", tags=["me"])


@router.get("/me", response_model=UserPublic, responses=AUTH_RESPONSES)
def read_me(current_user: CurrentUser) -> UserPublic:
    return UserPublic(id=current_user.id, name=current_user.name, email=current_user.email)
