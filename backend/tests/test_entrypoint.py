"""`python -m app`: one line and exit 2 on each bad configuration; a good one serves /health."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.db import require_env
from tests.live_server import first_health, free_port, start_app

BACKEND = Path(__file__).resolve().parents[1]
GOOD_SECRET = "entrypoint-test-secret-that-is-long-enough-123"
GOOD_URL = "postgresql://u:p@127.0.0.1:1/db?sslmode=require"

BAD_CONFIGS = [
    ("secret missing", {"BETTER_AUTH_SECRET": None}, "BETTER_AUTH_SECRET: is missing"),
    ("secret empty", {"BETTER_AUTH_SECRET": ""}, "BETTER_AUTH_SECRET: is empty"),
    (
        "secret short",
        {"BETTER_AUTH_SECRET": "short-secret"},
        "BETTER_AUTH_SECRET: is shorter than 32 bytes",
    ),
    (
        "secret placeholder",
        {"BETTER_AUTH_SECRET": "change-me-run-npm-run-dev-to-generate-a-real-secret"},
        "BETTER_AUTH_SECRET: is the placeholder from .env.example",
    ),
    ("url missing", {"DATABASE_URL": None}, "DATABASE_URL: is missing"),
    (
        "url not postgres",
        {"DATABASE_URL": "mysql://u:p@h/db?sslmode=require"},
        "DATABASE_URL: is not a PostgreSQL URL",
    ),
    (
        "url without sslmode",
        {"DATABASE_URL": "postgresql://u:p@h/db"},
        "DATABASE_URL: has no sslmode",
    ),
    (
        "url sslmode disable",
        {"DATABASE_URL": "postgresql://u:p@h/db?sslmode=disable"},
        "DATABASE_URL: has sslmode=disable",
    ),
    (
        "url sslmode allow",
        {"DATABASE_URL": "postgresql://u:p@h/db?sslmode=allow"},
        "DATABASE_URL: has sslmode=allow",
    ),
    (
        "url sslmode prefer",
        {"DATABASE_URL": "postgresql://u:p@h/db?sslmode=prefer"},
        "DATABASE_URL: has sslmode=prefer",
    ),
    (
        "unpooled url without tls",
        {"DATABASE_URL_UNPOOLED": "postgresql://u:p@h/db?sslmode=disable"},
        "DATABASE_URL_UNPOOLED: has sslmode=disable",
    ),
    (
        "trusted origin for everybody",
        {"BETTER_AUTH_TRUSTED_ORIGINS": "https://*.vercel.app"},
        "BETTER_AUTH_TRUSTED_ORIGINS: 'https://*.vercel.app' lets anyone's domain in",
    ),
    ("port not a number", {"PORT": "http"}, "PORT: Input should be a valid integer"),
    (
        "ca cert missing",
        {"DATABASE_CA_CERT": "/nonexistent/ca.crt"},
        "DATABASE_CA_CERT: file 'ca.crt' does not exist",
    ),
    (
        "session check mode unknown",
        {"SESSION_CACHE": "sometimes"},
        "SESSION_CACHE: is 'sometimes'. Fix: set it to listen",
    ),
    (
        "session cache ttl too long",
        {"SESSION_CACHE": "ttl", "SESSION_CACHE_TTL_SECONDS": "600"},
        "SESSION_CACHE_TTL_SECONDS: Input should be less than or equal to 60",
    ),
]


def run_module(
    overrides: dict[str, str | None], timeout: float = 20
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BACKEND_", "DATABASE_", "BETTER_AUTH_"))
        and k not in ("HOST", "PORT", "LOG_FORMAT")
    }
    env.update(
        {
            "BETTER_AUTH_SECRET": GOOD_SECRET,
            "DATABASE_URL": GOOD_URL,
            "AUTHBRIDGE_DOTENV": os.devnull,
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-m", "app"],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("overrides", "expected"), [c[1:] for c in BAD_CONFIGS], ids=[c[0] for c in BAD_CONFIGS]
)
def test_each_bad_configuration_prints_one_line_and_exits_2(overrides: dict, expected: str) -> None:
    result = run_module(overrides)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"config error: {expected}")
    assert ". Fix: " in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert "u:p@" not in result.stderr  # the URL's credentials are never echoed


def test_a_good_configuration_starts_uvicorn_and_health_is_ok_over_tls() -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items()}
    env.update(
        {"BACKEND_PORT": str(port), "BACKEND_HOST": "127.0.0.1", "AUTHBRIDGE_DOTENV": os.devnull}
    )
    require_env("DATABASE_URL")
    process = start_app(env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        response = first_health(process, port, 20, timeout=5)
        assert response.status_code == 200, response.text
        assert response.json()["tls"]["ok"] is True
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_in_production_mode_it_serves_on_host_and_port_and_logs_json_lines() -> None:
    """What deploy/services.json starts: PORT and HOST as a platform sets them, two workers,
    LOG_FORMAT=json; every line on stderr is JSON, and the request's id is on its access line."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKEND_")}
    env.update(
        {
            "PORT": str(port),
            "HOST": "127.0.0.1",
            "BACKEND_WORKERS": "2",
            "LOG_FORMAT": "json",
            "AUTHBRIDGE_DOTENV": os.devnull,
        }
    )
    require_env("DATABASE_URL")
    process = start_app(env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # two workers on a busy 2-core machine
        response = first_health(process, port, 60, headers={"X-Request-Id": "ep-1"}, timeout=10)
        assert response.status_code == 200, response.text
        assert response.headers["x-request-id"] == "ep-1"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert lines, "nothing logged"
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    access = [line for line in lines if line["logger"] == "authbridge.access"]
    # (A probe that timed out while the machine was busy may have been served too: same id.)
    assert ("/health", 200, "ep-1") in [(a["path"], a["status"], a["request_id"]) for a in access]
    assert any(f":{port}" in str(line["message"]) for line in lines)  # uvicorn's own, as JSON


def test_migrations_run_on_the_unpooled_url() -> None:
    """The release step connects with DATABASE_URL_UNPOOLED (here the only reachable one)."""
    env = {k: v for k, v in os.environ.items()}
    env.update(
        {
            "DATABASE_URL_UNPOOLED": require_env("DATABASE_URL"),
            "DATABASE_URL": GOOD_URL,  # port 1: nothing listens
            "AUTHBRIDGE_DOTENV": os.devnull,
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "current"],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "(head)" in result.stdout
