"""The session behind a verified token: alive, the subject's, and who the user is. Blocking calls
(run them in a worker thread from async code); no web framework.

Every database call is ONE autocommit statement on a connection of the application's SQLAlchemy
engine (psycopg 3): no BEGIN or COMMIT crosses the wire, so the check is one round trip. A read
whose connection died under it (a server restart, an idle timeout, pg_terminate_backend) runs once
more on a fresh connection: a read is idempotent.

The cache in front of it depends on the mode (authbridge.config.SessionCheck): `listen` (the
NOTIFY-invalidated cache, authbridge.session_listener), `ttl` (entries live a short stated bound,
no listener) or `off` (every request reads the database).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Engine, Row, event
from sqlalchemy.exc import DBAPIError

from authbridge.config import BridgeConfig, SessionCheck
from authbridge.jwt_verifier import TokenClaims
from authbridge.schema import CHANNEL, LIVE_SESSION_USER
from authbridge.session_cache import SessionCache, SessionUser
from authbridge.session_listener import (
    DirectConnect,
    engine_connection,
    listener_for,
    listening_cache,
)

log = logging.getLogger("authbridge.db")

LISTENER_PROBE_SECONDS = 1.0  # how long a health probe waits for its NOTIFY to be heard
NOTIFY = "SELECT pg_notify(%(channel)s, %(payload)s)"


def read(engine: Engine, sql: str, params: Mapping[str, Any]) -> Sequence[Row[Any]]:
    """All rows of one read-only statement in autocommit; retried once on a fresh connection if
    its connection died under it."""
    try:
        return _run(engine, sql, params)
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        log.warning("a read lost its connection (%s): retrying once", type(exc.orig).__name__)
    return _run(engine, sql, params)


def _run(engine: Engine, sql: str, params: Mapping[str, Any]) -> Sequence[Row[Any]]:
    with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
        return conn.exec_driver_sql(sql, dict(params)).all()


def live_session_user(
    engine: Engine, session_id: str, user_id: str, query: str = LIVE_SESSION_USER
) -> SessionUser | None:
    """The user of session `session_id` if it exists, is `user_id`'s and has not expired.
    `query`: authbridge.schema's statement for the configuration (BridgeConfig.session_query)."""
    rows = read(engine, query, {"session_id": session_id, "user_id": user_id})
    if not rows:
        return None
    row = rows[0]
    expires_at: datetime = row.expires_at
    return SessionUser(
        row.id,
        row.name,
        row.email,
        expires_at.timestamp(),
        row.email_verified,
        second_factor=bool(row.second_factor),
    )


def check_session(
    engine: Engine,
    cache: SessionCache | None,
    claims: TokenClaims,
    query: str = LIVE_SESSION_USER,
) -> SessionUser | None:
    """The database's answer (one round trip), stored in the cache unless a NOTIFY was handled
    while the query ran: the generation is taken before the query is sent."""
    generation = cache.generation() if cache is not None else None
    user = live_session_user(engine, session_id=claims.sid, user_id=claims.sub, query=query)
    if user is not None and cache is not None:
        cache.put(claims.sid, user, generation)
    return user


_ttl_caches: dict[tuple[Engine, float], SessionCache] = {}
_ttl_lock = threading.Lock()


def session_cache_for(
    engine: Engine, config: BridgeConfig, connect: DirectConnect = engine_connection
) -> SessionCache | None:
    """The cache of `engine` in `config`'s mode: the listened one, a `ttl` one, or None."""
    if config.session_check is SessionCheck.LISTEN:
        return listening_cache(engine, connect)
    if config.session_check is SessionCheck.TTL:
        return _ttl_cache(engine, config.session_cache_ttl_seconds)
    return None


def _ttl_cache(engine: Engine, ttl_seconds: float) -> SessionCache:
    key = (engine, ttl_seconds)
    cache = _ttl_caches.get(key)
    if cache is None:
        with _ttl_lock:
            cache = _ttl_caches.get(key)
            if cache is None:
                cache = _ttl_caches[key] = SessionCache.without_listener(ttl_seconds)
                if not event.contains(engine, "engine_disposed", _forget_ttl_caches):
                    event.listen(engine, "engine_disposed", _forget_ttl_caches)
    return cache


def _forget_ttl_caches(engine: Engine, *_: Any) -> None:
    with _ttl_lock:
        for key in [k for k in _ttl_caches if k[0] is engine]:
            del _ttl_caches[key]


ListenerStatus = Literal["heard", "not-heard", "not-used"]


@dataclass(frozen=True, slots=True)
class ListenerProbe:
    status: ListenerStatus
    latency_ms: float | None  # NOTIFY sent → heard by this process's listener


def probe_listener(
    engine: Engine,
    config: BridgeConfig,
    connect: DirectConnect = engine_connection,
    timeout: float = LISTENER_PROBE_SECONDS,
) -> ListenerProbe:
    """Whether a NOTIFY sent through `engine`'s database reaches this process's listener within
    `timeout` seconds ("not-used" in the modes without one). Starts the listener if need be."""
    if not config.session_check.uses_listener:
        return ListenerProbe("not-used", None)

    def send(payload: str) -> None:
        read(engine, NOTIFY, {"channel": CHANNEL, "payload": payload})

    latency_ms = listener_for(engine, connect).probe(send, timeout)
    return ListenerProbe("not-heard" if latency_ms is None else "heard", latency_ms)
