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


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": 42}, "title"),
        ({"title": None}, "title"),
        ({"title": "ok", "description": "d" * 2001}, "description"),
        ({"title": "ok", "description": None}, "description"),
        ({"title": "ok", "completed": "yes"}, "completed"),
        ({"title": "ok", "completed": 1}, "completed"),
        ({"title": "ok", "user_id": "someone-else"}, "user_id"),
        ({"title": "ok", "owner": "someone-else"}, "owner"),
        ({"title": "ok", "id": str(uuid.uuid4())}, "id"),
        ({"title": "ok", "created_at": "2020-01-01T00:00:00Z"}, "created_at"),
        # PostgreSQL text cannot hold NUL (found by the contract fuzz run: was a 500)
        ({"title": "a\x00b"}, "title"),
        ({"title": "ok", "description": "\x00"}, "description"),
    ],
    ids=lambda v: str(v)[:40] if isinstance(v, dict) else v,
)
def test_an_invalid_create_body_answers_422_naming_the_field(
    client: TestClient, account: Account, engine: Engine, body: dict, field: str
) -> None:
    response = client.post("/api/tasks", json=body, headers=auth_headers(account))
    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert field in [f["field"] for f in error["fields"]]
    assert all(f["message"] for f in error["fields"])


def test_title_and_description_at_their_limits_are_accepted(
    client: TestClient, account: Account
) -> None:
    task = create(client, account, title="t" * 200, description="d" * 2000)
    assert len(task["title"]) == 200 and len(task["description"]) == 2000


def test_limits_count_characters_not_bytes(client: TestClient, account: Account) -> None:
    assert create(client, account, title="é" * 200)["title"] == "é" * 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "d" * 2001}, "description"),
        ({"completed": None}, "completed"),
        ({"completed": "true"}, "completed"),
        ({"user_id": "someone-else"}, "user_id"),
        ({"title": "\x00"}, "title"),
        ({"description": "nul \x00 inside"}, "description"),
    ],
    ids=lambda v: str(v)[:40] if isinstance(v, dict) else v,
)
def test_an_invalid_patch_answers_422_and_changes_nothing(
    client: TestClient, account: Account, engine: Engine, body: dict, field: str
) -> None:
    task = create(client, account)
    before = db_row(engine, task["id"])
    response = client.patch(f"/api/tasks/{task['id']}", json=body, headers=auth_headers(account))
    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert field in [f["field"] for f in error["fields"]]
    assert db_row(engine, task["id"]) == before


def test_a_body_that_is_not_json_answers_422(client: TestClient, account: Account) -> None:
    headers = {**auth_headers(account), "Content-Type": "application/json"}
    error = assert_error(
        client.post("/api/tasks", content=b"{not json", headers=headers), 422, "VALIDATION_ERROR"
    )
    assert [f["field"] for f in error["fields"]] == ["body"]


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_body_that_is_not_utf8_answers_422_not_400(
    client: TestClient, account: Account, method: str
) -> None:
    """FastAPI answers an undecodable JSON body with a 400 the contract does not declare (found
    by the contract fuzz run): it is the same mistake as malformed JSON, so the same 422."""
    headers = {**auth_headers(account), "Content-Type": "application/json"}
    path = "/api/tasks" if method == "POST" else f"/api/tasks/{create(client, account)['id']}"
    response = client.request(method, path, content=b'{"title": "\xff\xfe"}', headers=headers)
    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert error["fields"] == [{"field": "body", "message": "The body is not valid JSON (UTF-8)"}]


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b'{"title": "a\\ud800b"}', "title"),
        (b'{"title": "ok", "description": "\\udfff"}', "description"),
    ],
)
def test_a_lone_surrogate_answers_422_never_a_database_error(
    client: TestClient, account: Account, content: bytes, field: str
) -> None:
    """JSON may escape a lone surrogate that no UTF-8 column can store (pydantic refuses it)."""
    headers = {**auth_headers(account), "Content-Type": "application/json"}
    error = assert_error(
        client.post("/api/tasks", content=content, headers=headers), 422, "VALIDATION_ERROR"
    )
    assert [f["field"] for f in error["fields"]] == [field]


# ---- isolation ----


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
