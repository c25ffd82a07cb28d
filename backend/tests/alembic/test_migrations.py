"""The migration creates exactly the schema of the models, and downgrades to nothing."""

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from app import models  # noqa: F401  registers the tables
from app.core.db import build_engine
from tests.db import ca_cert, create_database, drop_database, insert_account, run_alembic

TABLES = {
    "user",
    "session",
    "account",
    "verification",
    "task",
    "auth_throttle",
    "email_change",
    "auth_event",
}


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


def test_emails_are_stored_in_lower_case_and_unique(engine: Engine) -> None:
    insert_account(engine, email="case@example.test")
    with pytest.raises(IntegrityError, match="user_email_key"):
        insert_account(engine, email="case@example.test")
    # A differently cased copy cannot slip past the unique index: it is not lower case.
    with pytest.raises(IntegrityError, match="user_email_lowercase"):
        insert_account(engine, email="Case@Example.test")


def test_the_indexes_the_queries_rely_on_exist(engine: Engine) -> None:
    indexes = {
        table: {i["name"]: i["column_names"] for i in inspect(engine).get_indexes(table)}
        for table in ("user", "session", "account", "verification", "task")
    }
    # The email's one index is its unique constraint's; no expression index is left over.
    assert indexes["user"] == {"user_email_key": ["email"]}
    assert [
        (c["name"], c["column_names"]) for c in inspect(engine).get_unique_constraints("user")
    ] == [("user_email_key", ["email"])]
    assert indexes["session"]["ix_session_user_id"] == ["user_id"]
    assert indexes["account"]["ix_account_user_id"] == ["user_id"]
    assert indexes["verification"]["ix_verification_identifier"] == ["identifier"]
    assert indexes["verification"]["ix_verification_expires_at"] == ["expires_at"]
    assert indexes["task"]["task_user_id_created_at_id_idx"] == ["user_id", "created_at", "id"]


def test_every_owner_foreign_key_cascades_on_delete(engine: Engine) -> None:
    for table in ("session", "account", "task"):
        (fk,) = inspect(engine).get_foreign_keys(table)
        assert (fk["referred_table"], fk["options"].get("ondelete")) == ("user", "CASCADE")


def emails(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text('SELECT email FROM "user" ORDER BY email')).scalars())


def test_0004_lower_cases_existing_emails_and_its_downgrade_restores_the_old_index(
    fresh_engine: Engine,
) -> None:
    run_alembic(fresh_engine, "upgrade", "0003")
    insert_account(fresh_engine, email="Mixed@Example.TEST")
    insert_account(fresh_engine, email="plain@example.test")

    run_alembic(fresh_engine, "upgrade", "0004")
    assert emails(fresh_engine) == ["mixed@example.test", "plain@example.test"]

    run_alembic(fresh_engine, "downgrade", "0003")
    assert {i["name"] for i in inspect(fresh_engine).get_indexes("user")} == {
        "user_email_lower_key"
    }
    assert inspect(fresh_engine).get_unique_constraints("user") == []
    assert inspect(fresh_engine).get_check_constraints("user") == []
    with pytest.raises(IntegrityError, match="user_email_lower_key"):
        insert_account(fresh_engine, email="PLAIN@example.test")
    run_alembic(fresh_engine, "upgrade", "head")
    assert emails(fresh_engine) == ["mixed@example.test", "plain@example.test"]


def test_0004_stops_with_a_clear_error_on_emails_that_differ_only_in_case(
    fresh_engine: Engine,
) -> None:
    run_alembic(fresh_engine, "upgrade", "0003")
    # Only possible where the old unique index was dropped by hand.
    with fresh_engine.begin() as conn:
        conn.execute(text("DROP INDEX user_email_lower_key"))
    insert_account(fresh_engine, email="Twin@Example.test")
    insert_account(fresh_engine, email="twin@example.test")

    with pytest.raises(RuntimeError, match=r"0004 stops: .* twin@example\.test \(2 users\)"):
        run_alembic(fresh_engine, "upgrade", "0004")
    # Nothing changed: the upgrade ran in one transaction.
    assert emails(fresh_engine) == ["Twin@Example.test", "twin@example.test"]
    with fresh_engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0003"


def notify_catalog(engine: Engine) -> dict[str, str]:
    """The NOTIFY functions and triggers as PostgreSQL stores them (its own normalised text)."""
    with engine.connect() as conn:
        functions = conn.execute(
            text(
                "SELECT proname, pg_get_functiondef(oid) FROM pg_proc "
                "WHERE proname LIKE 'authbridge_notify_%'"
            )
        ).all()
        triggers = conn.execute(
            text(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE NOT tgisinternal AND tgname LIKE '%\\_notify'"
            )
        ).all()
    return {name: definition for name, definition in [*functions, *triggers]}


def test_the_packages_notify_statements_are_migration_0003s(
    engine: Engine, fresh_engine: Engine
) -> None:
    """packages/python ships the triggers its listener needs (authbridge.schema), for apps that
    migrate them themselves: installed by hand after 0002, they are exactly what 0003 installs."""
    from authbridge.schema import DROP_NOTIFY_STATEMENTS, NOTIFY_STATEMENTS

    run_alembic(fresh_engine, "upgrade", "0002")
    assert notify_catalog(fresh_engine) == {}
    with fresh_engine.begin() as conn:
        for statement in NOTIFY_STATEMENTS:
            conn.exec_driver_sql(statement)
    installed = notify_catalog(fresh_engine)
    assert len(installed) == 9  # three functions, six triggers
    assert installed == notify_catalog(engine)  # the suite's database, migrated to head
    with fresh_engine.begin() as conn:
        for statement in DROP_NOTIFY_STATEMENTS:
            conn.exec_driver_sql(statement)
    assert notify_catalog(fresh_engine) == {}
