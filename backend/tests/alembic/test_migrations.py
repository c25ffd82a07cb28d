"""The migration creates exactly the schema of the models, and downgrades to nothing."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from app import frontend_tables, models  # noqa: F401  registers the tables
from tests.db import insert_account, run_alembic

TABLES = {
    "user",
    "session",
    "account",
    "verification",
    "task",
    "auth_throttle",
    "email_change",
    "auth_event",
    "two_factor",
    "passkey",
}


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


def test_the_packages_notify_statements_are_the_migrations(
    engine: Engine, fresh_engine: Engine
) -> None:
    """packages/python ships the triggers its listener needs (authbridge.schema), for apps that
    migrate them themselves: installed by hand after 0002 (with the second-factor column 0007
    adds), they are exactly what 0003 and 0007 install."""
    from authbridge.schema import DROP_NOTIFY_STATEMENTS, notify_statements

    run_alembic(fresh_engine, "upgrade", "0002")
    assert notify_catalog(fresh_engine) == {}
    with fresh_engine.begin() as conn:
        conn.exec_driver_sql(
            'ALTER TABLE "user" ADD COLUMN two_factor_enabled boolean NOT NULL DEFAULT false'
        )
        for statement in notify_statements(second_factor_column="two_factor_enabled"):
            conn.exec_driver_sql(statement)
    installed = notify_catalog(fresh_engine)
    assert len(installed) == 9  # three functions, six triggers
    assert installed == notify_catalog(engine)  # the suite's database, migrated to head
    with fresh_engine.begin() as conn:
        for statement in DROP_NOTIFY_STATEMENTS:
            conn.exec_driver_sql(statement)
    assert notify_catalog(fresh_engine) == {}


def test_0007_watches_the_second_factor_and_its_downgrade_puts_0003s_trigger_back(
    fresh_engine: Engine,
) -> None:
    from authbridge.schema import NOTIFY_STATEMENTS, user_trigger_statements

    run_alembic(fresh_engine, "upgrade", "0006")
    of_0003 = notify_catalog(fresh_engine)
    run_alembic(fresh_engine, "upgrade", "0007")
    watching = notify_catalog(fresh_engine)["user_changed_notify"]
    assert "two_factor_enabled" in watching
    assert "two_factor_enabled" not in of_0003["user_changed_notify"]
    run_alembic(fresh_engine, "downgrade", "0006")
    assert notify_catalog(fresh_engine) == of_0003
    # The package's statements that move an installed database between the two, both ways.
    with fresh_engine.begin() as conn:
        conn.exec_driver_sql(
            'ALTER TABLE "user" ADD COLUMN two_factor_enabled boolean NOT NULL DEFAULT false'
        )
        for statement in user_trigger_statements("two_factor_enabled"):
            conn.exec_driver_sql(statement)
    assert notify_catalog(fresh_engine)["user_changed_notify"] == watching
    with fresh_engine.begin() as conn:
        for statement in user_trigger_statements(None):
            conn.exec_driver_sql(statement)
    assert notify_catalog(fresh_engine) == of_0003
    assert len(NOTIFY_STATEMENTS) == 9


def test_0007_gives_existing_sessions_their_creation_as_auth_time(fresh_engine: Engine) -> None:
    run_alembic(fresh_engine, "upgrade", "0006")
    account = insert_account(fresh_engine)
    with fresh_engine.begin() as conn:
        conn.execute(
            text("UPDATE session SET created_at = now() - interval '3 days' WHERE id = :id"),
            {"id": account.session_id},
        )
    run_alembic(fresh_engine, "upgrade", "0007")
    with fresh_engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT s.auth_time = s.created_at AS same, s.amr, u.two_factor_enabled "
                'FROM session AS s JOIN "user" AS u ON u.id = s.user_id WHERE s.id = :id'
            ),
            {"id": account.session_id},
        ).one()
    assert (row.same, row.amr, row.two_factor_enabled) == (True, None, False)
    later = insert_account(fresh_engine, signed_in_again=account)  # no auth_time given: now()
    with fresh_engine.connect() as conn:
        fresh = conn.execute(
            text("SELECT now() - auth_time < interval '1 minute' FROM session WHERE id = :id"),
            {"id": later.session_id},
        ).scalar()
    assert fresh is True


@pytest.mark.parametrize(
    "amr", ['["pwd"]', '["pwd","otp","mfa"]', '["a","b","c","d","e","f","g","h"]', None]
)
def test_a_session_amr_is_null_or_a_json_array_of_1_to_8(engine: Engine, amr: str | None) -> None:
    account = insert_account(engine)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE session SET amr = CAST(:amr AS jsonb) WHERE id = :id"),
            {"amr": amr, "id": account.session_id},
        )


@pytest.mark.parametrize(
    "amr", ["[]", '"pwd"', '{"0":"pwd"}', '["a","b","c","d","e","f","g","h","i"]', "null"]
)
def test_a_session_amr_of_another_shape_is_refused(engine: Engine, amr: str) -> None:
    account = insert_account(engine)
    with pytest.raises(IntegrityError, match="session_amr_shape"), engine.begin() as conn:
        conn.execute(
            text("UPDATE session SET amr = CAST(:amr AS jsonb) WHERE id = :id"),
            {"amr": amr, "id": account.session_id},
        )
