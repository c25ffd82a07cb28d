"""/api/tasks on the real TLS PostgreSQL: every endpoint, every validation rule, isolation."""

import logging
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.conftest import auth_headers, logged
from tests.db import Account, insert_account

TASK_KEYS = {"id", "title", "description", "completed", "created_at", "updated_at"}


def create(client: TestClient, account: Account, **body: object) -> dict:
    body.setdefault("title", "Buy milk")
    response = client.post("/api/tasks", json=body, headers=auth_headers(account))
    assert response.status_code == 201, response.text
    return response.json()


def db_row(engine: Engine, task_id: str) -> dict | None:
    with engine.connect() as conn:
        row = (
            conn.execute(text("SELECT * FROM task WHERE id = :id"), {"id": task_id})
            .mappings()
            .first()
        )
    return dict(row) if row else None


def assert_error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and isinstance(body["message"], str) and body["message"]
    return body


# ---- create / read / update / delete ----


def test_creating_a_task_returns_201_and_commits_the_row(
    client: TestClient, account: Account, engine: Engine
) -> None:
    task = create(client, account, title="  Buy milk  ", description="2 litres")
    assert set(task) == TASK_KEYS
    assert (task["title"], task["description"], task["completed"]) == (
        "Buy milk",
        "2 litres",
        False,
    )
    row = db_row(engine, task["id"])
    assert row is not None and row["user_id"] == account.user_id and row["title"] == "Buy milk"


def test_a_task_can_be_created_already_completed(client: TestClient, account: Account) -> None:
    assert create(client, account, completed=True)["completed"] is True


def test_reading_a_task_returns_it(client: TestClient, account: Account) -> None:
    task = create(client, account)
    response = client.get(f"/api/tasks/{task['id']}", headers=auth_headers(account))
    assert response.status_code == 200 and response.json() == task


def test_patching_changes_only_the_given_fields(client: TestClient, account: Account) -> None:
    task = create(client, account, title="Old", description="keep me")
    response = client.patch(
        f"/api/tasks/{task['id']}", json={"completed": True}, headers=auth_headers(account)
    )
    assert response.status_code == 200
    patched = response.json()
    assert (patched["title"], patched["description"], patched["completed"]) == (
        "Old",
        "keep me",
        True,
    )
    assert (
        patched["updated_at"] >= task["updated_at"] and patched["created_at"] == task["created_at"]
    )


def test_patching_the_title_trims_it(client: TestClient, account: Account) -> None:
    task = create(client, account)
    response = client.patch(
        f"/api/tasks/{task['id']}", json={"title": "  New  "}, headers=auth_headers(account)
    )
    assert response.json()["title"] == "New"


def test_an_empty_patch_changes_nothing_and_returns_the_task(
    client: TestClient, account: Account
) -> None:
    task = create(client, account)
    response = client.patch(f"/api/tasks/{task['id']}", json={}, headers=auth_headers(account))
    assert response.status_code == 200 and response.json() == task


def test_deleting_a_task_answers_204_and_removes_the_row(
    client: TestClient, account: Account, engine: Engine
) -> None:
    task = create(client, account)
    response = client.delete(f"/api/tasks/{task['id']}", headers=auth_headers(account))
    assert response.status_code == 204 and response.content == b""
    assert db_row(engine, task["id"]) is None
    assert_error(
        client.get(f"/api/tasks/{task['id']}", headers=auth_headers(account)), 404, "TASK_NOT_FOUND"
    )


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_a_missing_task_id_answers_404_task_not_found(
    client: TestClient, account: Account, method: str
) -> None:
    response = client.request(
        method,
        f"/api/tasks/{uuid.uuid4()}",
        json={"title": "x"} if method == "PATCH" else None,
        headers=auth_headers(account),
    )
    assert_error(response, 404, "TASK_NOT_FOUND")


@pytest.mark.parametrize(
    "bad_id", ["not-a-uuid", "1", "' OR 1=1 --", "00000000-0000-0000-0000-00000000000g"]
)
def test_a_malformed_task_id_answers_422_never_a_database_error(
    client: TestClient, account: Account, bad_id: str
) -> None:
    body = assert_error(
        client.get(f"/api/tasks/{bad_id}", headers=auth_headers(account)), 422, "VALIDATION_ERROR"
    )
    assert body["fields"][0]["field"] == "task_id"


# ---- list ----


def test_the_list_is_newest_first_with_total_limit_and_offset(
    client: TestClient, engine: Engine
) -> None:
    owner = insert_account(engine)
    titles = [f"task {i}" for i in range(5)]
    for title in titles:
        create(client, owner, title=title)
    page = client.get("/api/tasks?limit=2&offset=1", headers=auth_headers(owner)).json()
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 1)
    assert [t["title"] for t in page["items"]] == ["task 3", "task 2"]
    default = client.get("/api/tasks", headers=auth_headers(owner)).json()
    assert default["limit"] == 20 and [t["title"] for t in default["items"]] == titles[::-1]


def test_the_list_filters_by_completed(client: TestClient, engine: Engine) -> None:
    owner = insert_account(engine)
    create(client, owner, title="done", completed=True)
    create(client, owner, title="todo")
    done = client.get("/api/tasks?completed=true", headers=auth_headers(owner)).json()
    todo = client.get("/api/tasks?completed=false", headers=auth_headers(owner)).json()
    assert [t["title"] for t in done["items"]] == ["done"] and done["total"] == 1
    assert [t["title"] for t in todo["items"]] == ["todo"] and todo["total"] == 1


def test_an_offset_past_the_end_gives_an_empty_page_with_the_total(
    client: TestClient, account: Account
) -> None:
    create(client, account)
    page = client.get("/api/tasks?offset=1000", headers=auth_headers(account)).json()
    assert page["items"] == [] and page["total"] >= 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("offset=2147483648", "offset"),  # beyond OFFSET_MAX (found by the contract fuzz run)
        ("offset=99999999999999999999999999", "offset"),  # PostgreSQL's bigint: was a 500
        ("completed=maybe", "completed"),
    ],
)
def test_out_of_range_list_parameters_answer_422(
    client: TestClient, account: Account, query: str, field: str
) -> None:
    body = assert_error(
        client.get(f"/api/tasks?{query}", headers=auth_headers(account)), 422, "VALIDATION_ERROR"
    )
    assert [f["field"] for f in body["fields"]] == [field]


# ---- validation ----


def test_a_request_while_the_database_is_down_answers_503_with_retry_after(
    proxied_client, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    client, proxy, owner = proxied_client
    assert client.get("/api/tasks", headers=auth_headers(owner)).status_code == 200
    proxy.cut()
    with caplog.at_level(logging.WARNING, logger="authbridge"):
        response = client.get("/api/tasks", headers=auth_headers(owner))
    assert_error(response, 503, "DATABASE_UNAVAILABLE")
    assert int(response.headers["Retry-After"]) > 0
    assert "127.0.0.1" not in response.text and "psycopg" not in response.text
    # The cause goes to the log (its class name), never to the client.
    assert logged(caplog, "authbridge.errors") == ["database unavailable: OperationalError"]
    proxy.restore()
    assert client.get("/api/tasks", headers=auth_headers(owner)).status_code == 200
