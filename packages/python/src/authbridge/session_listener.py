"""The session listener: one dedicated connection per process and engine (never a pooled one)
that LISTENs for the NOTIFYs of authbridge.schema's triggers and drops the matching session cache
entries.

Lifecycle, in one thread per engine:
  wait until wanted → connect (`connect`, by default engine_connection) → LISTEN → cache.trust()
  → hand every notification to cache.invalidate() → on any error or EOF: cache.distrust(),
  back off, and reconnect once a request wants the cache again.

The cache is trusted only between a completed LISTEN and the first sign of trouble, so a missed
notification can never leave a revoked session cached (authbridge.session_cache). Reconnecting
only on demand lets a scaled-to-zero database (Neon) stay asleep while no request comes in; an
idle LISTEN connection does not count as activity. Aggressive TCP keepalives bound how long a
silently cut link (no FIN, no RST) can go unnoticed: LISTENER_KEEPALIVE below, about 4 s.

Its health is proven, not assumed: `probe()` sends a NOTIFY "probe:<nonce>" through the
database and waits for this listener to hear it. A probe changes nothing in the cache.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import psycopg
from sqlalchemy import Engine, event

from authbridge.schema import CHANNEL
from authbridge.session_cache import SessionCache

log = logging.getLogger("authbridge.session_cache")

APPLICATION_NAME = "authbridge-session-listener"  # how operators (and the fault runs) find it
LISTENER_KEEPALIVE = {"keepalives_idle": 2, "keepalives_interval": 1, "keepalives_count": 2}
POLL_SECONDS = 0.5  # how often the thread looks up from waiting (to stop, or to reconnect)
BACKOFF_SECONDS = (0.1, 0.5, 1.0, 2.0, 5.0)  # between failed connects, then 5 s each
PROBE_PREFIX = "probe:"  # a health probe's payload: heard, never an invalidation


class DirectConnect(Protocol):
    """Opens the listener's own connection to `engine`'s database (outside its pool, and to a
    direct URL when the pool goes through a transaction-mode pooler, which cannot LISTEN);
    `overrides` are psycopg.connect arguments (application_name, autocommit, keepalives)."""

    def __call__(self, engine: Engine, /, **overrides: Any) -> psycopg.Connection[Any]: ...


def engine_connection(engine: Engine, /, **overrides: Any) -> psycopg.Connection[Any]:
    """The default DirectConnect: a psycopg connection made from the engine's URL (its query
    string carries libpq's TLS parameters, e.g. ?sslmode=verify-full&sslrootcert=ca.crt)."""
    cargs, cparams = engine.dialect.create_connect_args(engine.url)
    return psycopg.connect(*cargs, **{**cparams, **overrides})


class SessionListener:
    def __init__(
        self, engine: Engine, cache: SessionCache, connect: DirectConnect = engine_connection
    ) -> None:
        self.engine = engine
        self.cache = cache
        self.connect = connect
        self.connected = threading.Event()  # LISTEN in place (tests and /health can wait on it)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="session-listener", daemon=True)
        self._backend_pid: int | None = None
        self._probes: dict[str, threading.Event] = {}

    @property
    def backend_pid(self) -> int | None:
        """The server process of the LISTEN connection (what pg_terminate_backend would end)."""
        return self._backend_pid

    def start(self) -> None:
        self.cache.wanted.set()  # connect at once the first time
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Ends the thread (it looks up every POLL_SECONDS); waits up to `timeout` for it."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def probe(self, send: Callable[[str], None], timeout: float) -> float | None:
        """Milliseconds from sending a NOTIFY (with `send(payload)`, through the database) to
        this listener hearing it, or None when that does not happen within `timeout` seconds
        (reconnecting first, if need be, counts in it)."""
        deadline = time.monotonic() + timeout
        payload = f"{PROBE_PREFIX}{secrets.token_hex(8)}"
        heard = self._probes[payload] = threading.Event()
        try:
            if not self.connected.is_set():
                self.cache.wanted.set()  # a probe is demand, like a request
                if not self.connected.wait(max(0.0, deadline - time.monotonic())):
                    return None
            sent = time.perf_counter()
            send(payload)
            if not heard.wait(max(0.0, deadline - time.monotonic())):
                return None
            return round((time.perf_counter() - sent) * 1000, 2)
        finally:
            del self._probes[payload]

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            if not self.cache.wanted.wait(POLL_SECONDS):
                continue
            self.cache.wanted.clear()
            try:
                self._listen()
                failures = 0  # it was connected: the next failure starts the backoff over
            except (psycopg.Error, OSError) as exc:
                failures += 1
                self._lost(exc, failures)
                self._stop.wait(BACKOFF_SECONDS[min(failures, len(BACKOFF_SECONDS)) - 1])

    def _listen(self) -> None:
        conn = self.connect(
            self.engine, application_name=APPLICATION_NAME, autocommit=True, **LISTENER_KEEPALIVE
        )
        try:
            conn.execute(f"LISTEN {CHANNEL}")
            self._backend_pid = conn.info.backend_pid
            self.cache.trust()  # flushes first: whatever happened while deaf is forgotten
            self.connected.set()
            log.info("session cache on: listening on %s (pid %d)", CHANNEL, self._backend_pid)
            while not self._stop.is_set():
                for notification in conn.notifies(timeout=POLL_SECONDS):
                    self._handle(notification.payload)
        finally:
            self.cache.distrust()  # first: from here on a notification may be missed
            self.connected.clear()
            self._backend_pid = None
            conn.close()

    def _handle(self, payload: str) -> None:
        if payload.startswith(PROBE_PREFIX):
            heard = self._probes.get(payload)  # another process's probe: nothing to do
            if heard is not None:
                heard.set()
            return
        self.cache.invalidate(payload)

    def _lost(self, exc: BaseException, failures: int) -> None:
        self.cache.distrust()
        self.connected.clear()
        level = logging.WARNING if failures == 1 else logging.DEBUG
        log.log(level, "session cache off until the listener reconnects: %s", type(exc).__name__)


_listeners: dict[Engine, SessionListener] = {}
_listeners_lock = threading.Lock()


def listening_cache(engine: Engine, connect: DirectConnect = engine_connection) -> SessionCache:
    """The session cache of an engine, its listener started on first use (with `connect`) and
    stopped when the engine is disposed or stop_listener() is called."""
    return listener_for(engine, connect).cache


def listener_for(engine: Engine, connect: DirectConnect = engine_connection) -> SessionListener:
    """The engine's listener, started (with `connect`) if it has none."""
    listener = _listeners.get(engine)
    if listener is None:
        with _listeners_lock:
            listener = _listeners.get(engine)
            if listener is None:
                listener = _listeners[engine] = SessionListener(engine, SessionCache(), connect)
                if not event.contains(engine, "engine_disposed", _stop_listener):
                    event.listen(engine, "engine_disposed", _stop_listener)
                listener.start()
    return listener


def listener_of(engine: Engine) -> SessionListener | None:
    return _listeners.get(engine)


def stop_listener(engine: Engine, timeout: float = 2.0) -> None:
    """Stops the engine's listener, if it has one; the next use starts a new one."""
    with _listeners_lock:
        listener = _listeners.pop(engine, None)
    if listener is not None:
        listener.stop(timeout)


def _stop_listener(engine: Engine, *_: Any) -> None:
    stop_listener(engine)
