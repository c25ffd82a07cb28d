"""Browser defences on every answer (app/http/security_headers.py), over HTTP to `python -m app`."""

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import auth_headers
from tests.db import Account
from tests.live_server import running_backend

EXPECTED = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}
# (method, path, headers, expected status): success, client errors, CORS, the schema, health.
ANSWERS = [
    ("GET", "/health/live", {}, 200),
    ("GET", "/openapi.json", {}, 200),
    ("GET", "/nope", {}, 404),
    ("PUT", "/health/live", {}, 405),
    ("GET", "/api/me", {}, 401),
    ("GET", "/api/tasks", {"Authorization": "Bearer not.a.token"}, 401),
    (
        "OPTIONS",
        "/api/tasks",
        {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        400,
    ),
    ("GET", "/docs", {}, 404),  # no Swagger UI page pulling scripts from a CDN
]


def assert_defended(response: httpx.Response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.request.url)
    assert len(response.headers.get_list("content-security-policy")) == 1


@pytest.fixture(scope="module")
def backend() -> Iterator[httpx.Client]:
    with running_backend() as port, httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        yield client


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"), ANSWERS, ids=[f"{a[0]} {a[1]}" for a in ANSWERS]
)
def test_every_answer_carries_the_browser_defences(
    backend: httpx.Client, method: str, path: str, headers: dict[str, str], status: int
) -> None:
    response = backend.request(method, path, headers=headers)
    assert response.status_code == status, response.text
    assert_defended(response)


def test_an_authenticated_answer_is_never_stored(client: TestClient, account: Account) -> None:
    response = client.get("/api/me", headers=auth_headers(account))
    assert response.status_code == 200
    assert_defended(response)  # type: ignore[arg-type]


def test_a_500_carries_them_too() -> None:
    app = create_app()

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500
    assert_defended(response)  # type: ignore[arg-type]


def test_a_route_that_sets_its_own_cache_control_keeps_it() -> None:
    from fastapi import Response

    app = create_app()

    @app.get("/cacheable")
    def cacheable(response: Response) -> dict[str, str]:
        response.headers["Cache-Control"] = "max-age=60"
        return {}

    response = TestClient(app).get("/cacheable")
    assert response.headers.get_list("cache-control") == ["max-age=60"]
    assert response.headers["x-content-type-options"] == "nosniff"
