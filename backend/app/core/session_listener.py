"""The session listener: one dedicated connection per backend instance (never a pooled one) that
LISTENs for the NOTIFYs of migration 0003 and drops the matching session cache entries.

Lifecycle, in one thread per engine:
  wait until wanted → connect (app/core/db.py direct_connection) → LISTEN → cache.trust()
  → hand every notification to cache.invalidate() → on any error or EOF: cache.distrust(),
  back off, and reconnect once a request wants the cache again.

The cache is trusted only between a completed LISTEN and the first sign of trouble, so a missed
notification can never leave a revoked session cached (app/core/session_cache.py). Reconnecting
only on demand lets a scaled-to-zero database (Neon) stay asleep while no request comes in; an
idle LISTEN connection does not count as activity. Aggressive TCP keepalives bound how long a
silently cut link (no FIN, no RST) can go unnoticed: LISTENER_KEEPALIVE_* below, about 4 s.
"""

import logging
import threading
from typing import Any

import psycopg
from sqlalchemy import Engine, event

from app.core.db import direct_connection
from app.core.session_cache import SessionCache

log = logging.getLogger("authbridge.session_cache")

CHANNEL = "authbridge_session"  # the NOTIFY channel of migration 0003
APPLICATION_NAME = "authbridge-session-listener"  # how operators (and the fault runs) find it
LISTENER_KEEPALIVE = {"keepalives_idle": 2, "keepalives_interval": 1, "keepalives_count": 2}
POLL_SECONDS = 0.5  # how often the thread looks up from waiting (to stop, or to reconnect)
BACKOFF_SECONDS = (0.1, 0.5, 1.0, 2.0, 5.0)  # between failed connects, then 5 s each


class SessionListener:
    def __init__(self, engine: Engine, cache: SessionCache) -> None:
        self.engine = engine
        self.cache = cache
        self.connected = threading.Event()  # LISTEN in place (tests and /health can wait on it)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="session-listener", daemon=True)
        self._backend_pid: int | None = None

    @property
    def backend_pid(self) -> int | None:
        """The server process of the LISTEN connection (what pg_terminate_backend would end)."""
        return self._backend_pid

    def start(self) -> None:
        self.cache.wanted.set()  # connect at once the first time
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

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
        conn = direct_connection(
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
                    self.cache.invalidate(notification.payload)
        finally:
            self.cache.distrust()  # first: from here on a notification may be missed
            self.connected.clear()
            self._backend_pid = None
            conn.close()

    def _lost(self, exc: BaseException, failures: int) -> None:
        self.cache.distrust()
        self.connected.clear()
        level = logging.WARNING if failures == 1 else logging.DEBUG
        log.log(level, "session cache off until the listener reconnects: %s", type(exc).__name__)


_listeners: dict[Engine, SessionListener] = {}
_listeners_lock = threading.Lock()


def listening_cache(engine: Engine) -> SessionCache:
    """The session cache of an engine, its listener started on first use and stopped when the
    engine is disposed."""
    listener = _listeners.get(engine)
    if listener is None:
        with _listeners_lock:
            listener = _listeners.get(engine)
            if listener is None:
                listener = _listeners[engine] = SessionListener(engine, SessionCache())
                if not event.contains(engine, "engine_disposed", _stop_listener):
                    event.listen(engine, "engine_disposed", _stop_listener)
                listener.start()
    return listener.cache


def listener_of(engine: Engine) -> SessionListener | None:
    return _listeners.get(engine)


def _stop_listener(engine: Engine, *_: Any) -> None:
    with _listeners_lock:
        listener = _listeners.pop(engine, None)
    if listener is not None:
        listener.stop()
