"""The round-trip budget of every endpoint, counted on the wire (libpq's protocol trace).

cold = the token's session is not in this instance's session cache (first request, or the cache
is off); warm = it is. A change that adds a round trip to any endpoint fails here.

| endpoint               | cold | warm |
|------------------------|------|------|
| GET /api/me            | 1    | 0    |
| GET /api/tasks         | 2    | 1    |  session check + the page with its total
| POST/PATCH/DELETE task | 2    | 1    |  session check + one autocommit write
| GET /api/me/export     | 2    | 1    |  session check + profile, tasks and its event in one
"""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from authbridge.session_listener import listener_of
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from app.db.engine import build_engine
from app.main import app
from tests.conftest import auth_headers, client_for
from tests.db import Account, ca_cert, insert_account
from tests.wire_trace import Exchange, WireTrace

COLD = {"GET /api/me": 1, "GET /api/tasks": 2, "POST": 2, "PATCH": 2, "DELETE": 2, "EXPORT": 2}
WARM = {"GET /api/me": 0, "GET /api/tasks": 1, "POST": 1, "PATCH": 1, "DELETE": 1, "EXPORT": 1}
WARM_UP_RUNS = 3  # a statement is prepared at its 2nd use on a connection (PREPARE_THRESHOLD)


@dataclass
class Wire:
    client: TestClient
    engine: Engine
    trace: WireTrace

    def exchange(self, request: Callable[[], Response], status: int) -> Exchange:
        mark = self.trace.mark()
        response = request()
        assert response.status_code == status, response.text
        return self.trace.since(mark)


@pytest.fixture(scope="module")
def wire(engine: Engine) -> Iterator[Wire]:
    """The app on its own engine (one warm pooled connection, traced) and its own listener."""
    own = build_engine(engine.url.render_as_string(hide_password=False), ca_cert())
    trace = WireTrace(own)
    try:
        with client_for(own) as client:
            warm_up = insert_account(own)
            assert client.get("/api/me", headers=auth_headers(warm_up)).status_code == 200
            listener = listener_of(own)
            assert listener is not None and listener.connected.wait(5), "listener not connected"
            yield Wire(client, own, trace)
    finally:
        app.dependency_overrides.clear()
        trace.close()
        own.dispose()


def requests_of(
    wire: Wire, account: Account, setup: Account | None = None
) -> dict[str, tuple[Callable[[], Response], int]]:
    """Each budgeted request for this account. PATCH and DELETE work on tasks made beforehand
    through `setup`'s session (default: the account's own, which warms its cache entry)."""
    headers = auth_headers(account)
    setup_headers = auth_headers(setup or account)
    client = wire.client
    kept, doomed = (
        client.post("/api/tasks", json={"title": t}, headers=setup_headers).json()["id"]
        for t in ("kept", "doomed")
    )
    return {
        "GET /api/me": (lambda: client.get("/api/me", headers=headers), 200),
        "GET /api/tasks": (lambda: client.get("/api/tasks", headers=headers), 200),
        "POST": (lambda: client.post("/api/tasks", json={"title": "c"}, headers=headers), 201),
        "PATCH": (
            lambda: client.patch(f"/api/tasks/{kept}", json={"completed": True}, headers=headers),
            200,
        ),
        "DELETE": (lambda: client.delete(f"/api/tasks/{doomed}", headers=headers), 204),
        "EXPORT": (lambda: client.get("/api/me/export", headers=headers), 200),
    }


def warm_up_statements(wire: Wire) -> None:
    """Every statement used enough times on the pooled connection to be prepared."""
    for _ in range(WARM_UP_RUNS):
        for request, status in requests_of(wire, insert_account(wire.engine)).values():
            wire.exchange(request, status)


def cold_exchange(wire: Wire, name: str) -> Exchange:
    """The endpoint's request as the very first request of its session: a cold cache entry."""
    owner = insert_account(wire.engine)
    fresh = insert_account(wire.engine, signed_in_again=owner)  # same user, unused session
    request, status = requests_of(wire, fresh, setup=owner)[name]
    return wire.exchange(request, status)


def test_each_endpoint_stays_within_its_cold_and_warm_budget(wire: Wire) -> None:
    warm_up_statements(wire)
    cold = {name: cold_exchange(wire, name) for name in COLD}
    warm_requests = requests_of(wire, insert_account(wire.engine))  # its setup warmed the entry
    warm = {name: wire.exchange(*call) for name, call in warm_requests.items()}
    counted_cold = {name: e.round_trips for name, e in cold.items()}
    counted_warm = {name: e.round_trips for name, e in warm.items()}
    assert counted_cold == COLD, f"cold round trips {counted_cold}, budget {COLD}"
    assert counted_warm == WARM, f"warm round trips {counted_warm}, budget {WARM}"
    for exchange in (*cold.values(), *warm.values()):
        assert exchange.transaction_commands == [], exchange.lines


def test_statements_are_prepared_once_and_then_only_bound(wire: Wire) -> None:
    warm_up_statements(wire)
    for name, (request, status) in requests_of(wire, insert_account(wire.engine)).items():
        exchange = wire.exchange(request, status)
        assert exchange.sent("Parse") == [], f"{name} parsed a statement again: {exchange.lines}"
        assert all('"_pg3_' in bind for bind in exchange.sent("Bind")), exchange.lines


def test_the_session_check_reads_only_the_columns_it_needs(wire: Wire) -> None:
    account = insert_account(wire.engine)
    exchange = wire.exchange(lambda: wire.client.get("/api/me", headers=auth_headers(account)), 200)
    (described,) = [line for line in exchange.lines if "RowDescription" in line]
    columns = described.split('"')[1::2]
    assert columns == ["id", "name", "email", "email_verified", "second_factor", "expires_at"]


def test_an_unknown_task_costs_no_more_than_a_found_one(wire: Wire) -> None:
    account = insert_account(wire.engine)
    headers = auth_headers(account)
    wire.exchange(lambda: wire.client.get("/api/me", headers=headers), 200)  # warm
    missing = uuid.uuid4()
    exchange = wire.exchange(
        lambda: wire.client.delete(f"/api/tasks/{missing}", headers=headers), 404
    )
    assert exchange.round_trips == 1
