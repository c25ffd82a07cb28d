"""GET /health against the real TLS PostgreSQL, a closed port, a TLS-off server and an outage."""

import logging
import os
import time
from collections.abc import Iterator

import psycopg
import pytest
from authbridge.session_check import LISTENER_PROBE_SECONDS
from fastapi.testclient import TestClient
from sqlalchemy import Engine, make_url

from app.db.engine import CONNECT_ATTEMPTS, build_engine, connect_args
from app.state import state_dependency
from tests.conftest import client_for, logged, reload_settings
from tests.db import admin_connect, ca_cert, libpq_url, require_env
from tests.tcp_proxy import TcpProxy

HEALTH_DEADLINE_SECONDS = 5.0
PROBE_FAILED = "health probe failed: OperationalError"  # the class name only, never the message


def notls_url(**query: str) -> str:
    url = make_url(require_env("AUTHBRIDGE_NOTLS_DATABASE_URL"))
    url = url.set(drivername="postgresql+psycopg").update_query_dict(query)
    return url.render_as_string(hide_password=False)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def client_on() -> Iterator:
    engines: list[Engine] = []

    def make(url: str, ca: object = "default", **overrides: object) -> TestClient:
        engine = build_engine(url, ca_cert() if ca == "default" else ca, **overrides)
        engines.append(engine)
        return client_for(engine)

    yield make
    for engine in engines:
        engine.dispose()


def timed_health(client: TestClient) -> tuple[int, dict, float]:
    started = time.monotonic()
    response = client.get("/health")
    return response.status_code, response.json(), time.monotonic() - started


@pytest.fixture
def policy(monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """Sets REQUIRE_EMAIL_VERIFICATION for the settings the app reads (the default, unset, is
    tests/core/test_config.py's: a developer's root .env could hold a value)."""

    def set_to(value: str) -> None:
        monkeypatch.setenv("REQUIRE_EMAIL_VERIFICATION", value)
        reload_settings()

    yield set_to
    monkeypatch.undo()
    reload_settings()


def test_health_is_ok_over_tls_with_the_protocol_and_cipher(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True and body["database"]["error"] is None
    assert body["database"]["latency_ms"] >= 0
    assert body["tls"]["ok"] is True
    assert body["tls"]["version"].startswith("TLSv1.")
    assert body["tls"]["cipher"]


@pytest.mark.parametrize(("value", "shown"), [("false", "optional"), ("true", "required")])
def test_health_says_which_email_verification_policy_it_runs_with(
    client: TestClient, policy, value: str, shown: str
) -> None:  # type: ignore[no-untyped-def]
    policy(value)
    response = client.get("/health")
    assert (response.status_code, response.json()["email_verification"]) == (200, shown)


def test_health_proves_that_a_notify_reaches_this_processs_listener(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200, response.text
    check = response.json()["session_check"]
    assert (check["mode"], check["listener"]) == ("listen", "heard"), check
    assert 0 <= check["latency_ms"] < LISTENER_PROBE_SECONDS * 1000


@pytest.mark.parametrize("mode", ["ttl", "off", "false"])
def test_health_says_not_used_in_the_modes_without_a_listener(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.setenv("SESSION_CACHE", mode)
    reload_settings()
    try:
        response = client.get("/health")
    finally:
        monkeypatch.undo()
        reload_settings()
    assert response.status_code == 200, response.text
    assert response.json()["session_check"] == {
        "mode": "off" if mode == "false" else mode,
        "listener": "not-used",
        "latency_ms": None,
    }


def test_a_listener_that_cannot_connect_is_not_heard_and_health_stays_200(
    client_on,
) -> None:  # type: ignore[no-untyped-def]
    """The pool works, the listener's direct URL (DATABASE_URL_UNPOOLED) does not: requests are
    still answered correctly (from the database), so the instance stays in; doctor says it."""
    direct = make_url(require_env("DATABASE_URL")).set(
        drivername="postgresql+psycopg", host="127.0.0.1", port=free_port()
    )
    url = make_url(require_env("DATABASE_URL")).set(drivername="postgresql+psycopg")
    client = client_on(
        url.render_as_string(hide_password=False),
        direct_url=direct.render_as_string(hide_password=False),
    )
    status, body, elapsed = timed_health(client)
    assert status == 200 and body["status"] == "ok", body
    assert body["session_check"] == {"mode": "listen", "listener": "not-heard", "latency_ms": None}
    assert elapsed < LISTENER_PROBE_SECONDS + 1.0


def test_a_pooled_connection_that_died_while_idle_is_not_a_503(
    client_on, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    """pg_terminate_backend of the pool's idle connection (as a database restart does to every
    one): the next /health runs its probe once more on a fresh connection, as reads do."""
    url = make_url(require_env("DATABASE_URL")).set(drivername="postgresql+psycopg")
    client = client_on(url.render_as_string(hide_password=False), pool_size=1, max_overflow=0)
    assert client.get("/health").status_code == 200
    engine = client.app.dependency_overrides[state_dependency]().engine  # type: ignore[attr-defined]
    with engine.connect() as conn:  # the pool's one connection, idle again after this
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    with admin_connect(require_env("DATABASE_URL")) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with caplog.at_level(logging.WARNING, logger="authbridge"):
        response = client.get("/health")
    assert response.status_code == 200, response.text
    assert response.json()["database"]["ok"] is True
    assert logged(caplog, "authbridge.health") == [
        "health probe lost its connection (AdminShutdown): retrying once"
    ]


def test_liveness_answers_without_touching_the_database(client_on) -> None:  # type: ignore[no-untyped-def]
    client = client_on(f"postgresql+psycopg://x:y@127.0.0.1:{free_port()}/db?sslmode=require")
    response = client.get("/health/live")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_health_is_503_within_5_seconds_when_the_database_port_is_closed(
    client_on, policy, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    client = client_on(f"postgresql+psycopg://x:y@127.0.0.1:{free_port()}/db?sslmode=require")
    policy("true")
    with caplog.at_level(logging.WARNING, logger="authbridge"):
        status, body, elapsed = timed_health(client)
    assert status == 503 and elapsed < HEALTH_DEADLINE_SECONDS
    assert body["status"] == "unavailable"
    assert body["email_verification"] == "required"  # the 503 body says it too
    assert body["database"] == {
        "ok": False,
        "latency_ms": None,
        "error": "connection or query failed",
    }
    assert body["tls"]["ok"] is False
    assert body["session_check"] == {"mode": "listen", "listener": "not-heard", "latency_ms": None}
    assert logged(caplog, "authbridge.health") == [PROBE_FAILED]
    retries = logged(caplog, "authbridge.db")  # a refused connection is retried, then reported
    assert len(retries) == CONNECT_ATTEMPTS - 1 and all("retrying" in m for m in retries)


def test_health_is_503_when_the_server_runs_without_tls_and_the_client_uses_sslmode_disable(
    client_on,
) -> None:  # type: ignore[no-untyped-def]
    # Built directly, with sslmode forced back to disable: the settings validator would (rightly)
    # refuse this URL, and build_engine upgrades any sslmode to verify-full.
    plaintext = {**connect_args(None, None), "sslmode": "disable"}
    client = client_on(notls_url(), ca=None, connect_args=plaintext)
    status, body, _ = timed_health(client)
    assert status == 503
    assert body["database"]["ok"] is True  # the query works ...
    assert body["tls"] == {"ok": False, "version": None, "cipher": None}  # ... but in clear text
    assert body["status"] == "unavailable"


def test_sslmode_require_against_a_server_without_tls_fails_cleanly(
    client_on, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    client = client_on(notls_url(sslmode="require"), ca=None)
    with caplog.at_level(logging.WARNING, logger="authbridge"):
        status, body, elapsed = timed_health(client)
    assert logged(caplog, "authbridge.health") == [PROBE_FAILED]
    assert logged(caplog, "authbridge.db") == []  # a TLS refusal is not a blip: never retried
    assert status == 503 and elapsed < HEALTH_DEADLINE_SECONDS
    assert body["database"]["ok"] is False
    with pytest.raises(psycopg.OperationalError, match="SSL"):
        psycopg.connect(libpq_url(notls_url(sslmode="require")), connect_timeout=3).close()


def test_channel_binding_from_the_url_reaches_libpq() -> None:
    # libpq refuses channel_binding=require without TLS: proof that the URL's parameter is used.
    with pytest.raises(psycopg.OperationalError, match="channel binding"):
        psycopg.connect(libpq_url(notls_url(channel_binding="require")), connect_timeout=3).close()


def test_the_neon_shaped_url_with_channel_binding_connects(base_database_url: str) -> None:
    assert "channel_binding=require" in base_database_url and "sslmode=require" in base_database_url
    engine = build_engine(base_database_url, ca_cert())
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw.pgconn.ssl_in_use
            assert "channel_binding=require" in raw.info.dsn  # libpq got it from the URL
            assert conn.exec_driver_sql("SELECT 1").scalar_one() == 1
    finally:
        engine.dispose()


def test_health_turns_503_during_an_outage_and_recovers_without_restart(
    client_on, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    url = make_url(require_env("DATABASE_URL"))
    proxy = TcpProxy(url.host or "localhost", url.port or 5432)
    try:
        through_proxy = url.set(drivername="postgresql+psycopg", host="127.0.0.1", port=proxy.port)
        client = client_on(through_proxy.render_as_string(hide_password=False))
        assert client.get("/health").status_code == 200

        proxy.cut()
        with caplog.at_level(logging.WARNING, logger="authbridge"):
            status, body, elapsed = timed_health(client)
        assert status == 503 and elapsed < HEALTH_DEADLINE_SECONDS, (body, elapsed)
        assert logged(caplog, "authbridge.health") == [PROBE_FAILED]

        proxy.restore()
        deadline = time.monotonic() + 10
        while (status := client.get("/health").status_code) != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert status == 200
    finally:
        proxy.close()


def test_the_database_settings_in_use_come_from_the_orchestrator() -> None:
    # Guards the suite itself: an unencrypted DATABASE_URL would make the TLS tests meaningless.
    assert make_url(os.environ["DATABASE_URL"]).query["sslmode"] in (
        "require",
        "verify-ca",
        "verify-full",
    )
