"""The engine's connection policy on the real TLS PostgreSQL."""

from sqlalchemy import Engine

from app.core.db import STATEMENT_TIMEOUT_MS


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
