"""The engine: psycopg 3 over TLS, with every database timeout of the backend in one place.

Policy (issue 5, documented in docs/operations.md by the lead):
- connect: CONNECT_TIMEOUT_SECONDS per attempt, long enough for a Neon cold start, and at most
  CONNECT_ATTEMPTS attempts with CONNECT_BACKOFF_SECONDS between them, only while the whole
  try stays within CONNECT_RETRY_BUDGET_SECONDS (a brief blip is absorbed, an outage is
  reported fast: /health must answer within 5 s). Refused credentials are never retried;
- reads and writes are not replayed: a request that fails answers 503 and the client retries
  (Retry-After); a 2xx always means committed;
- each statement: STATEMENT_TIMEOUT_MS on the server;
- dead peers: TCP keepalives + tcp_user_timeout so a vanished server fails a query in seconds;
- pool: pre-ping on checkout (a restarted server never hands out a dead connection),
  POOL_TIMEOUT_SECONDS waiting for a free connection, then 503.
"""

import logging
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, create_engine, event

from app.core.config import get_settings

log = logging.getLogger("authbridge.db")

CONNECT_TIMEOUT_SECONDS = 10
CONNECT_ATTEMPTS = 3
CONNECT_BACKOFF_SECONDS = (0.25, 0.75)  # before the 2nd and the 3rd attempt
CONNECT_RETRY_BUDGET_SECONDS = 2.0
# Failures a retry cannot fix. libpq reports connection failures without a SQLSTATE,
# so the server's and libpq's own (English) phrases are matched as well.
NEVER_RETRIED_SQLSTATE_CLASSES = ("28", "3D")  # bad credentials, unknown database
NEVER_RETRIED_PHRASES = (
    "password authentication failed",
    "no pg_hba.conf entry",
    "does not exist",
    "certificate verify failed",
    "server does not support SSL",
    "channel binding",
)
STATEMENT_TIMEOUT_MS = 5_000
TCP_USER_TIMEOUT_MS = 10_000
POOL_SIZE = 5
POOL_MAX_OVERFLOW = 10
POOL_TIMEOUT_SECONDS = 5
POOL_RECYCLE_SECONDS = 300  # Neon closes idle connections when it scales to zero


def connect_args(ca_cert: Path | None) -> dict[str, Any]:
    """libpq parameters added to those in the URL (sslmode, channel_binding stay the URL's)."""
    args: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": TCP_USER_TIMEOUT_MS,
        "application_name": "authbridge-backend",
    }
    if ca_cert is not None:
        args["sslrootcert"] = str(ca_cert)
    return args


def build_engine(url: str, ca_cert: Path | None = None, **overrides: Any) -> Engine:
    """Build an engine from an already validated URL (tests use this to bypass the validator)."""
    options: dict[str, Any] = {
        "pool_pre_ping": True,
        "pool_size": POOL_SIZE,
        "max_overflow": POOL_MAX_OVERFLOW,
        "pool_timeout": POOL_TIMEOUT_SECONDS,
        "pool_recycle": POOL_RECYCLE_SECONDS,
        "connect_args": connect_args(ca_cert),
    }
    options.update(overrides)
    engine = create_engine(url, **options)
    event.listen(engine, "do_connect", _connect_with_retries)
    event.listen(engine, "connect", _set_statement_timeout)
    return engine


def _connect_with_retries(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    started = time.monotonic()
    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        try:
            return dialect.connect(*cargs, **cparams)
        except psycopg.OperationalError as exc:
            delay = CONNECT_BACKOFF_SECONDS[min(attempt, len(CONNECT_BACKOFF_SECONDS)) - 1]
            elapsed = time.monotonic() - started
            if (
                attempt == CONNECT_ATTEMPTS
                or _is_permanent(exc)
                or elapsed + delay > CONNECT_RETRY_BUDGET_SECONDS
            ):
                raise
            log.warning(
                "database connect attempt %d failed (%s), retrying in %.2f s",
                attempt,
                type(exc).__name__,
                delay,
            )
            time.sleep(delay)
    raise AssertionError("unreachable")  # the loop returns or raises


def _is_permanent(exc: psycopg.OperationalError) -> bool:
    if (exc.sqlstate or "")[:2] in NEVER_RETRIED_SQLSTATE_CLASSES:
        return True
    message = str(exc)
    return any(phrase in message for phrase in NEVER_RETRIED_PHRASES)


def _set_statement_timeout(dbapi_connection: Any, _record: Any) -> None:
    # A SET rather than the `options` startup parameter, which poolers such as PgBouncer refuse.
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(STATEMENT_TIMEOUT_MS)}")
    dbapi_connection.commit()


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return build_engine(settings.database_url.get_secret_value(), settings.database_ca_cert)
