"""Pooled connections without pre-ping: dead ones are replaced without a round trip when the
server closed them, reads are retried once, writes are never replayed (app/db/database.py)."""

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError

from app.db.database import Database
from app.db.engine import build_engine
from app.main import app
from tests.conftest import auth_headers, client_for, logged
from tests.db import admin_connect, ca_cert, insert_account
from tests.wire_trace import WireTrace


@pytest.fixture
def own(engine: Engine) -> Iterator[Engine]:
    """An engine of its own: a pool this test may break."""
    built = build_engine(engine.url.render_as_string(hide_password=False), ca_cert())
    try:
        yield built
    finally:
        built.dispose()


def pooled_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.connection.driver_connection.info.backend_pid  # type: ignore[union-attr]


def terminate(engine: Engine, pid: int) -> None:
    """pg_terminate_backend, then wait until the server process is gone."""
    with admin_connect(engine.url.render_as_string(hide_password=False)) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
        deadline = time.monotonic() + 5
        while conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
            assert time.monotonic() < deadline, f"backend {pid} still there"
            time.sleep(0.01)


def test_there_is_no_pre_ping_and_the_pool_is_last_in_first_out(own: Engine) -> None:
    assert own.pool._pre_ping is False  # type: ignore[attr-defined]
    first = pooled_pid(own)
    assert pooled_pid(own) == first  # the most recently returned connection comes back


def test_a_connection_the_server_closed_is_replaced_at_checkout_before_anything_is_sent(
    own: Engine,
) -> None:
    dead = pooled_pid(own)
    terminate(own, dead)
    trace = WireTrace(own)
    try:
        mark = trace.mark()
        rows = Database(own).read("SELECT pg_backend_pid() AS pid", {})
        exchange = trace.since(mark)
    finally:
        trace.close()
    assert rows[0].pid != dead
    assert exchange.round_trips == 1  # the query itself: no ping, no retry


@pytest.fixture
def kill_after_checkout(own: Engine) -> Iterator[list[int]]:
    """Arms a checkout hook that terminates the connection's server process AFTER the pool's own
    check passed: the statement then meets a dead connection (as if it died in between)."""
    armed: list[int] = []

    def kill(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if armed:
            armed.pop()
            terminate(own, dbapi_connection.info.backend_pid)

    event.listen(own, "checkout", kill)
    yield armed
    event.remove(own, "checkout", kill)


def test_a_read_whose_connection_dies_is_retried_once_on_a_fresh_one(
    own: Engine, kill_after_checkout: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    database = Database(own)
    pooled_pid(own)  # one idle connection in the pool
    kill_after_checkout.append(1)
    assert database.read("SELECT 41 + 1 AS answer", {})[0].answer == 42
    assert any("retrying once" in m for m in logged(caplog, "authbridge.db"))


def test_a_write_whose_connection_dies_is_not_replayed(
    own: Engine, kill_after_checkout: list[int]
) -> None:
    database = Database(own)
    account = insert_account(own)
    insert = "INSERT INTO task (id, user_id, title) VALUES (gen_random_uuid(), %(u)s, 'once')"
    pooled_pid(own)
    kill_after_checkout.append(1)
    with pytest.raises(DBAPIError) as failed:
        database.write_count(insert, {"u": account.user_id})
    assert failed.value.connection_invalidated
    with own.connect() as conn:
        stored = conn.execute(
            text("SELECT count(*) FROM task WHERE user_id = :u"), {"u": account.user_id}
        ).scalar_one()
    assert stored == 0  # it died before it ran, and nobody ran it a second time
    assert database.write_count(insert, {"u": account.user_id}) == 1  # the pool recovered


def test_a_create_after_the_server_closed_the_idle_connection_answers_201_and_stores_once(
    own: Engine,
) -> None:
    account = insert_account(own)
    headers = auth_headers(account)
    try:
        with client_for(own) as client:
            assert client.get("/api/me", headers=headers).status_code == 200
            terminate(own, pooled_pid(own))
            created = client.post("/api/tasks", json={"title": "after restart"}, headers=headers)
            listed = client.get("/api/tasks", headers=headers)
    finally:
        app.dependency_overrides.clear()
    assert created.status_code == 201, created.text
    assert listed.json()["total"] == 1
