"""The session listener on the real database: what migration 0003 notifies, how fast the cache
hears it, and what happens when the listener's connection is killed."""

import socket
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, text

from app import crud
from app.api import deps
from app.core.config import get_settings
from app.core.database import database_for
from app.core.db import build_engine
from app.core.session_cache import SessionCache
from app.core.session_listener import (
    APPLICATION_NAME,
    BACKOFF_SECONDS,
    POLL_SECONDS,
    SessionListener,
    listener_of,
    listening_cache,
)
from app.main import create_app
from tests.conftest import auth_headers
from tests.db import Account, admin_connect, ca_cert, insert_account
from tests.session_events import wait_until_heard

HEARD_WITHIN_SECONDS = 1.0


def own_engine(engine: Engine, **options: object) -> Engine:
    return build_engine(engine.url.render_as_string(hide_password=False), ca_cert(), **options)


@pytest.fixture
def instance(engine: Engine) -> Iterator[tuple[Engine, SessionListener]]:
    """One backend instance's engine with its listener connected."""
    own = own_engine(engine)
    try:
        listening_cache(own)
        listener = listener_of(own)
        assert listener is not None and listener.connected.wait(5), "listener not connected"
        yield own, listener
    finally:
        own.dispose()


def cache_lookup(engine: Engine, cache: SessionCache, account: Account) -> None:
    """What the auth dependency does on a miss: generation first, then the query, then put."""
    generation = cache.generation()
    user = crud.get_user_of_live_session(database_for(engine), account.session_id, account.user_id)
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


def run(engine: Engine, statement: str, **params: object) -> Callable[[], None]:
    def change() -> None:
        with engine.begin() as conn:
            conn.execute(text(statement), params)

    return change


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
        listener.cache, account.session_id, run(engine, statement, **params)
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
    run(engine, statement, sid=account.session_id, uid=account.user_id)()
    wait_until_heard(engine)  # a sentinel sent after the change has been handled
    assert listener.cache.notifications == before + 1  # the sentinel only
    assert listener.cache.get(account.session_id) is not None


def test_a_lookup_that_saw_the_session_before_its_revocation_never_caches_it(
    instance: tuple[Engine, SessionListener],
) -> None:
    engine, listener = instance
    account = insert_account(engine)
    generation = listener.cache.generation()  # the lookup starts...
    user = crud.get_user_of_live_session(database_for(engine), account.session_id, account.user_id)
    assert user is not None  # ...and sees the session alive
    run(engine, "DELETE FROM session WHERE id = :sid", sid=account.session_id)()
    wait_until_heard(engine)  # the revocation's NOTIFY is handled before the lookup stores
    assert listener.cache.put(account.session_id, user, generation) is False
    assert listener.cache.get(account.session_id) is None


def terminate(pid: int, engine: Engine) -> None:
    with admin_connect(engine.url.render_as_string(hide_password=False)) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_killed_listener_turns_the_cache_off_at_once_and_comes_back_flushed_on_demand(
    instance: tuple[Engine, SessionListener],
) -> None:
    engine, listener = instance
    cache = listener.cache
    account = insert_account(engine)
    cache_lookup(engine, cache, account)
    old_pid = listener.backend_pid
    assert old_pid is not None
    started = time.perf_counter()
    terminate(old_pid, engine)
    while cache.trusted:
        assert time.perf_counter() - started < HEARD_WITHIN_SECONDS, "cache still trusted"
        time.sleep(0.001)
    assert len(cache) == 0  # nothing cached survives the lost connection
    # Deaf now: a revocation in this window is missed by the listener...
    run(engine, "DELETE FROM session WHERE id = :sid", sid=account.session_id)()
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


def test_the_listener_uses_its_own_connection_named_for_operators(
    instance: tuple[Engine, SessionListener],
) -> None:
    engine, listener = instance
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT application_name, query FROM pg_stat_activity WHERE pid = :pid"),
            {"pid": listener.backend_pid},
        ).one()
        pooled_pid = conn.connection.driver_connection.info.backend_pid
    assert row.application_name == APPLICATION_NAME
    assert "LISTEN" in row.query
    assert pooled_pid != listener.backend_pid


@contextmanager
def backend_instance(
    engine: Engine, **settings_changes: object
) -> Iterator[tuple[TestClient, Engine]]:
    """A second, independent app (as another process would be) on its own engine."""
    own = own_engine(engine, pooled=bool(settings_changes.get("database_pooled")))
    app: FastAPI = create_app()
    app.dependency_overrides[deps.engine_dependency] = lambda: own
    settings = get_settings().model_copy(update=settings_changes)
    app.dependency_overrides[deps.settings_dependency] = lambda: settings
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client, own
    finally:
        own.dispose()


def refused_after(client: TestClient, headers: dict[str, str], started: float) -> float:
    while client.get("/api/me", headers=headers).status_code != 401:
        assert time.perf_counter() - started < HEARD_WITHIN_SECONDS, "still accepted after 1 s"
    return time.perf_counter() - started


def test_two_instances_both_refuse_a_revoked_token_well_within_a_second(engine: Engine) -> None:
    lags: list[float] = []
    with backend_instance(engine) as (a, engine_a), backend_instance(engine) as (b, engine_b):
        for client, own in ((a, engine_a), (b, engine_b)):  # each one's listener is up
            client.get("/api/me", headers=auth_headers(insert_account(engine)))
            listener = listener_of(own)
            assert listener is not None and listener.connected.wait(5)
        for _ in range(10):
            account = insert_account(engine)
            headers = auth_headers(account)
            for client, own in ((a, engine_a), (b, engine_b)):
                assert client.get("/api/me", headers=headers).status_code == 200
                assert listener_of(own).cache.get(account.session_id) is not None  # type: ignore[union-attr]
            run(engine, "DELETE FROM session WHERE id = :sid", sid=account.session_id)()
            started = time.perf_counter()
            lags += [refused_after(c, headers, started) for c in (a, b)]
    assert max(lags) < HEARD_WITHIN_SECONDS
    assert statistics.median(lags) < 0.1, lags


@pytest.mark.parametrize(
    "settings_changes",
    [{"session_cache": False}, {"database_pooled": True}],
    ids=["SESSION_CACHE=false", "DATABASE_POOLED=true"],
)
def test_with_the_cache_off_no_listener_runs_and_revocation_is_the_next_request(
    engine: Engine, settings_changes: dict[str, object]
) -> None:
    with backend_instance(engine, **settings_changes) as (client, own):
        account = insert_account(engine)
        headers = auth_headers(account)
        for _ in range(3):
            assert client.get("/api/me", headers=headers).status_code == 200
        run(engine, "DELETE FROM session WHERE id = :sid", sid=account.session_id)()
        assert client.get("/api/me", headers=headers).status_code == 401  # no wait at all
        assert listener_of(own) is None


def test_through_a_pooler_statements_are_never_prepared(engine: Engine) -> None:
    pooled, direct = own_engine(engine, pooled=True), own_engine(engine)
    try:
        for own, expected in ((pooled, None), (direct, 2)):
            with own.connect() as conn:
                raw = conn.connection.driver_connection
                assert isinstance(raw, psycopg.Connection)
                assert raw.prepare_threshold == expected
    finally:
        pooled.dispose()
        direct.dispose()


def test_through_a_pooler_the_listener_connects_to_the_direct_url(engine: Engine) -> None:
    """DATABASE_URL_UNPOOLED: the pooled URL (here one nothing listens on) serves queries, the
    direct one carries the LISTEN, so the cache works behind a pooler too."""
    with socket.socket() as probe:  # a port that was free a moment ago: connecting is refused
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    direct = engine.url.render_as_string(hide_password=False)
    pooled_url = engine.url.set(host="127.0.0.1", port=closed_port)
    own = build_engine(
        pooled_url.render_as_string(hide_password=False), ca_cert(), pooled=True, direct_url=direct
    )
    settings = get_settings().model_copy(
        update={"database_pooled": True, "database_url_unpooled": SecretStr(direct)}
    )
    try:
        assert deps.session_cache_of(settings, own) is not None
        listener = listener_of(own)
        assert listener is not None and listener.connected.wait(5), "no LISTEN on the direct URL"
        with engine.connect() as conn:
            name = conn.execute(
                text("SELECT application_name FROM pg_stat_activity WHERE pid = :pid"),
                {"pid": listener.backend_pid},
            ).scalar_one()
        assert name == APPLICATION_NAME
    finally:
        own.dispose()


def test_through_a_pooler_without_a_direct_url_there_is_no_cache(engine: Engine) -> None:
    own = own_engine(engine, pooled=True)
    settings = get_settings().model_copy(
        update={"database_pooled": True, "database_url_unpooled": None}
    )
    try:
        assert deps.session_cache_of(settings, own) is None
        assert listener_of(own) is None
    finally:
        own.dispose()
