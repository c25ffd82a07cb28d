"""Logs and the request id (app/http/logs.py): the proxy's id is kept, a missing or bad one is
replaced, it goes back on every answer and onto every log line; JSON lines in JSON mode; CORS for
the trusted origins of BETTER_AUTH_TRUSTED_ORIGINS."""

import io
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.http.logs import (
    JsonFormatter,
    RequestIdFilter,
    request_id_from,
    request_id_var,
    uvicorn_log_config,
)
from app.http.server import uvicorn_options
from app.main import create_app


@pytest.fixture
def app_with(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """create_app() under changed environment variables (restored after)."""

    def make(**env: str) -> FastAPI:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return create_app()

    yield make


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the "authbridge" loggers write, formatted as in JSON mode."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("authbridge")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_plausible_request_id_is_kept_and_anything_else_replaced() -> None:
    assert request_id_from(b"3f2c9a1e-7b1d-4c55-9c8a-1b2c3d4e5f60") == (
        "3f2c9a1e-7b1d-4c55-9c8a-1b2c3d4e5f60"
    )
    fresh = {request_id_from(None), request_id_from(b""), request_id_from(b"a b\n{}")}
    fresh.add(request_id_from(b"x" * 129))
    assert len(fresh) == 4 and all(len(rid) == 32 for rid in fresh)


def test_the_request_id_goes_back_on_the_answer(offline_client: TestClient) -> None:
    sent = offline_client.get("/health/live", headers={"X-Request-Id": "req-42"})
    assert sent.headers["x-request-id"] == "req-42"
    made = offline_client.get("/health/live").headers["x-request-id"]
    assert len(made) == 32 and made != offline_client.get("/health/live").headers["x-request-id"]
    # Refusals and errors carry it too (the layer is outside the error handling).
    assert offline_client.get("/api/me", headers={"X-Request-Id": "r1"}).headers[
        "x-request-id"
    ] == ("r1")


def test_json_mode_writes_one_access_line_per_request_with_its_id(
    app_with, json_lines: io.StringIO
) -> None:
    app = app_with(LOG_FORMAT="json")
    with TestClient(app, raise_server_exceptions=False) as client:  # the lifespan makes its state
        client.get(
            "/api/me", headers={"X-Request-Id": "trace-me-1", "Authorization": "Bearer x.y.z"}
        )
        client.get("/health/live")
    access = [line for line in lines(json_lines) if line["logger"] == "authbridge.access"]
    assert [(a["method"], a["path"], a["status"]) for a in access] == [
        ("GET", "/api/me", 401),
        ("GET", "/health/live", 200),
    ]
    assert access[0]["request_id"] == "trace-me-1"
    assert isinstance(access[1]["request_id"], str) and len(access[1]["request_id"]) == 32
    assert all(isinstance(a["duration_ms"], float) and a["level"] == "info" for a in access)
    # The refusal's own log line carries the same id: one request, followed through its lines.
    refusal = [line for line in lines(json_lines) if line["logger"] == "authbridge.auth"]
    assert refusal and all(line["request_id"] == "trace-me-1" for line in refusal)


def test_text_mode_writes_no_access_line(app_with, json_lines: io.StringIO) -> None:
    TestClient(app_with(LOG_FORMAT="text")).get("/health/live")
    assert not [line for line in lines(json_lines) if line["logger"] == "authbridge.access"]


def test_a_json_line_has_time_level_logger_message_and_extra_fields() -> None:
    record = logging.LogRecord("authbridge.x", logging.WARNING, __file__, 1, "n=%d", (3,), None)
    record.status = 503
    token = request_id_var.set("rid-7")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "warning" and line["logger"] == "authbridge.x"
    assert (line["message"], line["status"], line["request_id"]) == ("n=3", 503, "rid-7")
    assert line["time"].endswith("+00:00")


def test_uvicorn_logs_in_json_too_and_its_access_log_is_off_in_json_mode() -> None:
    assert uvicorn_log_config("text") is None
    assert "log_config" not in uvicorn_options("127.0.0.1", 8000, 1)
    options = uvicorn_options("0.0.0.0", 8000, 2, "json")  # noqa: S104
    assert options["access_log"] is False
    config = options["log_config"]
    assert config["loggers"]["uvicorn"]["handlers"] == ["json"]
    assert config["formatters"]["json"]["()"] is JsonFormatter


def test_cors_allows_the_trusted_origins_and_nothing_like_them(app_with) -> None:
    app = app_with(
        BETTER_AUTH_URL="https://app.example.com",
        BETTER_AUTH_TRUSTED_ORIGINS="https://www.example.com,https://app-*-team.vercel.app",
    )
    client = TestClient(app)

    def allowed(origin: str) -> str | None:
        response = client.options(
            "/api/tasks",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        )
        return response.headers.get("access-control-allow-origin")

    for origin in (
        "https://app.example.com",
        "https://www.example.com",
        "https://app-git-x-team.vercel.app",
    ):
        assert allowed(origin) == origin
    for origin in ("https://evil.vercel.app", "https://app-a.b-team.vercel.app", "null"):
        assert allowed(origin) is None, origin
