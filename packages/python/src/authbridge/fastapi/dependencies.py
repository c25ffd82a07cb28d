"""AuthBridge: the current-user dependency of a FastAPI app, and the lifespan of its session check.

    bridge = AuthBridge(config, engine)          # values, or zero-argument functions that give them
    app = FastAPI(lifespan=bridge.lifespan)
    bridge.install(app)                          # the 401 answers
    CurrentUser = Annotated[SessionUser, Depends(bridge.current_user)]

`current_user` is `async def` and only reads cached objects, so it costs no trip through the
thread pool; the one blocking step, the session check on a cache miss, goes there itself. It is
the only place where a token refusal becomes HTTP (a 401 with the RFC 6750 challenge); the reason
goes to the log with a short fingerprint, never the token.

`config_dependency` and `engine_dependency` are what `current_user` depends on: an application
(or its tests) can override them in `app.dependency_overrides` and use them in its own routes, or
pass its own (any FastAPI dependency, e.g. one that builds the config from its settings).
"""

import hashlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from authbridge.config import BridgeConfig, SessionCheck, describe_session_check
from authbridge.fastapi.errors import AuthError, AuthErrorCode, install_auth_error_handler
from authbridge.jwt_verifier import TokenRefused, verify_backend_token
from authbridge.session_cache import SessionUser
from authbridge.session_check import (
    ListenerProbe,
    check_session,
    probe_listener,
    session_cache_for,
)
from authbridge.session_listener import DirectConnect, engine_connection, stop_listener

log = logging.getLogger("authbridge.auth")
startup_log = logging.getLogger("authbridge.session_check")
T = TypeVar("T")

BEARER_DESCRIPTION = "Token from the frontend's GET /api/auth/token"


def token_fingerprint(token: str) -> str:
    """Enough to correlate log lines, useless to replay."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:12]


def _refused(code: AuthErrorCode, detail: str, token: str) -> AuthError:
    log.info("token refused: %s (%s) fp=%s", code.value, detail, token_fingerprint(token))
    return AuthError(code)


def _getter(value: T | Callable[[], T]) -> Callable[[], T]:
    if callable(value):  # BridgeConfig and Engine are not callable
        return value
    return lambda: value


class AuthBridge:
    def __init__(
        self,
        config: BridgeConfig | Callable[[], BridgeConfig],
        engine: Engine | Callable[[], Engine],
        *,
        connect: DirectConnect = engine_connection,
        config_dependency: Callable[..., Any] | None = None,
        engine_dependency: Callable[..., Any] | None = None,
        bearer_description: str = BEARER_DESCRIPTION,
    ) -> None:
        """`config` and `engine`: the values, or functions that give them (called per request
        unless dependencies replace them, so they should cache); `connect`: how the listener
        opens its own connection (the default uses the engine's URL; give one that reaches a
        direct URL behind a pooler); `config_dependency` / `engine_dependency`: FastAPI
        dependencies that `current_user` resolves them with instead (the lifespan, which runs
        outside any request, still uses `config` and `engine`)."""
        self.get_config = _getter(config)
        self.get_engine = _getter(engine)
        self.connect = connect
        self.clock: Callable[[], float] = time.time  # the verifier's `now` (tests stop it)
        bearer = HTTPBearer(auto_error=False, description=bearer_description)

        async def default_config_dependency() -> BridgeConfig:
            return self.get_config()

        async def default_engine_dependency() -> Engine:
            return self.get_engine()

        config_dependency = config_dependency or default_config_dependency
        engine_dependency = engine_dependency or default_engine_dependency

        async def current_user(
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
            config: Annotated[BridgeConfig, Depends(config_dependency)],
            engine: Annotated[Engine, Depends(engine_dependency)],
        ) -> SessionUser:
            return await self.authenticate(credentials, config, engine)

        self.config_dependency = config_dependency
        self.engine_dependency = engine_dependency
        self.current_user = current_user
        # The step-up dependency (RFC 9470: a recent or stronger authentication for one route,
        # answered with `insufficient_user_authentication`) belongs here, next to current_user,
        # built on it and configured in BridgeConfig; the README's "Step-up" says what it adds.

    async def authenticate(
        self,
        credentials: HTTPAuthorizationCredentials | None,
        config: BridgeConfig,
        engine: Engine,
    ) -> SessionUser:
        """The user behind a bearer token, or AuthError: what `current_user` does."""
        if credentials is None or not credentials.credentials:
            raise AuthError(AuthErrorCode.MISSING_TOKEN)
        token = credentials.credentials
        try:
            claims = verify_backend_token(token, config.jwt, now=self.clock())
        except TokenRefused as refusal:
            raise _refused(AuthErrorCode(refusal.code), refusal.detail, token) from None
        cache = session_cache_for(engine, config, self.connect)
        user = cache.get(claims.sid) if cache is not None else None
        if user is None:
            user = await run_in_threadpool(check_session, engine, cache, claims)
        if user is None or user.id != claims.sub:
            raise _refused(AuthErrorCode.TOKEN_REVOKED, "no live session", token)
        # The user row is read with the session (or cached with it, and dropped by the NOTIFY of
        # a change to email_verified): no extra round trip.
        if config.require_email_verification and not user.email_verified:
            raise _refused(AuthErrorCode.EMAIL_NOT_VERIFIED, "email not verified", token)
        return user

    def install(self, app: FastAPI) -> None:
        """The 401 answers of AuthError (the body and the WWW-Authenticate challenge)."""
        install_auth_error_handler(app)

    def probe_listener(self, engine: Engine, config: BridgeConfig) -> ListenerProbe:
        """For a health check (blocking): does a NOTIFY reach this process's listener?"""
        return probe_listener(engine, config, self.connect)

    @asynccontextmanager
    async def lifespan(self, _app: Any = None) -> AsyncIterator[None]:
        """Says which session check runs (one log line) and, in the `listen` mode, starts the
        engine's listener at once and stops it at shutdown."""
        config, engine = self.get_config(), self.get_engine()
        startup_log.info("%s", describe_session_check(config))
        listening = config.session_check is SessionCheck.LISTEN
        if listening:
            session_cache_for(engine, config, self.connect)
        try:
            yield
        finally:
            if listening:
                stop_listener(engine, timeout=0)  # the thread ends at its next poll
