"""The session listener on the real database: what authbridge.schema's triggers notify, how fast
the cache hears it, what happens when the listener's connection is killed, and the health probe."""

import logging
import time
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text

from authbridge.schema import CHANNEL
from authbridge.session_cache import SessionCache
from authbridge.session_check import live_session_user
from authbridge.session_listener import (
    APPLICATION_NAME,
    BACKOFF_SECONDS,
    POLL_SECONDS,
    SessionListener,
    listener_for,
    listener_of,
    stop_listener,
)
from tests.conftest import logged
from tests.db import Account, insert_account, run, terminate

HEARD_WITHIN_SECONDS = 1.0


def wait_until_heard(engine: Engine, listener: SessionListener) -> None:
    """Until the listener has handled a sentinel NOTIFY sent now: notifications arrive in commit
    order, so every one an earlier commit caused has been handled by then."""
    sentinel = f"s:sentinel-{uuid.uuid4().hex}"  # names no session: drops nothing real
    run(engine, "SELECT pg_notify(:channel, :payload)", channel=CHANNEL, payload=sentinel)
    deadline = time.monotonic() + HEARD_WITHIN_SECONDS
    while listener.cache.last_payload != sentinel:
        assert listener.connected.is_set(), "the listener disconnected while waiting"
        assert time.monotonic() < deadline, f"NOTIFY not handled within {HEARD_WITHIN_SECONDS} s"
        time.sleep(0.001)


def cache_lookup(engine: Engine, cache: SessionCache, account: Account) -> None:
    """What the auth dependency does on a miss: generation first, then the query, then put."""
    generation = cache.generation()
    user = live_session_user(engine, account.session_id, account.user_id)
    assert user is not None
    assert cache.put(account.session_id, user, generation)


def seconds_until_dropped(
    cache: SessionCache, session_id: str, change: Callable[[], None]
) -> float:
    assert cache.get(session_id) is not None
    started = time.perf_counter()
    change()
    while cache.get(session_id) is not None:
        assert time.perf_counter() - started < HEARD_WITHIN_SECONDS, "still cached after 1 s"
        time.sleep(0.0005)
    return time.perf_counter() - started


ENDING_CHANGES = {
    "sign-out (session deleted)": "DELETE FROM session WHERE id = :sid",
    "session expiry moved": (
        "UPDATE session SET expires_at = now() + interval '1 hour' WHERE id = :sid"
    ),
    "session token replaced": "UPDATE session SET token = token || '-rotated' WHERE id = :sid",
    "sign-out everywhere": "DELETE FROM session WHERE user_id = :uid",
    "account deleted": 'DELETE FROM "user" WHERE id = :uid',
    "email changed": """UPDATE "user" SET email = 'new-' || email WHERE id = :uid""",
    "email verification flipped": (
        'UPDATE "user" SET email_verified = NOT email_verified WHERE id = :uid'
    ),
    "name changed": """UPDATE "user" SET name = 'Grace' WHERE id = :uid""",
    "second factor enabled or removed": (
        'UPDATE "user" SET two_factor_enabled = NOT two_factor_enabled WHERE id = :uid'
    ),
    "sessions truncated": "TRUNCATE session",
}


@pytest.mark.parametrize("statement", ENDING_CHANGES.values(), ids=list(ENDING_CHANGES))
def test_each_change_that_matters_drops_the_cached_session_within_a_second(
    instance: tuple[Engine, SessionListener], statement: str
) -> None:
    engine, listener = instance
    account = insert_account(engine)
    cache_lookup(engine, listener.cache, account)
    params = {"sid": account.session_id, "uid": account.user_id}
    lag = seconds_until_dropped(
        listener.cache, account.session_id, lambda: run(engine, statement, **params)
    )
    assert lag < HEARD_WITHIN_SECONDS


@pytest.mark.parametrize(
    "statement",
    [
        """UPDATE "user" SET image = repeat('x', 100000) WHERE id = :uid""",
        'UPDATE "user" SET updated_at = now() WHERE id = :uid',
        "UPDATE session SET ip_address = '10.0.0.9', user_agent = 'x' WHERE id = :sid",
        "UPDATE session SET expires_at = expires_at WHERE id = :sid",  # not an actual change
    ],
    ids=["image", "user updated_at", "session ip and agent", "same expiry"],
)
def test_changes_that_cannot_end_a_session_notify_nothing(
    instance: tuple[Engine, SessionListener], statement: str
) -> None:
    engine, listener = instance
    account = insert_account(engine)
    cache_lookup(engine, listener.cache, account)
    before = listener.cache.notifications
    run(engine, statement, sid=account.session_id, uid=account.user_id)
    wait_until_heard(engine, listener)  # a sentinel sent after the change has been handled
    assert listener.cache.notifications == before + 1  # the sentinel only
    assert listener.cache.get(account.session_id) is not None


def test_the_plain_user_trigger_ignores_the_second_factor_until_it_is_replaced(
    instance: tuple[Engine, SessionListener],
) -> None:
    """user_trigger_statements moves a database between the trigger of NOTIFY_STATEMENTS and
    the one of notify_statements(column), which this suite's database has."""
    from authbridge.schema import user_trigger_statements

    engine, listener = instance
    account = insert_account(engine)
    flip = 'UPDATE "user" SET two_factor_enabled = NOT two_factor_enabled WHERE id = :uid'
    try:
        for statement in user_trigger_statements(None):
            run(engine, statement)
        cache_lookup(engine, listener.cache, account)
        before = listener.cache.notifications
        run(engine, flip, uid=account.user_id)
        wait_until_heard(engine, listener)
        assert listener.cache.notifications == before + 1  # the sentinel only
        assert listener.cache.get(account.session_id) is not None
    finally:
        for statement in user_trigger_statements("two_factor_enabled"):
            run(engine, statement)
    lag = seconds_until_dropped(
        listener.cache, account.session_id, lambda: run(engine, flip, uid=account.user_id)
    )
    assert lag < HEARD_WITHIN_SECONDS


def test_a_lookup_that_saw_the_session_before_its_revocation_never_caches_it(
    instance: tuple[Engine, SessionListener],
) -> None:
    engine, listener = instance
    account = insert_account(engine)
    generation = listener.cache.generation()  # the lookup starts...
    user = live_session_user(engine, account.session_id, account.user_id)
    assert user is not None  # ...and sees the session alive
    run(engine, "DELETE FROM session WHERE id = :sid", sid=account.session_id)
    wait_until_heard(engine, listener)  # its NOTIFY is handled before the lookup stores
    assert listener.cache.put(account.session_id, user, generation) is False
    assert listener.cache.get(account.session_id) is None


def test_a_killed_listener_turns_the_cache_off_at_once_and_comes_back_flushed_on_demand(
    instance: tuple[Engine, SessionListener], caplog: pytest.LogCaptureFixture
) -> None:
    engine, listener = instance
    cache = listener.cache
    account = insert_account(engine)
    cache_lookup(engine, cache, account)
    old_pid = listener.backend_pid
    assert old_pid is not None
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="authbridge.session_cache"):
        terminate(engine, old_pid)
        while cache.trusted:
            assert time.perf_counter() - started < HEARD_WITHIN_SECONDS, "cache still trusted"
            time.sleep(0.001)
    assert len(cache) == 0  # nothing cached survives the lost connection
    # Deaf now: a revocation in this window is missed by the listener...
    run(engine, "DELETE FROM session WHERE id = :sid", sid=account.session_id)
    # Without demand it stays disconnected, past its first backoff and several of its polls (the
    # database may sleep meanwhile): the event is only watched, never waited for to happen.
    assert not listener.connected.wait(BACKOFF_SECONDS[0] + 3 * POLL_SECONDS)
    assert cache.get(account.session_id) is None  # ...and nothing is served: a request asks
    assert listener.connected.wait(5), "the listener did not come back on demand"
    assert listener.backend_pid not in (None, old_pid)
    assert cache.get(account.session_id) is None  # flushed on reconnect
    fresh = insert_account(engine)
    cache_lookup(engine, cache, fresh)  # and trusted again
    assert cache.get(fresh.session_id) is not None
    assert logged(caplog, "authbridge.session_cache", logging.WARNING) == [
        "session cache off until the listener reconnects: OperationalError"
    ]


def test_the_listener_uses_its_own_connection_named_for_operators(
    instance: tuple[Engine, SessionListener],
) -> None:
    engine, listener = instance
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT application_name, query FROM pg_stat_activity WHERE pid = :pid"),
            {"pid": listener.backend_pid},
        ).one()
        pooled_pid = conn.connection.driver_connection.info.backend_pid  # type: ignore[union-attr]
    assert row.application_name == APPLICATION_NAME
    assert "LISTEN" in row.query
    assert pooled_pid != listener.backend_pid


def test_disposing_the_engine_stops_its_listener(own_engine: Engine) -> None:
    listener = listener_for(own_engine)
    assert listener.connected.wait(5)
    own_engine.dispose()
    assert listener_of(own_engine) is None
    assert not listener._thread.is_alive()
    assert not listener.connected.is_set()


def test_stop_listener_without_waiting_ends_the_thread_at_its_next_poll(own_engine: Engine) -> None:
    listener = listener_for(own_engine)
    assert listener.connected.wait(5)
    stop_listener(own_engine, timeout=0)
    assert listener_of(own_engine) is None
    listener._thread.join(POLL_SECONDS + 1)
    assert not listener._thread.is_alive()
    stop_listener(own_engine)  # no listener left: nothing to do
    assert listener_for(own_engine) is not listener  # the next use starts a new one
