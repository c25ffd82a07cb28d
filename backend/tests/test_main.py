"""The app shell: CORS for exactly the frontend origin, one error body for every 4xx/5xx."""

import logging
import os

import pytest
from fastapi.testclient import TestClient

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
