"""The session cache's rules on their own (no database): trust, flush, generations, expiry."""

import time

from authbridge.session_cache import ENTRY_TTL_SECONDS, SessionCache, SessionUser


def user(user_id: str = "u1", expires_in: float = 3600.0) -> SessionUser:
    return SessionUser(user_id, "Ada", f"{user_id}@example.test", time.time() + expires_in, True)


def trusted_cache(**options: float) -> SessionCache:
    cache = SessionCache(**options)  # type: ignore[arg-type]
    cache.trust()
    return cache


def test_an_untrusted_cache_serves_nothing_stores_nothing_and_asks_for_its_listener() -> None:
    cache = SessionCache()
    assert not cache.wanted.is_set()
    assert cache.generation() is None
    assert cache.put("s1", user(), cache.generation()) is False
    assert cache.get("s1") is None
    assert cache.wanted.is_set()


def test_a_trusted_cache_serves_what_a_lookup_stored() -> None:
    cache = trusted_cache()
    stored = user()
    assert cache.put("s1", stored, cache.generation())
    assert cache.get("s1") is stored
    assert cache.get("s2") is None


def test_a_lookup_that_started_before_any_notification_stores_nothing() -> None:
    cache = trusted_cache()
    generation = cache.generation()  # taken before the query
    cache.invalidate("s:some-other-session")  # handled while the query ran
    assert cache.put("s1", user(), generation) is False
    assert cache.get("s1") is None


def test_a_lookup_that_spans_a_reconnect_stores_nothing() -> None:
    cache = trusted_cache()
    generation = cache.generation()
    cache.distrust()
    cache.trust()
    assert cache.put("s1", user(), generation) is False


def test_a_session_notification_drops_that_session_only() -> None:
    cache = trusted_cache()
    cache.put("s1", user("u1"), cache.generation())
    cache.put("s2", user("u1"), cache.generation())
    cache.invalidate("s:s1")
    assert cache.get("s1") is None and cache.get("s2") is not None
    assert (cache.notifications, cache.last_payload) == (1, "s:s1")


def test_a_user_notification_drops_every_session_of_that_user() -> None:
    cache = trusted_cache()
    for sid, uid in (("s1", "u1"), ("s2", "u1"), ("s3", "u2")):
        cache.put(sid, user(uid), cache.generation())
    cache.invalidate("u:u1")
    assert [cache.get(s) is not None for s in ("s1", "s2", "s3")] == [False, False, True]


def test_a_flush_or_an_unknown_payload_drops_everything() -> None:
    for payload in ("*", "x:anything", ""):
        cache = trusted_cache()
        cache.put("s1", user(), cache.generation())
        cache.invalidate(payload)
        assert len(cache) == 0, payload


def test_losing_the_listener_forgets_everything_and_stops_serving() -> None:
    cache = trusted_cache()
    cache.put("s1", user(), cache.generation())
    cache.distrust()
    assert not cache.trusted and len(cache) == 0
    cache.trust()
    assert cache.get("s1") is None  # reconnecting starts from empty


def test_entries_expire_after_their_time_to_live() -> None:
    cache = trusted_cache(ttl_seconds=0.05)
    cache.put("s1", user(), cache.generation())
    stored_at = time.monotonic()
    assert cache.get("s1") is not None
    while cache.get("s1") is not None:  # a bounded poll: expired by its ttl, not later
        assert time.monotonic() - stored_at < 0.05 + 0.5, "served past its time to live"
    assert time.monotonic() - stored_at >= 0.05 - 0.01  # and not sooner
    assert len(cache) == 0


def test_the_time_to_live_is_never_longer_than_the_backstop() -> None:
    assert SessionCache(ttl_seconds=3600).ttl_seconds == ENTRY_TTL_SECONDS == 60


def test_an_entry_never_outlives_its_session() -> None:
    cache = trusted_cache()
    cache.put("s1", user(expires_in=-1), cache.generation())
    assert cache.get("s1") is None


def test_the_least_recently_used_entries_go_first_when_full() -> None:
    cache = trusted_cache(max_entries=2)
    for sid in ("s1", "s2"):
        cache.put(sid, user(sid), cache.generation())
    cache.get("s1")  # s2 is now the least recently used
    cache.put("s3", user("s3"), cache.generation())
    assert [cache.get(s) is not None for s in ("s1", "s2", "s3")] == [True, False, True]
    cache.invalidate("u:s2")  # the evicted entry's user index is gone too
    assert len(cache) == 2
