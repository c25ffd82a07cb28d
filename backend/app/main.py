"""The FastAPI app: routers, the one error body, CORS for exactly the frontend's origin, and the
browser defences of app/core/security_headers.py on every answer."""

import logging

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.types import ASGIApp

from app.api.routes import health, me, tasks
from app.core.config import get_settings
from app.core.errors import install_error_handlers
from app.core.security_headers import SecurityHeaders


class AuthbridgeApp(FastAPI):
    """FastAPI whose outermost layer adds the security headers: outside Starlette's
    ServerErrorMiddleware, so a 500 carries them too, not only what the routes answer."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def operation_id(route: APIRoute) -> str:
    """Readable ids for the generated client: `{tag}-{name}`, e.g. `tasks-list_tasks`."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def _configure_logging() -> None:
    # uvicorn configures only its own loggers; ours (auth refusals, DB faults) go to stderr too.
    logger = logging.getLogger("authbridge")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def create_app() -> FastAPI:
    _configure_logging()
    settings = get_settings()  # bad configuration fails here, at startup
    app = AuthbridgeApp(
        title="authbridge backend",
        version="0.1.0",
        description="Per-user tasks behind the frontend's HS256 token (see docs/jwt-contract.md).",
        generate_unique_id_function=operation_id,
        # No Swagger UI / ReDoc pages: they load scripts from a CDN, which the CSP on every answer
        # (rightly) blocks. GET /openapi.json and contracts/openapi.json describe the API.
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[settings.cors_origin],
        allow_methods=["GET", "POST", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
        expose_headers=["WWW-Authenticate", "Retry-After"],
        max_age=600,
    )
    for module in (health, me, tasks):
        app.include_router(module.router)
    return app


app = create_app()
