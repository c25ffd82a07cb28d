"""The session check of packages/python as this app runs it (its own tests are
packages/python/tests/test_session_listener.py and test_session_check.py): the SESSION_CACHE
modes through the real app on two instances, and the listener's connection through a pooler
(DATABASE_POOLED, DATABASE_URL_UNPOOLED) with app/db/engine.py's direct_connection."""

import logging
import socket
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from authbridge import SessionCheck
from authbridge.session_check import session_cache_for
from authbridge.session_listener import APPLICATION_NAME, listener_of
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, text

from app.db.engine import build_engine, direct_connection
from app.main import create_app
from app.settings import load_settings
from app.state import AppState
from tests.conftest import auth_headers, logged, serve_state
from tests.db import ca_cert, insert_account

HEARD_WITHIN_SECONDS = 1.0


def run(engine: Engine, statement: str, **params: object) -> Callable[[], None]:
    def change() -> None:
        with engine.begin() as conn:
            conn.execute(text(statement), params)

    return change


def own_engine(engine: Engine, **options: object) -> Engine:
    return build_engine(engine.url.render_as_string(hide_password=False), ca_cert(), **options)


@contextmanager
def backend_instance(
    engine: Engine, **settings_changes: object
) -> Iterator[tuple[TestClient, Engine]]:
    """A second, independent app (as another process would be) on its own engine."""
    own = own_engine(engine, pooled=bool(settings_changes.get("database_pooled")))
    settings = load_settings().model_copy(update=settings_changes)
    app: FastAPI = create_app(settings)
    serve_state(app, AppState.build(settings, own))
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
    [{"session_cache": SessionCheck.OFF}, {"database_pooled": True}],
    ids=["SESSION_CACHE=off", "DATABASE_POOLED=true"],
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


def test_with_the_ttl_cache_no_listener_runs_and_revocation_is_felt_within_its_bound(
    engine: Engine,
) -> None:
    ttl = 0.5
    changes = {"session_cache": SessionCheck.TTL, "session_cache_ttl_seconds": ttl}
    with backend_instance(engine, **changes) as (client, own):
        account = insert_account(engine)
        headers = auth_headers(account)
        assert client.get("/api/me", headers=headers).status_code == 200
        run(engine, "DELETE FROM session WHERE id = :sid", sid=account.session_id)()
        revoked_at = time.perf_counter()
        while client.get("/api/me", headers=headers).status_code == 200:
            assert time.perf_counter() - revoked_at < ttl + 0.2, "served past the ttl bound"
        assert listener_of(own) is None


@pytest.mark.parametrize(
    ("value", "line"),
    [
        ("listen", "session check: listen (a per-instance cache that NOTIFY invalidates"),
        (
            "ttl",
            "session check: ttl (a per-instance cache without a listener; a revoked session "
            "may be served for up to 5 s)",
        ),
        ("false", "session check: off (every request reads the session from the database"),
    ],
)
def test_the_backend_says_its_session_check_mode_at_start_up(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, value: str, line: str
) -> None:
    monkeypatch.setenv("SESSION_CACHE", value)
    try:
        with caplog.at_level(logging.INFO, logger="authbridge"), TestClient(create_app()):
            pass
    finally:
        monkeypatch.undo()
    (said,) = logged(caplog, "authbridge.session_check")
    assert said.startswith(line), said


def test_listen_through_a_pooler_without_a_direct_url_says_why_it_is_off(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_POOLED", "true")
    monkeypatch.delenv("DATABASE_URL_UNPOOLED", raising=False)
    try:
        with caplog.at_level(logging.INFO, logger="authbridge"), TestClient(create_app()):
            pass
    finally:
        monkeypatch.undo()
    assert logged(caplog, "authbridge.session_check") == [
        "SESSION_CACHE=listen needs a direct connection for its LISTEN: with DATABASE_POOLED=true "
        "and no DATABASE_URL_UNPOOLED the session check is off",
        "session check: off (every request reads the session from the database; a revoked "
        "session is refused on the next request)",
    ]


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
    settings = load_settings().model_copy(
        update={"database_pooled": True, "database_url_unpooled": SecretStr(direct)}
    )
    try:
        assert session_cache_for(own, settings.bridge_config(), direct_connection) is not None
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
    settings = load_settings().model_copy(
        update={"database_pooled": True, "database_url_unpooled": None}
    )
    try:
        assert settings.session_check is SessionCheck.OFF
        assert session_cache_for(own, settings.bridge_config(), direct_connection) is None
        assert listener_of(own) is None
    finally:
        own.dispose()
