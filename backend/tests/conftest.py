"""Fixtures. Database tests use a throwaway database per test session on the real TLS
PostgreSQL (DATABASE_URL, DATABASE_CA_CERT from the orchestrator or .dev/test-env.sh),
migrated with Alembic and dropped afterwards."""

import logging
import os
from collections.abc import Iterator

import pytest

if not (os.environ.get("BETTER_AUTH_SECRET") and os.environ.get("DATABASE_URL")):
    pytest.exit(
        "the backend suite needs the test environment: run `npm test` from the repo root, or "
        "`set -a && . ../.dev/test-env.sh && set +a` first",
        returncode=4,
    )
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.db.engine import build_engine
from app.db.url import normalise_database_url
from app.main import app
from app.settings import load_settings
from app.state import AppState, state_dependency
from tests import tokens
from tests.db import (
    Account,
    ca_cert,
    create_database,
    drop_database,
    insert_account,
    require_env,
    run_alembic,
)
from tests.tcp_proxy import TcpProxy


@pytest.fixture(scope="session", autouse=True)
def app_logs_reach_pytest_only() -> Iterator[None]:
    """app/main.py gives the "authbridge" logger a stderr handler for uvicorn. In tests its records
    go only to pytest's log capture (still propagated): asserted with caplog where an error is
    provoked on purpose, shown when a test fails, never printed on a green run (even with -s).
    A NullHandler keeps create_app() from adding its handler again."""
    logger = logging.getLogger("authbridge")
    own_handlers = logger.handlers[:]
    logger.handlers = [logging.NullHandler()]
    yield
    logger.handlers = own_handlers


def logged(caplog: pytest.LogCaptureFixture, logger: str, level: int = logging.DEBUG) -> list[str]:
    """The messages `logger` (e.g. "authbridge.health") logged at `level` or above in this test."""
    return [r.getMessage() for r in caplog.records if r.name == logger and r.levelno >= level]


@pytest.fixture(scope="session")
def base_database_url() -> str:
    return normalise_database_url(require_env("DATABASE_URL"))


@pytest.fixture(scope="session")
def engine(base_database_url: str) -> Iterator[Engine]:
    url = create_database(base_database_url)
    engine = build_engine(url, ca_cert())
    try:
        run_alembic(engine, "upgrade", "head")
        yield engine
    finally:
        engine.dispose()
        drop_database(base_database_url, url)


def serve_state(target: FastAPI, state: AppState) -> None:
    """Requests to `target` get `state` (app/state.py) instead of the one its lifespan made."""
    target.dependency_overrides[state_dependency] = lambda: state


def reload_settings(target: FastAPI = app) -> None:
    """After a test changed the environment: the app's requests see the settings it now gives,
    on the same engine (a real process reads them once, at start-up). Without a client yet, the
    one client_for makes next reads them."""
    current = target.dependency_overrides.get(state_dependency)
    if current is not None:
        serve_state(target, AppState.build(load_settings(), current().engine))


def client_for(engine: Engine | None) -> TestClient:
    if engine is not None:
        serve_state(app, AppState.build(load_settings(), engine))
    else:
        app.dependency_overrides.pop(state_dependency, None)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with client_for(engine) as test_client:
        yield test_client
    app.dependency_overrides.clear()


@pytest.fixture
def offline_client() -> Iterator[TestClient]:
    """The real app for requests refused before any database access."""
    with client_for(None) as test_client:
        yield test_client
    app.dependency_overrides.clear()


@pytest.fixture
def account(engine: Engine) -> Account:
    return insert_account(engine, name="Ada")


@pytest.fixture
def other_account(engine: Engine) -> Account:
    return insert_account(engine, name="Bob")


def auth_headers(account: Account, **claim_overrides: object) -> dict[str, str]:
    import time

    claims = tokens.claims_for(sub=account.user_id, sid=account.session_id, iat=int(time.time()))
    claims.update(claim_overrides)
    return {"Authorization": f"Bearer {tokens.sign(claims)}"}


@pytest.fixture
def proxied_client(engine: Engine) -> Iterator[tuple[TestClient, TcpProxy, Account]]:
    """The app on the test database through a TCP proxy the test can cut (an outage, no mocks)."""
    owner = insert_account(engine)
    proxy = TcpProxy(engine.url.host or "localhost", engine.url.port or 5432)
    url = engine.url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    proxied = build_engine(url, ca_cert())
    try:
        with client_for(proxied) as test_client:
            yield test_client, proxy, owner
    finally:
        app.dependency_overrides.clear()
        proxied.dispose()
        proxy.close()
