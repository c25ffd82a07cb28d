"""GET /api/me/export on the real TLS PostgreSQL: the download of the caller's profile and tasks
behind the step-up (a sign-in at most 10 minutes old, with the second factor of a user who has
one), and the data-exported event it appends to the account's security activity."""

import time
from datetime import UTC, datetime

import pytest
from authbridge import SessionUser, TokenClaims
from authbridge.fastapi import Authenticated
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.auth import RECENT_SIGN_IN_SECONDS, require_recent_sign_in
from app.main import app
from tests import tokens
from tests.conftest import auth_headers
from tests.db import Account, insert_account

TOO_OLD = (
    'Bearer error="insufficient_user_authentication", '
    'error_description="A more recent sign-in is required", max_age=600'
)
NO_SECOND_FACTOR = (
    'Bearer error="insufficient_user_authentication", '
    'error_description="A sign-in with a second factor is required", max_age=600, '
    'acr_values="mfa"'
)


def signed_in(account: Account, seconds_ago: int, amr: list[str] | None = None) -> dict[str, str]:
    """The headers of a token issued now for a sign-in `seconds_ago` seconds ago."""
    return auth_headers(account, amr=amr or ["pwd"], auth_time=int(time.time()) - seconds_ago)


def add_task(client: TestClient, account: Account, title: str) -> dict:
    response = client.post("/api/tasks", json={"title": title}, headers=auth_headers(account))
    assert response.status_code == 201, response.text
    return response.json()


def events(engine: Engine, account: Account) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT type, method, session_id, user_agent, network, detail FROM auth_event "
                "WHERE user_id = :uid ORDER BY id"
            ),
            {"uid": account.user_id},
        ).mappings()
        return [dict(r) for r in rows]


def enrol_second_factor(engine: Engine, account: Account) -> None:
    with engine.begin() as conn:
        conn.execute(
            text('UPDATE "user" SET two_factor_enabled = true WHERE id = :uid'),
            {"uid": account.user_id},
        )


def test_a_recent_sign_in_downloads_the_profile_and_only_its_own_tasks_oldest_first(
    client: TestClient, account: Account, other_account: Account, engine: Engine
) -> None:
    first = add_task(client, account, "First")
    second = add_task(client, account, "Second")
    add_task(client, other_account, "Not yours")
    headers = {**signed_in(account, 60), "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Export"}
    response = client.get("/api/me/export", headers=headers)
    assert response.status_code == 200, response.text
    today = datetime.now(UTC).date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="authbridge-export-{today}.json"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"format", "exported_at", "profile", "tasks"}
    assert body["format"] == "authbridge-export/1"
    assert body["exported_at"].startswith(today)
    profile = body["profile"]
    assert (profile["id"], profile["name"], profile["email"], profile["email_verified"]) == (
        account.user_id,
        "Ada",
        account.email,
        True,
    )
    assert body["tasks"] == [first, second]
    assert events(engine, account) == [
        {
            "type": "data-exported",
            "method": None,
            "session_id": account.session_id,
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Export",
            "network": None,
            "detail": {"tasks": 2},
        }
    ]
    assert events(engine, other_account) == []


def test_a_user_without_tasks_downloads_an_empty_list_and_a_long_agent_is_cut(
    client: TestClient, account: Account, engine: Engine
) -> None:
    headers = {**signed_in(account, 0), "User-Agent": "x" * 600}
    response = client.get("/api/me/export", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["tasks"] == []
    (event,) = events(engine, account)
    assert event["detail"] == {"tasks": 0} and event["user_agent"] == "x" * 512


def test_a_sign_in_older_than_10_minutes_is_asked_to_confirm_and_nothing_is_recorded(
    client: TestClient, account: Account, engine: Engine
) -> None:
    at_the_bound = client.get("/api/me/export", headers=signed_in(account, 590))
    assert at_the_bound.status_code == 200
    response = client.get("/api/me/export", headers=signed_in(account, RECENT_SIGN_IN_SECONDS + 5))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == TOO_OLD
    assert response.json() == {
        "code": "INSUFFICIENT_USER_AUTHENTICATION",
        "message": "Confirm it's you: this needs a more recent or stronger sign-in",
    }
    assert "Content-Disposition" not in response.headers
    assert len(events(engine, account)) == 1  # the export at the bound only


def test_a_second_factor_is_asked_for_only_when_the_user_has_one(
    client: TestClient, account: Account, other_account: Account, engine: Engine
) -> None:
    enrol_second_factor(engine, account)
    weak = client.get("/api/me/export", headers=signed_in(account, 5))
    assert weak.status_code == 401 and weak.headers["WWW-Authenticate"] == NO_SECOND_FACTOR
    strong = signed_in(account, 5, amr=["pwd", "otp", "mfa"])
    assert client.get("/api/me/export", headers=strong).status_code == 200
    # other_account has no second factor: a password sign-in will do.
    assert client.get("/api/me/export", headers=signed_in(other_account, 5)).status_code == 200


def test_a_token_from_before_amr_and_auth_time_counts_from_its_iat(
    client: TestClient, account: Account
) -> None:
    assert client.get("/api/me/export", headers=auth_headers(account)).status_code == 200
    iat = int(time.time()) - 700
    issued = tokens.issue(tokens.config(), account.user_id, account.session_id, iat)
    old = {"Authorization": f"Bearer {issued}"}
    response = client.get("/api/me/export", headers=old)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == TOO_OLD


def test_the_export_is_refused_like_any_route_without_a_good_token(client: TestClient) -> None:
    response = client.get("/api/me/export")
    assert response.status_code == 401 and response.json()["code"] == "MISSING_TOKEN"


@pytest.fixture
def deleted_in_between(engine: Engine) -> Account:
    """A user the step-up let through, deleted before the export's statement ran."""
    account = insert_account(engine)
    user = SessionUser(account.user_id, "Gone", account.email, time.time() + 60, True)
    claims = TokenClaims(account.user_id, account.session_id, "jti", int(time.time()), 0)
    app.dependency_overrides[require_recent_sign_in] = lambda: Authenticated(user, claims)
    with engine.begin() as conn:
        conn.execute(text('DELETE FROM "user" WHERE id = :uid'), {"uid": account.user_id})
    return account


def test_a_user_deleted_since_the_session_check_gets_token_revoked(
    client: TestClient, deleted_in_between: Account, engine: Engine
) -> None:
    response = client.get("/api/me/export")
    assert response.status_code == 401 and response.json()["code"] == "TOKEN_REVOKED"
    assert events(engine, deleted_in_between) == []
