"""GET /health (database round-trip over an encrypted connection, whether a NOTIFY reaches this
process's session listener, and the email verification policy this process runs with, for
`npm run doctor`) and GET /health/live.

It never hangs: the probe runs in a worker thread bounded by PROBE_TIMEOUT_SECONDS, so a
dead or blackholed database answers 503 in under 5 s, and the pool reconnects on its own. A pooled
connection that died while idle (a database restart, pg_terminate_backend) is not an outage: the
probe runs once more on a fresh connection, as reads do (app/db/database.py).

The listener check (`session_check`) sends `NOTIFY authbridge_session, 'probe:<nonce>'` through the
database and waits up to LISTENER_PROBE_SECONDS for this process's listener to hear it: "heard",
"not-heard", or "not-used" in the SESSION_CACHE modes without a listener. A listener that is not
heard does not make /health 503: the instance still answers correctly (every request then reads
the database until the listener reconnects); `npm run doctor` reports it.
"""

import asyncio
import logging
import time
from typing import Literal

from authbridge import BridgeConfig
from authbridge.session_check import LISTENER_PROBE_SECONDS
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from app.auth import bridge
from app.db.tls_info import describe_tls
from app.state import BridgeConfigDep, EngineDep, SettingsDep

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


class SessionCheckHealth(BaseModel):
    mode: Literal["listen", "ttl", "off"]  # SESSION_CACHE in effect
    listener: Literal["heard", "not-heard", "not-used"]  # a NOTIFY probe reached this process
    latency_ms: float | None  # NOTIFY sent → heard


class Health(BaseModel):
    status: str  # "ok" | "unavailable"
    database: DatabaseCheck
    tls: TlsCheck
    session_check: SessionCheckHealth
    email_verification: Literal["required", "optional"]  # REQUIRE_EMAIL_VERIFICATION in effect


class Live(BaseModel):
    status: str


def _probe(engine: Engine) -> tuple[DatabaseCheck, TlsCheck]:
    try:
        return _probe_once(engine)
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        log.warning("health probe lost its connection (%s): retrying once", type(exc.orig).__name__)
    return _probe_once(engine)


def _probe_once(engine: Engine) -> tuple[DatabaseCheck, TlsCheck]:
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


async def _listener(engine: Engine, config: BridgeConfig, database_ok: bool) -> SessionCheckHealth:
    mode = config.session_check
    if not mode.uses_listener:
        return SessionCheckHealth(mode=mode.value, listener="not-used", latency_ms=None)
    heard = None
    if database_ok:  # else nothing could reach the listener: not heard
        try:
            probe = await asyncio.wait_for(
                asyncio.to_thread(bridge.probe_listener, engine, config),
                timeout=LISTENER_PROBE_SECONDS + 1,  # the probe bounds itself; this, its NOTIFY
            )
            heard = probe.latency_ms
        except (TimeoutError, SQLAlchemyError) as exc:
            log.warning("listener probe failed: %s", exc.__class__.__name__)
    listener = "not-heard" if heard is None else "heard"
    return SessionCheckHealth(mode=mode.value, listener=listener, latency_ms=heard)


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
async def health(engine: EngineDep, settings: SettingsDep, config: BridgeConfigDep) -> JSONResponse:
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
        session_check=await _listener(engine, config, database.ok),
        email_verification=settings.email_verification,
    )
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)


@router.get("/health/live", response_model=Live)
def live() -> Live:
    return Live(status="ok")
