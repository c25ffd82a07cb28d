"""AuthBridge: the current-user dependency of a FastAPI app, and the lifespan of its session check.

    bridge = AuthBridge(config, engine)          # values, or zero-argument functions that give them
    app = FastAPI(lifespan=bridge.lifespan)
    bridge.install(app)                          # the 401 answers
    CurrentUser = Annotated[SessionUser, Depends(bridge.current_user)]
    Recent = Annotated[Authenticated, Depends(bridge.require_auth(max_age=600, mfa=True))]

`current_user` is `async def` and only reads cached objects, so it costs no trip through the
thread pool; the one blocking step, the session check on a cache miss, goes there itself. It is
the only place where a token refusal becomes HTTP (a 401 with the RFC 6750 challenge); the reason
goes to the log with a short fingerprint, never the token.

`require_auth(max_age=…, mfa=…)` is the step-up (RFC 9470): the same check, then the sign-in the
token states (its `auth_time` and `amr`) must be recent enough and, for a user with a second
factor, have used it; else 401 `insufficient_user_authentication` with the challenge that says
what would do.

`config_dependency` and `engine_dependency` are what `current_user` depends on: an application
(or its tests) can override them in `app.dependency_overrides` and use them in its own routes, or
pass its own (any FastAPI dependency, e.g. one that builds the config from its settings).
"""

import hashlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from authbridge.config import BridgeConfig, SessionCheck, describe_session_check
from authbridge.fastapi.errors import (
    AuthError,
    AuthErrorCode,
    StepUpRequired,
    install_auth_error_handler,
)
from authbridge.jwt_verifier import TokenClaims, TokenRefused, verify_backend_token
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


@dataclass(frozen=True, slots=True)
class Authenticated:
    """What a route behind `require_auth` gets: the user, and the token's claims (its session
    `sid`, and how and when the user signed in)."""

    user: SessionUser
    claims: TokenClaims

    @property
    def auth_time(self) -> int:
        """When the user last proved a credential (unix seconds): auth_time, else iat."""
        return self.claims.authenticated_at

    @property
    def amr(self) -> tuple[str, ...]:
        """How (RFC 8176): amr, else ("pwd",) for a token from before amr."""
        return self.claims.methods


def step_up_needed(
    auth: Authenticated, now: float, max_age: int | None, mfa: bool
) -> StepUpRequired | None:
    """The step-up a route asks of this sign-in, or None when it will do: older than `max_age`
    seconds, or (`mfa`) a user with a second factor who signed in without one."""
    too_old = max_age is not None and now - auth.auth_time > max_age
    needs_mfa = mfa and auth.user.second_factor and "mfa" not in auth.amr
    if not (too_old or needs_mfa):
        return None
    return StepUpRequired(max_age=max_age, too_old=too_old, needs_mfa=needs_mfa)


def _getter(value: T | Callable[[], T] | None, name: str) -> Callable[[], T]:
    if value is None:
        return partial(_not_given, name)
    if callable(value):  # BridgeConfig and Engine are not callable
        return value
    return lambda: value


def _not_given(name: str) -> Any:
    raise RuntimeError(
        f"AuthBridge has no {name}: give it to AuthBridge(...), or its dependency and "
        f"lifespan({name}=...)"
    )


class AuthBridge:
    def __init__(
        self,
        config: BridgeConfig | Callable[[], BridgeConfig] | None = None,
        engine: Engine | Callable[[], Engine] | None = None,
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
        outside any request, still uses `config` and `engine`, unless it is given its own). An
        application that keeps its config and engine in its own state made in its lifespan gives
        only the two dependencies, and the values to `lifespan(config=..., engine=...)`."""
        self.get_config: Callable[[], BridgeConfig] = _getter(config, "config")
        self.get_engine: Callable[[], Engine] = _getter(engine, "engine")
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

        self.bearer = bearer
        self.config_dependency = config_dependency
        self.engine_dependency = engine_dependency
        self.current_user = current_user

    def require_auth(
        self, *, max_age: int | None = None, mfa: bool = False
    ) -> Callable[..., Awaitable[Authenticated]]:
        """A dependency for a route that needs a recent or stronger sign-in (RFC 9470 step-up):
        everything `current_user` checks, then the token's sign-in must be at most `max_age`
        seconds old (its `auth_time`, else its `iat`) and, with `mfa`, have used the second
        factor of a user who has one (`mfa` in its `amr`; BridgeConfig.second_factor_column
        says who has one). Else 401 INSUFFICIENT_USER_AUTHENTICATION with
        `WWW-Authenticate: Bearer error="insufficient_user_authentication", error_description=
        "…", max_age=<max_age>` (and `acr_values="mfa"` when the second factor is missing)."""
        if max_age is not None and (type(max_age) is not int or max_age < 0):
            raise ValueError(f"max_age must be a whole number of seconds >= 0, not {max_age!r}")
        bearer = self.bearer
        config_dependency = self.config_dependency
        engine_dependency = self.engine_dependency

        async def recent_user(
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
            config: Annotated[BridgeConfig, Depends(config_dependency)],
            engine: Annotated[Engine, Depends(engine_dependency)],
        ) -> Authenticated:
            claims, user = await self.verify(credentials, config, engine)
            assert credentials is not None  # verify refuses a request without a token
            auth, now = Authenticated(user, claims), self.clock()
            step_up = step_up_needed(auth, now, max_age, mfa)
            if step_up is not None:
                log.info(
                    "step-up required: signed in %ds ago with %s (max_age %s, second factor %s)"
                    " fp=%s",
                    int(now) - auth.auth_time,
                    "+".join(auth.amr) or "nothing",
                    max_age,
                    "missing" if step_up.needs_mfa else "not asked",
                    token_fingerprint(credentials.credentials),
                )
                raise step_up
            return auth

        return recent_user

    async def authenticate(
        self,
        credentials: HTTPAuthorizationCredentials | None,
        config: BridgeConfig,
        engine: Engine,
    ) -> SessionUser:
        """The user behind a bearer token, or AuthError: what `current_user` does."""
        return (await self.verify(credentials, config, engine))[1]

    async def verify(
        self,
        credentials: HTTPAuthorizationCredentials | None,
        config: BridgeConfig,
        engine: Engine,
    ) -> tuple[TokenClaims, SessionUser]:
        """The token's claims and the user behind it, or AuthError."""
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
            user = await run_in_threadpool(
                check_session, engine, cache, claims, config.session_query
            )
        if user is None or user.id != claims.sub:
            raise _refused(AuthErrorCode.TOKEN_REVOKED, "no live session", token)
        # The user row is read with the session (or cached with it, and dropped by the NOTIFY of
        # a change to email_verified): no extra round trip.
        if config.require_email_verification and not user.email_verified:
            raise _refused(AuthErrorCode.EMAIL_NOT_VERIFIED, "email not verified", token)
        return claims, user

    def install(self, app: FastAPI) -> None:
        """The 401 answers of AuthError (the body and the WWW-Authenticate challenge)."""
        install_auth_error_handler(app)

    def probe_listener(self, engine: Engine, config: BridgeConfig) -> ListenerProbe:
        """For a health check (blocking): does a NOTIFY reach this process's listener?"""
        return probe_listener(engine, config, self.connect)

    @asynccontextmanager
    async def lifespan(
        self,
        _app: Any = None,
        *,
        config: BridgeConfig | None = None,
        engine: Engine | None = None,
    ) -> AsyncIterator[None]:
        """Says which session check runs (one log line) and, in the `listen` mode, starts the
        engine's listener at once and stops it at shutdown. `config` and `engine`: the values
        the application made in its own lifespan, else the bridge's own."""
        config = config if config is not None else self.get_config()
        engine = engine if engine is not None else self.get_engine()
        startup_log.info("%s", describe_session_check(config))
        listening = config.session_check is SessionCheck.LISTEN
        if listening:
            session_cache_for(engine, config, self.connect)
        try:
            yield
        finally:
            if listening:
                stop_listener(engine, timeout=0)  # the thread ends at its next poll
