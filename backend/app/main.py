"""The FastAPI app: routers, the one error body, CORS for exactly the frontend's origins
(BETTER_AUTH_URL and BETTER_AUTH_TRUSTED_ORIGINS), the request id and access line of
app/http/logs.py and the browser defences of app/http/security_headers.py on every answer, the
body cap of app/http/body_limit.py before anything else reads a request, and the lifespan: it makes
the application's state (app/state.py: the engine, the database handle, the bridge's configuration)
from the settings create_app validated, runs the session check's lifespan (packages/python's
AuthBridge: one start-up line naming the SESSION_CACHE mode, the session listener started at once
in the `listen` mode and stopped at shutdown), and disposes of the engine at shutdown."""

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.types import ASGIApp

from app.auth import bridge
from app.errors import install_error_handlers
from app.http.body_limit import BodyLimit
from app.http.logs import RequestLog, configure_app_logging
from app.http.security_headers import SecurityHeaders
from app.routes import health, me, tasks
from app.settings import Settings, load_settings
from app.state import AppState

log = logging.getLogger("authbridge.session_check")


class AuthbridgeApp(FastAPI):
    """FastAPI whose outermost layers add the request id and the security headers: outside
    Starlette's ServerErrorMiddleware, so a 500 carries them too, not only the routes' answers.
    Inside them, and outside everything else (CORS, routing, authentication), the body cap: a
    body over BACKEND_MAX_BODY_BYTES is refused before any of those reads a byte of it."""

    def __init__(
        self,
        *,
        access_lines: bool,
        max_body_bytes: int,
        header_timeout_seconds: float,
        **kwargs: Any,
    ) -> None:
        self.access_lines = access_lines
        self.max_body_bytes = max_body_bytes
        self.header_timeout_seconds = header_timeout_seconds  # app/http/server.py reads it
        super().__init__(**kwargs)

    def build_middleware_stack(self) -> ASGIApp:
        stack = BodyLimit(super().build_middleware_stack(), max_bytes=self.max_body_bytes)
        return RequestLog(SecurityHeaders(stack), access_lines=self.access_lines)


def operation_id(route: APIRoute) -> str:
    """Readable ids for the generated client: `{tag}-{name}`, e.g. `tasks-list_tasks`."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def lifespan_of(settings: Settings) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.session_cache_needs_direct_url:
            log.warning(
                "SESSION_CACHE=listen needs a direct connection for its LISTEN: with "
                "DATABASE_POOLED=true and no DATABASE_URL_UNPOOLED the session check is off"
            )
        state = app.state.authbridge = AppState.build(settings)
        try:
            async with bridge.lifespan(app, config=state.bridge_config, engine=state.engine):
                yield
        finally:
            state.engine.dispose()

    return lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app of `settings`, else of the environment and the root .env: bad configuration fails
    here, at startup."""
    settings = settings if settings is not None else load_settings()
    configure_app_logging(settings.log_format)
    app = AuthbridgeApp(
        access_lines=settings.log_format == "json",
        max_body_bytes=settings.backend_max_body_bytes,
        header_timeout_seconds=settings.backend_header_timeout_seconds,
        title="authbridge backend",
        version="0.1.0",
        description="Per-user tasks behind the frontend's HS256 token (see docs/jwt-contract.md).",
        generate_unique_id_function=operation_id,
        # No Swagger UI / ReDoc pages: they load scripts from a CDN, which the CSP on every answer
        # (rightly) blocks. GET /openapi.json and contracts/openapi.json describe the API.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan_of(settings),
    )
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_origin_regex=settings.cors_origin_regex,
        allow_methods=["GET", "POST", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
        expose_headers=["WWW-Authenticate", "Retry-After"],
        max_age=600,
    )
    for module in (health, me, tasks):
        app.include_router(module.router)
    return app


app = create_app()
