"""Dependencies named once: the settings, the engine, the database, and the current user.

All are `async def` that only read cached objects, so none costs a trip through the thread
pool; the one blocking step, the session check on a session-cache miss, goes there itself.
`get_current_user` is the only place where a token refusal becomes HTTP (a 401 with the
RFC 6750 challenge). The reason goes to the log with a short fingerprint, never the token.
"""

import hashlib
import logging
import time
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from app import crud
from app.core.config import Settings, get_settings
from app.core.database import Database, database_for
from app.core.db import get_engine
from app.core.errors import ErrorCode, auth_error
from app.core.jwt_verifier import JwtConfig, TokenClaims, TokenRefused, verify_backend_token
from app.core.session_cache import SessionCache, SessionUser
from app.core.session_listener import listening_cache

log = logging.getLogger("authbridge.auth")


async def settings_dependency() -> Settings:
    return get_settings()


async def engine_dependency() -> Engine:
    return get_engine()


SettingsDep = Annotated[Settings, Depends(settings_dependency)]
EngineDep = Annotated[Engine, Depends(engine_dependency)]


async def get_database(engine: EngineDep) -> Database:
    return database_for(engine)


# A request's database handle (app/core/database.py): every call is one autocommit statement.
SessionDep = Annotated[Database, Depends(get_database)]
_bearer = HTTPBearer(auto_error=False, description="Token from the frontend's GET /api/auth/token")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]

_jwt_config: tuple[Settings, JwtConfig] | None = None


def jwt_config_of(settings: Settings) -> JwtConfig:
    """The verifier's configuration, built (HMAC key prepared) once per Settings object."""
    global _jwt_config
    cached = _jwt_config
    if cached is None or cached[0] is not settings:
        cached = _jwt_config = (settings, settings.jwt_config())
    return cached[1]


def session_cache_of(settings: Settings, engine: Engine) -> SessionCache | None:
    """None when SESSION_CACHE is off, or when the URL is pooled and no direct one
    (DATABASE_URL_UNPOOLED) is set for the listener: no LISTEN through a pooler."""
    if not settings.session_cache or (
        settings.database_pooled and settings.database_url_unpooled is None
    ):
        return None
    return listening_cache(engine)


def token_fingerprint(token: str) -> str:
    """Enough to correlate log lines, useless to replay."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:12]


def _refused(code: ErrorCode, detail: str, token: str) -> Exception:
    log.info("token refused: %s (%s) fp=%s", code.value, detail, token_fingerprint(token))
    return auth_error(code)


def _live_session_user(
    db: Database, cache: SessionCache | None, claims: TokenClaims
) -> SessionUser | None:
    """The database's answer (one round trip), stored in the cache unless a NOTIFY was handled
    while the query ran: the generation is taken before the query is sent."""
    generation = cache.generation() if cache is not None else None
    user = crud.get_user_of_live_session(db, session_id=claims.sid, user_id=claims.sub)
    if user is not None and cache is not None:
        cache.put(claims.sid, user, generation)
    return user


async def get_current_user(
    credentials: BearerDep, settings: SettingsDep, db: SessionDep
) -> SessionUser:
    if credentials is None or not credentials.credentials:
        raise auth_error(ErrorCode.MISSING_TOKEN)
    token = credentials.credentials
    try:
        claims = verify_backend_token(token, jwt_config_of(settings), now=time.time())
    except TokenRefused as refusal:
        raise _refused(ErrorCode(refusal.code), refusal.detail, token) from None
    cache = session_cache_of(settings, db.engine)
    user = cache.get(claims.sid) if cache is not None else None
    if user is None:
        user = await run_in_threadpool(_live_session_user, db, cache, claims)
    if user is None or user.id != claims.sub:
        raise _refused(ErrorCode.TOKEN_REVOKED, "no live session", token)
    # The user row is read with the session (or cached with it, and dropped by the NOTIFY of a
    # change to email_verified): no extra round trip.
    if settings.require_email_verification and not user.email_verified:
        raise _refused(ErrorCode.EMAIL_NOT_VERIFIED, "email not verified", token)
    return user


CurrentUser = Annotated[SessionUser, Depends(get_current_user)]
