"""The engine: psycopg 3 over TLS, with every database timeout of the backend in one place.

Policy (issue 5, documented in docs/operations.md by the lead):
- connect: CONNECT_TIMEOUT_SECONDS per attempt, long enough for a Neon cold start;
- each statement: STATEMENT_TIMEOUT_MS on the server;
- dead peers: TCP keepalives + tcp_user_timeout so a vanished server fails a query in seconds;
- pool: pre-ping on checkout (a restarted server never hands out a dead connection),
  POOL_TIMEOUT_SECONDS waiting for a free connection, then 503.
"""

from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from app.core.config import get_settings

CONNECT_TIMEOUT_SECONDS = 10
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
    event.listen(engine, "connect", _set_statement_timeout)
    return engine


def _set_statement_timeout(dbapi_connection: Any, _record: Any) -> None:
    # A SET rather than the `options` startup parameter, which poolers such as PgBouncer refuse.
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(STATEMENT_TIMEOUT_MS)}")
    dbapi_connection.commit()


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return build_engine(settings.database_url.get_secret_value(), settings.database_ca_cert)
