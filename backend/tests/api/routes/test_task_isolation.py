"""/api/tasks between two users: another user's task is never read, changed, listed or written, and
the owner is always the token's subject, never the body."""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.api.routes.test_tasks import assert_error, create, db_row
from tests.conftest import auth_headers
from tests.db import Account


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_another_users_task_answers_404_exactly_like_a_missing_one_and_stays_unchanged(
    client: TestClient, account: Account, other_account: Account, engine: Engine, method: str
) -> None:
    task = create(client, account, title="A's secret")
    before = db_row(engine, task["id"])
    body = {"title": "pwned", "completed": True} if method == "PATCH" else None
    as_b = client.request(
        method, f"/api/tasks/{task['id']}", json=body, headers=auth_headers(other_account)
    )
    missing = client.request(
        method, f"/api/tasks/{uuid.uuid4()}", json=body, headers=auth_headers(other_account)
    )
    assert as_b.status_code == missing.status_code == 404
    assert as_b.json() == missing.json() == {"code": "TASK_NOT_FOUND", "message": "Task not found"}
    assert db_row(engine, task["id"]) == before
    assert (
        client.get(f"/api/tasks/{task['id']}", headers=auth_headers(account)).json()["title"]
        == "A's secret"
    )


def test_the_list_never_shows_another_users_tasks(
    client: TestClient, account: Account, other_account: Account
) -> None:
    mine = create(client, account, title="mine")
    theirs = create(client, other_account, title="theirs")
    for who, own, foreign in ((account, mine, theirs), (other_account, theirs, mine)):
        for query in ("", "?completed=false", "?limit=100"):
            page = client.get(f"/api/tasks{query}", headers=auth_headers(who)).json()
            ids = {t["id"] for t in page["items"]}
            assert own["id"] in ids and foreign["id"] not in ids
            assert page["total"] == len(ids)


def test_a_body_that_names_an_owner_is_refused_and_writes_nothing(
    client: TestClient, account: Account, other_account: Account, engine: Engine
) -> None:
    body = {"title": "planted", "user_id": other_account.user_id}
    assert_error(
        client.post("/api/tasks", json=body, headers=auth_headers(account)), 422, "VALIDATION_ERROR"
    )
    with engine.connect() as conn:
        planted = conn.execute(
            text("SELECT count(*) FROM task WHERE title = 'planted'")
        ).scalar_one()
    assert planted == 0


def test_a_created_task_always_belongs_to_the_tokens_subject(
    client: TestClient, account: Account, engine: Engine
) -> None:
    task = create(client, account)
    assert db_row(engine, task["id"])["user_id"] == account.user_id  # type: ignore[index]


# ---- database faults during a request ----
