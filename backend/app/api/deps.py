"""Dependencies named once: the settings, the engine, a DB session, and the current user.

`get_current_user` is the only place where a token refusal becomes HTTP (a 401 with the
RFC 6750 challenge). The reason goes to the log with a short fingerprint, never the token.
"""

import hashlib
import logging
import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app import crud
from app.core.config import Settings, get_settings
from app.core.db import get_engine
from app.core.errors import ErrorCode, auth_error
from app.core.jwt_verifier import TokenRefused, verify_backend_token
from app.models import User

log = logging.getLogger("authbridge.auth")

SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]


def get_session(engine: EngineDep) -> Iterator[Session]:
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    finally:
        try:
            session.close()
        except DBAPIError as exc:
            # The database vanished after the route ran (its ROLLBACK failed). The response is
            # already decided and the pool discards the dead connection: don't drop the answer.
            log.warning("closing a database session failed: %s", exc.__class__.__name__)


SessionDep = Annotated[Session, Depends(get_session)]
_bearer = HTTPBearer(auto_error=False, description="Token from the frontend's GET /api/auth/token")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def token_fingerprint(token: str) -> str:
    """Enough to correlate log lines, useless to replay."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:12]


def get_current_user(credentials: BearerDep, settings: SettingsDep, db: SessionDep) -> User:
    if credentials is None or not credentials.credentials:
        raise auth_error(ErrorCode.MISSING_TOKEN)
    token = credentials.credentials
    try:
        claims = verify_backend_token(token, settings.jwt_config(), now=time.time())
    except TokenRefused as refusal:
        log.info(
            "token refused: %s (%s) fp=%s", refusal.code, refusal.detail, token_fingerprint(token)
        )
        raise auth_error(ErrorCode(refusal.code)) from None
    user = crud.get_user_of_live_session(db, session_id=claims.sid, user_id=claims.sub)
    if user is None:
        log.info("token refused: TOKEN_REVOKED (no live session) fp=%s", token_fingerprint(token))
        raise auth_error(ErrorCode.TOKEN_REVOKED)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
