"""Revocation in the auth dependency: the token's session must exist, be sub's and be live.

The session cache (packages/python's authbridge.session_cache) is on, as in production: each
change below waits until this instance's listener has handled its NOTIFY (tests/session_events.py),
and the very next request must be refused. packages/python/tests/test_session_listener.py measures
the lag itself.
"""

from datetime import timedelta

import pytest
from authbridge.session_listener import listener_of
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.conftest import auth_headers
from tests.db import Account, insert_account
from tests.session_events import commit_and_hear

REVOKED = 'Bearer error="invalid_token", error_description="TOKEN_REVOKED"'


def assert_revoked(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "TOKEN_REVOKED"
    assert response.headers["WWW-Authenticate"] == REVOKED


sql = commit_and_hear


@pytest.fixture(autouse=True)
def listening(client: TestClient, engine: Engine) -> None:
    """The instance's session listener is connected: the first request of a session caches it."""
    client.get("/api/me", headers=auth_headers(insert_account(engine)))
    listener = listener_of(engine)
    assert listener is not None and listener.connected.wait(5), "listener not connected"


def cached(engine: Engine, session_id: str) -> bool:
    listener = listener_of(engine)
    return listener is not None and listener.cache.get(session_id) is not None


def test_deleting_the_session_signs_the_token_out_at_once(
    client: TestClient, engine: Engine
) -> None:
    owner = insert_account(engine)
    headers = auth_headers(owner)
    assert client.get("/api/me", headers=headers).status_code == 200
    assert cached(engine, owner.session_id)  # what follows is the cache's revocation, not the DB's
    sql(engine, "DELETE FROM session WHERE id = :id", id=owner.session_id)  # sign-out
    assert_revoked(client.get("/api/me", headers=headers))


def test_signing_out_everywhere_revokes_every_token_of_the_user(
    client: TestClient, engine: Engine
) -> None:
    owner = insert_account(engine)
    second = insert_account(engine, signed_in_again=owner)
    tokens = [auth_headers(owner), auth_headers(second)]
    assert all(client.get("/api/tasks", headers=h).status_code == 200 for h in tokens)
    sql(engine, "DELETE FROM session WHERE user_id = :uid", uid=owner.user_id)
    for headers in tokens:
        assert_revoked(client.get("/api/tasks", headers=headers))


def test_an_expired_session_revokes_its_token(client: TestClient, engine: Engine) -> None:
    owner = insert_account(engine, expires_in=timedelta(seconds=-1))
    assert_revoked(client.get("/api/me", headers=auth_headers(owner)))


def test_a_token_pairing_one_users_sub_with_another_users_session_is_refused(
    client: TestClient, account: Account, other_account: Account
) -> None:
    forged_pair = Account(account.user_id, other_account.session_id, account.email)
    assert_revoked(client.get("/api/me", headers=auth_headers(forged_pair)))


def test_a_token_for_a_session_that_never_existed_is_refused(
    client: TestClient, account: Account
) -> None:
    assert_revoked(client.get("/api/me", headers=auth_headers(account, sid="no-such-session")))


def test_a_password_change_that_recreates_the_session_revokes_the_old_token(
    client: TestClient, engine: Engine
) -> None:
    owner = insert_account(engine)
    old = auth_headers(owner)
    sql(engine, "DELETE FROM session WHERE user_id = :uid", uid=owner.user_id)
    renewed = insert_account(engine, signed_in_again=owner)
    assert_revoked(client.get("/api/me", headers=old))
    assert client.get("/api/me", headers=auth_headers(renewed)).status_code == 200


def test_deleting_the_user_cascades_to_sessions_and_tasks_and_revokes_the_token(
    client: TestClient, engine: Engine
) -> None:
    owner = insert_account(engine)
    headers = auth_headers(owner)
    for title in ("one", "two"):
        assert client.post("/api/tasks", json={"title": title}, headers=headers).status_code == 201
    sql(engine, 'DELETE FROM "user" WHERE id = :uid', uid=owner.user_id)  # the database cascades
    with engine.connect() as conn:
        left = conn.execute(
            text(
                "SELECT (SELECT count(*) FROM task WHERE user_id = :u)"
                " + (SELECT count(*) FROM session WHERE user_id = :u)"
            ),
            {"u": owner.user_id},
        ).scalar_one()
    assert left == 0
    assert_revoked(client.get("/api/tasks", headers=headers))


def test_the_revocation_check_is_driven_by_indexes_never_a_table_scan(
    engine: Engine, account: Account
) -> None:
    from authbridge.schema import LIVE_SESSION_USER

    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")  # tiny tables: ask what CAN drive it
        plan = "\n".join(
            conn.exec_driver_sql(
                f"EXPLAIN {LIVE_SESSION_USER}",
                {"session_id": account.session_id, "user_id": account.user_id},
            ).scalars()
        )
        conn.rollback()
    # The session row comes by its primary key or by its user's index: both equality predicates are
    # indexed and on tiny tables the planner's costs tie, so either is a correct plan.
    assert "Seq Scan" not in plan, plan
    assert "session_pkey" in plan or "ix_session_user_id" in plan, plan
    assert "user_pkey" in plan, plan
