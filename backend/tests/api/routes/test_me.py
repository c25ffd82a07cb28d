"""GET /api/me: the user named by a verified token with a live session."""

from fastapi.testclient import TestClient

from tests.conftest import auth_headers
from tests.db import Account


def test_me_returns_the_signed_in_users_id_name_and_email(
    client: TestClient, account: Account
) -> None:
    response = client.get("/api/me", headers=auth_headers(account))
    assert response.status_code == 200, response.text
    assert response.json() == {"id": account.user_id, "name": "Ada", "email": account.email}


def test_me_without_a_token_is_401_missing_token(client: TestClient) -> None:
    response = client.get("/api/me")
    assert response.status_code == 401 and response.json()["code"] == "MISSING_TOKEN"
    assert response.headers["WWW-Authenticate"] == "Bearer"
