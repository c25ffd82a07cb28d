"""A per-instance cache of live sessions (sid → the user behind it) that revocation cannot outrun.

In the `listen` mode the cache is only trusted while this instance's session listener holds a
LISTEN on the database (authbridge.session_listener): every delete or relevant change of a
session or user row sends a NOTIFY (authbridge.schema's triggers) that drops the matching entries
here. The rules that make it safe (docs/decisions/0003-session-cache-notify.md in the authbridge
repository):

- untrusted (listener not connected yet, reconnecting, or gone) → `get` answers nothing and
  `put` stores nothing: every request reads the database, as with no cache;
- `trust()` (the listener's LISTEN is in place) flushes everything first, so no entry that a
  missed notification should have removed survives a reconnect;
- a lookup reads `generation()` BEFORE its query and `put` stores only if no invalidation
  happened since: a query that saw the session alive cannot insert it after the NOTIFY of its
  deletion was handled;
- every entry expires after at most `ttl_seconds` (60 s) whatever happens, and never outlives
  its session's `expires_at`.

In the `ttl` mode (no listener) the cache is trusted from the start and nothing invalidates it:
an entry lives `ttl_seconds` (SessionCheck.TTL's short bound), which is the revocation bound.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

ENTRY_TTL_SECONDS = 60.0  # the backstop: no entry is older than this, notification or not
MAX_ENTRIES = 10_000  # least recently used entries go first
# NOTIFY payloads (authbridge.schema): "s:<session id>", "u:<user id>", or "*" (drop everything).
SESSION_PREFIX = "s:"
USER_PREFIX = "u:"


@dataclass(frozen=True, slots=True)
class SessionUser:
    """The user behind a live session: what the auth check and a `GET /me` need, nothing more."""

    id: str
    name: str
    email: str
    session_expires_at: float  # unix seconds
    email_verified: bool  # refused while false, when require_email_verification is on
    # The user has a second factor (BridgeConfig.second_factor_column): a step-up with mfa=True
    # asks for one. A change of it drops the entry (the user trigger's NOTIFY).
    second_factor: bool = False


class SessionCache:
    @classmethod
    def without_listener(cls, ttl_seconds: float) -> SessionCache:
        """The `ttl` mode's cache: trusted at once, entries expire after `ttl_seconds`."""
        cache = cls(ttl_seconds=ttl_seconds)
        cache.trust()
        return cache

    def __init__(
        self, ttl_seconds: float = ENTRY_TTL_SECONDS, max_entries: int = MAX_ENTRIES
    ) -> None:
        self.ttl_seconds = min(ttl_seconds, ENTRY_TTL_SECONDS)
        self.max_entries = max_entries
        # Set whenever a lookup found the cache untrusted: the listener reconnects on demand, so
        # an idle instance does not keep a scaled-to-zero database awake.
        self.wanted = threading.Event()
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[SessionUser, float]] = OrderedDict()
        self._sids_of_user: dict[str, set[str]] = {}
        self._generation = 0
        self._trusted = False
        self.notifications = 0  # handled so far, and the last payload (tests wait on them)
        self.last_payload: str | None = None

    @property
    def trusted(self) -> bool:
        return self._trusted

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, session_id: str) -> SessionUser | None:
        with self._lock:
            if not self._trusted:
                self.wanted.set()
                return None
            hit = self._entries.get(session_id)
            if hit is None:
                return None
            user, stale_at = hit
            if stale_at <= time.monotonic() or user.session_expires_at <= time.time():
                self._drop(session_id)
                return None
            self._entries.move_to_end(session_id)
            return user

    def generation(self) -> int | None:
        """The token a lookup takes BEFORE it queries; None while untrusted (store nothing)."""
        with self._lock:
            return self._generation if self._trusted else None

    def put(self, session_id: str, user: SessionUser, generation: int | None) -> bool:
        """Store what a lookup found, unless anything was invalidated since `generation`."""
        with self._lock:
            if generation is None or not self._trusted or generation != self._generation:
                return False
            self._drop(session_id)
            self._entries[session_id] = (user, time.monotonic() + self.ttl_seconds)
            self._sids_of_user.setdefault(user.id, set()).add(session_id)
            while len(self._entries) > self.max_entries:
                self._drop(next(iter(self._entries)))
            return True

    def invalidate(self, payload: str) -> None:
        """Handle one NOTIFY payload. Anything unexpected drops everything (never too little)."""
        with self._lock:
            self._generation += 1
            self.notifications += 1
            self.last_payload = payload
            if payload.startswith(SESSION_PREFIX):
                self._drop(payload[len(SESSION_PREFIX) :])
            elif payload.startswith(USER_PREFIX):
                for session_id in list(self._sids_of_user.get(payload[len(USER_PREFIX) :], ())):
                    self._drop(session_id)
            else:
                self._clear()

    def trust(self) -> None:
        """The listener is LISTENing: start from empty, then serve from the cache."""
        with self._lock:
            self._clear()
            self._generation += 1
            self._trusted = True

    def distrust(self) -> None:
        """The listener lost its connection: notifications may be missed from now on."""
        with self._lock:
            self._trusted = False
            self._clear()
            self._generation += 1

    def _drop(self, session_id: str) -> None:
        hit = self._entries.pop(session_id, None)
        if hit is not None:
            sids = self._sids_of_user.get(hit[0].id)
            if sids is not None:
                sids.discard(session_id)
                if not sids:
                    del self._sids_of_user[hit[0].id]

    def _clear(self) -> None:
        self._entries.clear()
        self._sids_of_user.clear()
