"""The FastAPI app: routers, the one error body, CORS for exactly the frontend's origins
(BETTER_AUTH_URL and BETTER_AUTH_TRUSTED_ORIGINS), the request id and access line of
app/core/logs.py and the browser defences of app/core/security_headers.py on every answer, the
body cap of app/core/body_limit.py before anything else reads a request, and the lifespan of the
session check (packages/python's AuthBridge: one start-up line naming the SESSION_CACHE mode, the
session listener started at once in the `listen` mode and stopped at shutdown)."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.types import ASGIApp

from app.api.deps import bridge
from app.api.routes import health, me, tasks
from app.core.body_limit import BodyLimit
from app.core.config import get_settings
from app.core.errors import install_error_handlers
from app.core.logs import RequestLog, configure_app_logging
from app.core.security_headers import SecurityHeaders

log = logging.getLogger("authbridge.session_check")


class AuthbridgeApp(FastAPI):
    """FastAPI whose outermost layers add the request id and the security headers: outside
    Starlette's ServerErrorMiddleware, so a 500 carries them too, not only the routes' answers.
    Inside them, and outside everything else (CORS, routing, authentication), the body cap: a
    body over BACKEND_MAX_BODY_BYTES is refused before any of those reads a byte of it."""

    def __init__(self, *, access_lines: bool, max_body_bytes: int, **kwargs: Any) -> None:
        self.access_lines = access_lines
        self.max_body_bytes = max_body_bytes
        super().__init__(**kwargs)

    def build_middleware_stack(self) -> ASGIApp:
        stack = BodyLimit(super().build_middleware_stack(), max_bytes=self.max_body_bytes)
        return RequestLog(SecurityHeaders(stack), access_lines=self.access_lines)


def operation_id(route: APIRoute) -> str:
    """Readable ids for the generated client: `{tag}-{name}`, e.g. `tasks-list_tasks`."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    if get_settings().session_cache_needs_direct_url:
        log.warning(
            "SESSION_CACHE=listen needs a direct connection for its LISTEN: with "
            "DATABASE_POOLED=true and no DATABASE_URL_UNPOOLED the session check is off"
        )
    async with bridge.lifespan(app):
        yield


def create_app() -> FastAPI:
    settings = get_settings()  # bad configuration fails here, at startup
    configure_app_logging(settings.log_format)
    app = AuthbridgeApp(
        access_lines=settings.log_format == "json",
        max_body_bytes=settings.backend_max_body_bytes,
        title="authbridge backend",
        version="0.1.0",
        description="Per-user tasks behind the frontend's HS256 token (see docs/jwt-contract.md).",
        generate_unique_id_function=operation_id,
        # No Swagger UI / ReDoc pages: they load scripts from a CDN, which the CSP on every answer
        # (rightly) blocks. GET /openapi.json and contracts/openapi.json describe the API.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
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
