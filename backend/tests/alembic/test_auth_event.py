"""Migration 0006: auth_event is append-only and coarse in the database itself
(docs/security.md "Security activity"), whatever the code that writes it does."""

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from tests.db import Account, insert_account, run_alembic


def add_event(
    engine: Engine,
    account: Account,
    *,
    type: str = "sign-in",
    network: str | None = None,
    user_agent: str | None = None,
    detail: str = "{}",
) -> int:
    with engine.begin() as conn:
        return int(
            conn.execute(
                text(
                    "INSERT INTO auth_event (user_id, type, network, user_agent, detail) "
                    "VALUES (:user_id, :type, :network, :user_agent, CAST(:detail AS jsonb)) "
                    "RETURNING id"
                ),
                {
                    "user_id": account.user_id,
                    "type": type,
                    "network": network,
                    "user_agent": user_agent,
                    "detail": detail,
                },
            ).scalar_one()
        )


def count(engine: Engine, account: Account) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM auth_event WHERE user_id = :u"), {"u": account.user_id}
            ).scalar_one()
        )


def run(engine: Engine, sql: str, **params: object) -> int:
    with engine.begin() as conn:
        return conn.execute(text(sql), params).rowcount


def test_an_update_is_refused_whatever_it_changes(engine: Engine) -> None:
    account = insert_account(engine)
    event = add_event(engine, account, detail='{"scope": "one"}')
    for update in (
        "UPDATE auth_event SET type = 'password-changed' WHERE id = :id",
        "UPDATE auth_event SET detail = '{}' WHERE id = :id",
        "UPDATE auth_event SET created_at = now() - interval '2 days' WHERE id = :id",
    ):
        with pytest.raises(IntegrityError, match="append-only: UPDATE refused"):
            run(engine, update, id=event)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT type, detail FROM auth_event WHERE id = :id"), {"id": event}
        ).one()
    assert (row.type, row.detail) == ("sign-in", {"scope": "one"})


def test_a_recent_row_is_never_deleted_and_truncate_is_refused(engine: Engine) -> None:
    account = insert_account(engine)
    add_event(engine, account)
    add_event(engine, account, type="password-changed")
    with pytest.raises(IntegrityError, match="deleted only by the retention or with its user"):
        run(engine, "DELETE FROM auth_event WHERE user_id = :u", u=account.user_id)
    with pytest.raises(IntegrityError, match="append-only: TRUNCATE refused"):
        run(engine, "TRUNCATE auth_event")
    assert count(engine, account) == 2


def test_the_retention_deletes_rows_older_than_a_day_only(engine: Engine) -> None:
    account = insert_account(engine)
    add_event(engine, account)
    add_event(engine, account, type="old")
    run(
        engine,
        "INSERT INTO auth_event (user_id, type, created_at) "
        "VALUES (:u, 'older', now() - interval '1 day 1 minute')",
        u=account.user_id,
    )
    deleted = run(
        engine,
        "DELETE FROM auth_event WHERE user_id = :u AND created_at < now() - interval '1 day'",
        u=account.user_id,
    )
    assert (deleted, count(engine, account)) == (1, 2)


def test_a_users_deletion_takes_its_events(engine: Engine) -> None:
    account = insert_account(engine)
    other = insert_account(engine)
    add_event(engine, account)
    add_event(engine, other)
    run(engine, 'DELETE FROM "user" WHERE id = :u', u=account.user_id)
    assert (count(engine, account), count(engine, other)) == (0, 1)


@pytest.mark.parametrize(
    ("network", "stored"),
    [
        ("203.0.113.0/24", "203.0.113.0/24"),
        ("10.0.0.0/8", "10.0.0.0/8"),
        ("2001:db8:1::/48", "2001:db8:1::/48"),
        (None, None),
    ],
)
def test_a_coarse_network_is_kept(engine: Engine, network: str | None, stored: str | None) -> None:
    account = insert_account(engine)
    event = add_event(engine, account, network=network)
    with engine.connect() as conn:
        value = conn.execute(
            text("SELECT network::text FROM auth_event WHERE id = :id"), {"id": event}
        ).scalar_one()
    assert value == stored


@pytest.mark.parametrize(
    "network", ["203.0.113.7", "203.0.113.0/25", "2001:db8:1:2::/64", "2001:db8::1"]
)
def test_a_full_address_or_a_narrower_network_is_refused(engine: Engine, network: str) -> None:
    account = insert_account(engine)
    with pytest.raises(IntegrityError, match="auth_event_network_coarse"):
        add_event(engine, account, network=network)


def test_a_user_agent_is_at_most_512_characters(engine: Engine) -> None:
    account = insert_account(engine)
    add_event(engine, account, user_agent="x" * 512)
    with pytest.raises(IntegrityError, match="auth_event_user_agent_length"):
        add_event(engine, account, user_agent="x" * 513)


def test_the_newest_first_list_has_its_index(engine: Engine) -> None:
    indexes = {i["name"]: i for i in inspect(engine).get_indexes("auth_event")}
    assert indexes["auth_event_user_id_created_at_id_idx"]["column_names"] == [
        "user_id",
        "created_at",
        "id",
    ]
    assert indexes["auth_event_user_id_created_at_id_idx"]["column_sorting"] == {
        "created_at": ("desc",),
        "id": ("desc",),
    }
    assert indexes["ix_auth_event_created_at"]["column_names"] == ["created_at"]
    (fk,) = inspect(engine).get_foreign_keys("auth_event")
    assert (fk["referred_table"], fk["options"].get("ondelete")) == ("user", "CASCADE")


def guard_function_exists(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(
            conn.execute(
                text("SELECT count(*) FROM pg_proc WHERE proname = 'auth_event_append_only'")
            ).scalar_one()
        )


def test_0006_downgrades_to_0005_without_a_trace_and_upgrades_again(
    fresh_engine: Engine,
) -> None:
    run_alembic(fresh_engine, "upgrade", "0006")
    account = insert_account(fresh_engine)
    add_event(fresh_engine, account)
    assert guard_function_exists(fresh_engine)

    run_alembic(fresh_engine, "downgrade", "0005")
    assert "auth_event" not in inspect(fresh_engine).get_table_names()
    assert not guard_function_exists(fresh_engine)

    run_alembic(fresh_engine, "upgrade", "0006")
    assert count(fresh_engine, account) == 0
    add_event(fresh_engine, account)
    with pytest.raises(IntegrityError, match="UPDATE refused"):
        run(fresh_engine, "UPDATE auth_event SET type = 'x'")
