"""The migration tests' own database: empty, made for one test and dropped after it."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from app.db.engine import build_engine
from tests.db import ca_cert, create_database, drop_database


@pytest.fixture
def fresh_engine(base_database_url: str) -> Iterator[Engine]:
    url = create_database(base_database_url)
    engine = build_engine(url, ca_cert())
    try:
        yield engine
    finally:
        engine.dispose()
        drop_database(base_database_url, url)
