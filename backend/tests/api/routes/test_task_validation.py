"""/api/tasks bodies on the real TLS PostgreSQL: every validation rule answers 422 naming the field
(never a database error), and what is refused changes nothing."""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.routes.test_tasks import assert_error, create, db_row
from tests.conftest import auth_headers
from tests.db import Account


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
