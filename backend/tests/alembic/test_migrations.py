"""The migration creates exactly the schema of the models, and downgrades to nothing."""

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from app import models  # noqa: F401  registers the tables
from app.core.db import build_engine
from tests.db import ca_cert, create_database, drop_database, insert_account, run_alembic

TABLES = {"user", "session", "account", "verification", "task", "auth_throttle"}


@pytest.fixture
def fresh_engine(base_database_url: str) -> Iterator[Engine]:
    url = create_database(base_database_url)
    engine = build_engine(url, ca_cert())
    try:
        yield engine
    finally:
        engine.dispose()
        drop_database(base_database_url, url)


def user_tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_head_matches_the_models_exactly(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
    assert user_tables(engine) == TABLES


def test_downgrade_base_removes_everything_and_upgrade_head_restores_it(
    fresh_engine: Engine,
) -> None:
    run_alembic(fresh_engine, "upgrade", "head")
    assert user_tables(fresh_engine) == TABLES
    run_alembic(fresh_engine, "downgrade", "base")
    assert user_tables(fresh_engine) == set()
    run_alembic(fresh_engine, "upgrade", "head")
    assert user_tables(fresh_engine) == TABLES


def test_emails_are_unique_regardless_of_case(engine: Engine) -> None:
    insert_account(engine, email="Case@Example.test")
    with pytest.raises(IntegrityError, match="user_email_lower_key"):
        insert_account(engine, email="case@example.TEST")


def test_the_indexes_the_queries_rely_on_exist(engine: Engine) -> None:
    indexes = {
        table: {i["name"]: i["column_names"] for i in inspect(engine).get_indexes(table)}
        for table in ("session", "account", "verification", "task")
    }
    assert indexes["session"]["ix_session_user_id"] == ["user_id"]
    assert indexes["account"]["ix_account_user_id"] == ["user_id"]
    assert indexes["verification"]["ix_verification_identifier"] == ["identifier"]
    assert indexes["task"]["task_user_id_created_at_id_idx"] == ["user_id", "created_at", "id"]


def test_every_owner_foreign_key_cascades_on_delete(engine: Engine) -> None:
    for table in ("session", "account", "task"):
        (fk,) = inspect(engine).get_foreign_keys(table)
        assert (fk["referred_table"], fk["options"].get("ondelete")) == ("user", "CASCADE")
