"""GET /health (database round-trip over an encrypted connection, and the email verification
policy this process runs with, for `npm run doctor`) and GET /health/live.

It never hangs: the probe runs in a worker thread bounded by PROBE_TIMEOUT_SECONDS, so a
dead or blackholed database answers 503 in under 5 s, and the pool reconnects on its own.
"""

import asyncio
import logging
import time
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import EngineDep, SettingsDep
from app.core.tls_info import describe_tls

log = logging.getLogger("authbridge.health")
router = APIRouter(tags=["health"])

PROBE_TIMEOUT_SECONDS = 4.0


class DatabaseCheck(BaseModel):
    ok: bool
    latency_ms: float | None
    error: str | None


class TlsCheck(BaseModel):
    ok: bool
    version: str | None
    cipher: str | None


class Health(BaseModel):
    status: str  # "ok" | "unavailable"
    database: DatabaseCheck
    tls: TlsCheck
    email_verification: Literal["required", "optional"]  # REQUIRE_EMAIL_VERIFICATION in effect


class Live(BaseModel):
    status: str


def _probe(engine: Engine) -> tuple[DatabaseCheck, TlsCheck]:
    started = time.perf_counter()
    with engine.connect() as conn:
        conn.execute(text("SELECT 1")).scalar_one()
        latency_ms = round((time.perf_counter() - started) * 1000, 2)
        tls = describe_tls(conn.connection.driver_connection)  # type: ignore[arg-type]
    return (
        DatabaseCheck(ok=True, latency_ms=latency_ms, error=None),
        TlsCheck(ok=tls.in_use, version=tls.version, cipher=tls.cipher),
    )


def _failed(error: str) -> tuple[DatabaseCheck, TlsCheck]:
    # Short fixed phrases: the driver's own message names hosts and ports.
    return (
        DatabaseCheck(ok=False, latency_ms=None, error=error),
        TlsCheck(ok=False, version=None, cipher=None),
    )


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
async def health(engine: EngineDep, settings: SettingsDep) -> JSONResponse:
    try:
        database, tls = await asyncio.wait_for(
            asyncio.to_thread(_probe, engine), timeout=PROBE_TIMEOUT_SECONDS
        )
    except TimeoutError:
        database, tls = _failed(f"no answer within {PROBE_TIMEOUT_SECONDS:g} s")
    except SQLAlchemyError as exc:
        log.warning("health probe failed: %s", exc.__class__.__name__, exc_info=exc)
        database, tls = _failed("connection or query failed")
    healthy = database.ok and tls.ok
    body = Health(
        status="ok" if healthy else "unavailable",
        database=database,
        tls=tls,
        email_verification=settings.email_verification,
    )
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)


@router.get("/health/live", response_model=Live)
def live() -> Live:
    return Live(status="ok")
