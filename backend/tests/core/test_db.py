"""The engine's connection policy on the real TLS PostgreSQL."""

from sqlalchemy import Engine

from app.db.engine import STATEMENT_TIMEOUT_MS


def test_every_pooled_connection_has_the_statement_timeout(engine: Engine) -> None:
    with engine.connect() as conn:
        assert (
            conn.exec_driver_sql("SHOW statement_timeout").scalar_one()
            == f"{STATEMENT_TIMEOUT_MS // 1000}s"
        )


def test_a_statement_slower_than_the_timeout_is_cancelled_by_the_server(engine: Engine) -> None:
    import pytest
    from sqlalchemy.exc import OperationalError

    with engine.connect() as conn:
        conn.exec_driver_sql(
            "SET statement_timeout = 50"
        )  # this connection only: shortens the test
        with pytest.raises(OperationalError, match="statement timeout"):
            conn.exec_driver_sql("SELECT pg_sleep(1)")
        conn.rollback()
        conn.exec_driver_sql(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")


def test_connections_are_encrypted_and_verified_against_the_ca(engine: Engine) -> None:
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw.pgconn.ssl_in_use
        assert "sslrootcert=" in raw.info.dsn


def _url_through(proxy_port: int, engine: Engine) -> str:
    return engine.url.set(host="127.0.0.1", port=proxy_port).render_as_string(hide_password=False)


def test_a_connection_that_fails_during_a_brief_blip_is_retried_and_succeeds(
    engine: Engine, caplog
) -> None:  # type: ignore[no-untyped-def]
    import logging

    from app.db.engine import build_engine
    from tests.db import ca_cert
    from tests.tcp_proxy import TcpProxy

    proxy = TcpProxy(engine.url.host or "localhost", engine.url.port or 5432)
    blipping = build_engine(_url_through(proxy.port, engine), ca_cert())

    class RestoreOnRetry(logging.Handler):
        """The blip ends when the first attempt has failed: the database is back during the
        backoff, whatever the machine's load (no timer racing the first attempt)."""

        def emit(self, record: logging.LogRecord) -> None:
            if "retrying" in record.getMessage():
                proxy.restore()

    db_log = logging.getLogger("authbridge.db")
    restore = RestoreOnRetry()
    db_log.addHandler(restore)
    try:
        proxy.cut()
        with caplog.at_level(logging.WARNING, logger="authbridge.db"), blipping.connect() as conn:
            assert conn.exec_driver_sql("SELECT 1").scalar_one() == 1
        # It did fail first: the success came from a retry, not from a cut that came too late.
        assert [r for r in caplog.records if "retrying" in r.getMessage()]
    finally:
        db_log.removeHandler(restore)
        blipping.dispose()
        proxy.close()


def test_connection_retries_are_bounded_in_attempts_and_time(caplog) -> None:  # type: ignore[no-untyped-def]
    import logging
    import socket
    import time

    import pytest
    from sqlalchemy.exc import OperationalError

    from app.db.engine import CONNECT_ATTEMPTS, CONNECT_RETRY_BUDGET_SECONDS, build_engine

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    dead = build_engine(f"postgresql+psycopg://x:y@127.0.0.1:{closed_port}/db?sslmode=require")
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="authbridge.db"), pytest.raises(OperationalError):
        dead.connect()
    assert time.monotonic() - started < CONNECT_RETRY_BUDGET_SECONDS + 1
    assert len([r for r in caplog.records if "retrying" in r.getMessage()]) == CONNECT_ATTEMPTS - 1


def test_refused_credentials_are_never_retried(engine: Engine, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    import pytest
    from sqlalchemy.exc import OperationalError

    from app.db.engine import build_engine
    from tests.db import ca_cert

    wrong = engine.url.set(password="definitely-wrong").render_as_string(hide_password=False)
    bad = build_engine(wrong, ca_cert())
    with caplog.at_level(logging.WARNING, logger="authbridge.db"), pytest.raises(OperationalError):
        bad.connect()
    assert not [r for r in caplog.records if "retrying" in r.getMessage()]
