"""The app shell: CORS for exactly the frontend origin, one error body for every 4xx/5xx."""

import logging
import os

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.errors import DATABASE_RETRY_AFTER_SECONDS
from app.main import create_app
from tests.conftest import logged

FRONTEND = os.environ.get("BETTER_AUTH_URL", "http://localhost:3000").rstrip("/")


def preflight(client: TestClient, origin: str):  # type: ignore[no-untyped-def]
    return client.options(
        "/api/tasks",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )


def test_cors_allows_the_frontend_origin(offline_client: TestClient) -> None:
    response = preflight(offline_client, FRONTEND)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == FRONTEND


def test_cors_refuses_any_other_origin(offline_client: TestClient) -> None:
    for origin in ("https://evil.example", FRONTEND + ".evil.example", "null"):
        response = preflight(offline_client, origin)
        assert "access-control-allow-origin" not in response.headers, origin


def test_an_unknown_route_answers_the_error_body(offline_client: TestClient) -> None:
    response = offline_client.get("/nope")
    assert response.status_code == 404
    assert response.json() == {"code": "NOT_FOUND", "message": "Not found"}


def test_a_wrong_method_answers_the_error_body(offline_client: TestClient) -> None:
    response = offline_client.put("/health/live")
    assert response.status_code == 405
    assert response.json()["code"] == "METHOD_NOT_ALLOWED"


def test_an_unexpected_error_is_a_500_without_any_detail(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app()

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("password=hunter2 at db.internal:5432")

    with caplog.at_level(logging.ERROR, logger="authbridge"):
        response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500
    assert response.json() == {"code": "INTERNAL_ERROR", "message": "Internal server error"}
    assert "hunter2" not in response.text and "Traceback" not in response.text
    # The detail is for the operator: logged with its traceback, server side only.
    assert logged(caplog, "authbridge.errors") == ["unhandled error"]
    (record,) = [r for r in caplog.records if r.name == "authbridge.errors"]
    assert record.exc_info is not None and isinstance(record.exc_info[1], RuntimeError)


def test_a_5xx_http_exception_answers_internal_error_without_its_detail() -> None:
    app = create_app()

    @app.get("/upstream")
    def upstream() -> None:
        raise HTTPException(status_code=502, detail="upstream db.internal:5432 refused")

    response = TestClient(app, raise_server_exceptions=False).get("/upstream")
    assert response.status_code == 502
    assert response.json() == {"code": "INTERNAL_ERROR", "message": "Internal server error"}
    assert "db.internal" not in response.text


def running(engine: Engine, *statements: str) -> TestClient:
    """The app shell with one route that runs `statements` on one connection of the real engine."""
    app = create_app()

    @app.get("/run")
    def run() -> None:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))

    return TestClient(app, raise_server_exceptions=False)


def test_a_failing_statement_is_a_500_without_its_sql(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="authbridge"):
        response = running(engine, "SELECT 1 / 0 AS secret_column").get("/run")
    assert response.status_code == 500
    assert response.json() == {"code": "INTERNAL_ERROR", "message": "Internal server error"}
    assert "secret_column" not in response.text and "division" not in response.text
    assert logged(caplog, "authbridge.errors") == ["unhandled error"]


def test_a_connection_the_server_ends_mid_statement_is_a_503_with_retry_after(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    # PostgreSQL ends the session with a transaction timeout: an InternalError (not an
    # OperationalError) on a connection SQLAlchemy marks invalidated, i.e. the database went away.
    client = running(engine, "SET transaction_timeout = '100ms'", "SELECT pg_sleep(10)")
    with caplog.at_level(logging.WARNING, logger="authbridge"):
        response = client.get("/run")
    assert response.status_code == 503
    assert response.json()["code"] == "DATABASE_UNAVAILABLE"
    assert response.headers["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert logged(caplog, "authbridge.errors") == ["database unavailable: InternalError"]
