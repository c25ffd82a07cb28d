"""Fixtures: one throwaway database per test session (tests/db.py), dropped afterwards."""

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import URL, Engine

from authbridge.session_listener import SessionListener, listener_of, listening_cache
from tests.db import Account, create_database, drop_database, engine_for, insert_account


@pytest.fixture(scope="session")
def database_url() -> Iterator[URL]:
    url = create_database()
    try:
        yield url
    finally:
        drop_database(url)


def _engine_until_done(database_url: URL) -> Iterator[Engine]:
    engine = engine_for(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def engine(database_url: URL) -> Iterator[Engine]:
    yield from _engine_until_done(database_url)


@pytest.fixture
def own_engine(database_url: URL) -> Iterator[Engine]:
    """An engine of its own (one process's, as another instance would have), disposed after."""
    yield from _engine_until_done(database_url)


@pytest.fixture
def account(engine: Engine) -> Account:
    return insert_account(engine)


def logged(caplog: pytest.LogCaptureFixture, logger: str, level: int = logging.DEBUG) -> list[str]:
    """The messages `logger` logged at `level` or above in this test."""
    return [r.getMessage() for r in caplog.records if r.name == logger and r.levelno >= level]


@pytest.fixture
def ada(engine: Engine) -> Account:
    return insert_account(engine, "Ada")


@pytest.fixture
def enrolled(engine: Engine) -> Account:
    """A user with a second factor (`"user".two_factor_enabled`)."""
    return insert_account(engine, "Grace", second_factor=True)


@pytest.fixture
def instance(own_engine: Engine) -> Iterator[tuple[Engine, SessionListener]]:
    """One process's engine with its listener connected."""
    listening_cache(own_engine)
    listener = listener_of(own_engine)
    assert listener is not None and listener.connected.wait(5), "listener not connected"
    yield own_engine, listener
