"""Fixtures: one throwaway database per test session (tests/db.py), dropped afterwards."""

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import URL, Engine

from tests.db import Account, create_database, drop_database, engine_for, insert_account


@pytest.fixture(scope="session")
def database_url() -> Iterator[URL]:
    url = create_database()
    try:
        yield url
    finally:
        drop_database(url)


@pytest.fixture(scope="session")
def engine(database_url: URL) -> Iterator[Engine]:
    engine = engine_for(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def own_engine(database_url: URL) -> Iterator[Engine]:
    """An engine of its own (one process's, as another instance would have), disposed after."""
    engine = engine_for(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def account(engine: Engine) -> Account:
    return insert_account(engine)


def logged(caplog: pytest.LogCaptureFixture, logger: str, level: int = logging.DEBUG) -> list[str]:
    """The messages `logger` logged at `level` or above in this test."""
    return [r.getMessage() for r in caplog.records if r.name == logger and r.levelno >= level]
