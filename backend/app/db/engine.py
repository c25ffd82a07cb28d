"""The engine: psycopg 3 over TLS, with every database timeout of the backend in one place.

TLS: the server's certificate is always verified, exactly as the frontend does it
(frontend/src/server/db.ts, docs/operations.md "Deploying against Neon"): chain and host name
(verify-full) against DATABASE_CA_CERT, or against the system CAs when it is empty; chain only
(verify-ca) solely when the URL asks for it and DATABASE_CA_CERT names the CA. The URL's
`sslmode=require` (Neon's) is upgraded, never kept: libpq would encrypt but check no certificate.
channel_binding stays the URL's. A certificate that fails is never retried, and
describe_certificate_failure() names it in one line.

Timeout and retry policy (docs/operations.md "Timeouts and retries"):
- connect: CONNECT_TIMEOUT_SECONDS per attempt, long enough for a Neon cold start, and at most
  CONNECT_ATTEMPTS attempts with CONNECT_BACKOFF_SECONDS between them, only while the whole
  try stays within CONNECT_RETRY_BUDGET_SECONDS (a brief blip is absorbed, an outage is
  reported fast: /health must answer within 5 s). Refused credentials are never retried;
- writes are never replayed: a request that fails answers 503 and the client retries
  (Retry-After); a 2xx always means committed. A read whose connection died under it runs once
  more on a fresh connection (app/db/database.py);
- each statement: STATEMENT_TIMEOUT_MS on the server;
- dead peers: TCP keepalives + tcp_user_timeout so a vanished server fails a query in seconds;
- pool: no pre-ping (a round trip on every request): a connection the server has closed is
  noticed at checkout without one (_discard_if_closed_by_server) and replaced before anything is
  sent; last in, first out, so the busy few stay warm; POOL_TIMEOUT_SECONDS waiting for a free
  connection, then 503;
- statements: prepared server-side after PREPARE_THRESHOLD uses on a connection, except through
  a transaction-mode pooler (DATABASE_POOLED: PgBouncer, Neon's -pooler host), where the next
  transaction may run on another server connection that never saw the PREPARE.
"""

import logging
import select
import ssl
import time
from functools import partial
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import psycopg
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import DisconnectionError

from app.settings import Settings

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
    "does not match host name",
    "server does not support SSL",
    "channel binding",
)
STATEMENT_TIMEOUT_MS = 5_000
TCP_USER_TIMEOUT_MS = 10_000
POOL_SIZE = 5
POOL_MAX_OVERFLOW = 10
POOL_TIMEOUT_SECONDS = 5
POOL_RECYCLE_SECONDS = 300  # Neon closes idle connections when it scales to zero
PREPARE_THRESHOLD = 2  # uses of one statement on one connection before it is prepared


def system_ca_bundle() -> str:
    """The system's CA bundle as Python's OpenSSL finds it (SSL_CERT_FILE wins).

    Not libpq's own `sslrootcert=system`: the psycopg-binary wheel bundles an OpenSSL whose default
    store is /usr/lib/psycopg-openssl/, which no system has, so it would trust nothing at all.
    """
    return ssl.get_default_verify_paths().cafile or "system"


def tls_args(url_sslmode: str | None, ca_cert: Path | None) -> dict[str, str]:
    """libpq's sslmode and sslrootcert: certificate verification as the frontend does it."""
    if ca_cert is None:
        return {"sslmode": "verify-full", "sslrootcert": system_ca_bundle()}
    sslmode = "verify-ca" if url_sslmode == "verify-ca" else "verify-full"
    return {"sslmode": sslmode, "sslrootcert": str(ca_cert)}


def describe_certificate_failure(exc: BaseException) -> str | None:
    """One line in the shape of a configuration error when the database's certificate failed."""
    message = str(exc)
    if "does not match host name" in message:
        return (
            "config error: DATABASE_URL: its host is not a name the database's certificate lists. "
            "Fix: connect by a name the certificate is for (the local server's: localhost)"
        )
    if "certificate verify failed" in message or "root certificate file" in message:
        return (
            "config error: DATABASE_CA_CERT: does not sign the database's certificate (empty: the "
            "system CAs). Fix: point it at the PEM CA that signs it (npm run dev writes "
            ".dev/tls/ca.crt for the local server); empty suits a publicly trusted certificate "
            "such as Neon's"
        )
    return None


def connect_args(url_sslmode: str | None, ca_cert: Path | None) -> dict[str, Any]:
    """libpq parameters that override the URL's (channel_binding stays the URL's)."""
    args: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": TCP_USER_TIMEOUT_MS,
        "application_name": "authbridge-backend",
        **tls_args(url_sslmode, ca_cert),
    }
    return args


def build_engine(
    url: str,
    ca_cert: Path | None = None,
    *,
    pooled: bool = False,
    direct_url: str | None = None,
    **overrides: Any,
) -> Engine:
    """Build an engine from an already validated URL (tests use this to bypass the validator).

    `direct_url`: where `direct_connection` goes instead of `url` (a pooler cannot LISTEN)."""
    options: dict[str, Any] = {
        "pool_pre_ping": False,  # _discard_if_closed_by_server instead, without a round trip
        "pool_use_lifo": True,
        "pool_size": POOL_SIZE,
        "max_overflow": POOL_MAX_OVERFLOW,
        "pool_timeout": POOL_TIMEOUT_SECONDS,
        "pool_recycle": POOL_RECYCLE_SECONDS,
        "connect_args": connect_args(_url_sslmode(url), ca_cert),
    }
    options.update(overrides)
    engine = create_engine(url, **options)
    event.listen(engine, "do_connect", _connect_with_retries)
    event.listen(engine, "connect", _set_statement_timeout)
    event.listen(engine, "connect", partial(_set_prepare_threshold, pooled))
    event.listen(engine, "checkout", _discard_if_closed_by_server)
    _connect_args_of[engine] = options["connect_args"]
    if direct_url is not None:
        _direct_of[engine] = (direct_url, connect_args(_url_sslmode(direct_url), ca_cert))
    return engine


def _url_sslmode(url: str) -> str | None:
    value = make_url(url).query.get("sslmode")
    return value[-1] if isinstance(value, tuple) else value  # repeated: libpq takes the last


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
                if certificate_problem := describe_certificate_failure(exc):
                    log.error("%s", certificate_problem)
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


def _set_prepare_threshold(pooled: bool, dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.prepare_threshold = None if pooled else PREPARE_THRESHOLD


def _discard_if_closed_by_server(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Checkout check without a round trip: an idle connection has nothing to read unless the
    server closed it (restart, crash, idle timeout, pg_terminate_backend), which sends an error
    and end-of-file. DisconnectionError makes the pool replace it before anything is sent."""
    pgconn = dbapi_connection.pgconn
    try:
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN)
        if poller.poll(0):
            pgconn.consume_input()  # EOF or a broken TLS stream raises here
    except psycopg.OperationalError as exc:
        raise DisconnectionError(f"closed by the server: {type(exc).__name__}") from None
    if pgconn.status != psycopg.pq.ConnStatus.OK:
        raise DisconnectionError("connection is not usable")


_connect_args_of: WeakKeyDictionary[Engine, dict[str, Any]] = WeakKeyDictionary()
_direct_of: WeakKeyDictionary[Engine, tuple[str, dict[str, Any]]] = WeakKeyDictionary()


def direct_connection(engine: Engine, **overrides: Any) -> psycopg.Connection[Any]:
    """A dedicated psycopg connection outside the pool, made exactly like the pool's (TLS,
    timeouts, connect retries) to the engine's direct URL (DATABASE_URL_UNPOOLED) if it has one,
    else its own; `overrides` are psycopg.connect arguments (libpq parameters, autocommit). The
    session listener runs on one (packages/python: authbridge.session_listener)."""
    direct = _direct_of.get(engine)
    url = make_url(direct[0]) if direct else engine.url
    cargs, cparams = engine.dialect.create_connect_args(url)
    cparams.update(direct[1] if direct else _connect_args_of.get(engine, {}))
    cparams.update(overrides)
    return _connect_with_retries(engine.dialect, None, cargs, cparams)  # type: ignore[no-any-return]


def engine_for(settings: Settings) -> Engine:
    """The app's engine, made once in the lifespan (app/state.py) and disposed at shutdown."""
    return build_engine(
        settings.database_url.get_secret_value(),
        settings.database_ca_cert,
        pooled=settings.database_pooled,
        direct_url=(
            settings.database_url_unpooled.get_secret_value()
            if settings.database_url_unpooled
            else None
        ),
    )
