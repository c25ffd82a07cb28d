"""Migration 0008: Better Auth's two_factor and passkey tables hold what docs/security.md
"Two-step sign-in" and "Passkeys" promise, in the database itself: one second factor per user, a
passkey credential belongs to one user only, both go with their user."""

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from tests.db import Account, insert_account, run_alembic


def run(engine: Engine, sql: str, **params: object) -> int:
    with engine.begin() as conn:
        return conn.execute(text(sql), params).rowcount


COUNTS = {
    "two_factor": text("SELECT count(*) FROM two_factor WHERE user_id = :u"),
    "passkey": text("SELECT count(*) FROM passkey WHERE user_id = :u"),
}


def count(engine: Engine, table: str, account: Account) -> int:
    with engine.connect() as conn:
        return int(conn.execute(COUNTS[table], {"u": account.user_id}).scalar_one())


def add_two_factor(engine: Engine, account: Account, row_id: str) -> None:
    run(
        engine,
        "INSERT INTO two_factor (id, secret, backup_codes, user_id) "
        "VALUES (:id, 'encrypted', 'encrypted', :u)",
        id=row_id,
        u=account.user_id,
    )


def add_passkey(
    engine: Engine, account: Account, row_id: str, credential: str, name: str | None = None
) -> None:
    run(
        engine,
        "INSERT INTO passkey (id, name, public_key, user_id, credential_id, counter, "
        "device_type, backed_up) VALUES (:id, :name, 'pk', :u, :c, 0, 'singleDevice', false)",
        id=row_id,
        name=name,
        u=account.user_id,
        c=credential,
    )


def test_a_second_factor_row_has_better_auths_defaults(engine: Engine) -> None:
    account = insert_account(engine)
    add_two_factor(engine, account, f"tf-{account.user_id}")
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT verified, failed_verification_count, locked_until FROM two_factor "
                "WHERE user_id = :u"
            ),
            {"u": account.user_id},
        ).one()
    assert tuple(row) == (True, 0, None)


def test_a_user_has_one_second_factor_row_at_most(engine: Engine) -> None:
    account = insert_account(engine)
    add_two_factor(engine, account, f"tf1-{account.user_id}")
    with pytest.raises(IntegrityError, match="two_factor_user_id_key"):
        add_two_factor(engine, account, f"tf2-{account.user_id}")


def test_a_passkey_credential_belongs_to_one_user(engine: Engine) -> None:
    ada, eve = insert_account(engine), insert_account(engine, "Eve")
    add_passkey(engine, ada, f"pk-{ada.user_id}", f"cred-{ada.user_id}")
    with pytest.raises(IntegrityError, match="passkey_credential_id_key"):
        add_passkey(engine, eve, f"pk-{eve.user_id}", f"cred-{ada.user_id}")
    assert count(engine, "passkey", eve) == 0


def test_a_passkey_name_is_at_most_100_characters(engine: Engine) -> None:
    account = insert_account(engine)
    add_passkey(engine, account, f"pk1-{account.user_id}", f"c1-{account.user_id}", "x" * 100)
    with pytest.raises(IntegrityError, match="passkey_name_length"):
        add_passkey(engine, account, f"pk2-{account.user_id}", f"c2-{account.user_id}", "x" * 101)


def test_both_go_with_their_user(engine: Engine) -> None:
    account = insert_account(engine)
    add_two_factor(engine, account, f"tf-{account.user_id}")
    add_passkey(engine, account, f"pk-{account.user_id}", f"cred-{account.user_id}")
    run(engine, 'DELETE FROM "user" WHERE id = :u', u=account.user_id)
    assert count(engine, "two_factor", account) == 0
    assert count(engine, "passkey", account) == 0


def test_the_look_ups_have_their_indexes(engine: Engine) -> None:
    # Better Auth reads two_factor by user, passkeys by user and by credential id.
    unique = {
        table: {c["name"]: c["column_names"] for c in inspect(engine).get_unique_constraints(table)}
        for table in ("two_factor", "passkey")
    }
    assert unique["two_factor"] == {"two_factor_user_id_key": ["user_id"]}
    assert unique["passkey"] == {"passkey_credential_id_key": ["credential_id"]}
    indexes = {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("passkey")}
    assert indexes["ix_passkey_user_id"] == ["user_id"]
    for table in ("two_factor", "passkey"):
        (fk,) = inspect(engine).get_foreign_keys(table)
        assert (fk["referred_table"], fk["options"].get("ondelete")) == ("user", "CASCADE")


def test_0008_downgrades_to_0007_and_upgrades_again(fresh_engine: Engine) -> None:
    run_alembic(fresh_engine, "upgrade", "0008")
    account = insert_account(fresh_engine)
    add_two_factor(fresh_engine, account, "tf")
    run_alembic(fresh_engine, "downgrade", "0007")
    tables = set(inspect(fresh_engine).get_table_names())
    assert not tables & {"two_factor", "passkey"}
    # 0007's column stays: it is not this revision's.
    assert "two_factor_enabled" in {c["name"] for c in inspect(fresh_engine).get_columns("user")}
    run_alembic(fresh_engine, "upgrade", "0008")
    assert count(fresh_engine, "two_factor", account) == 0
    add_two_factor(fresh_engine, account, "tf")
