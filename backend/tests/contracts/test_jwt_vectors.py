"""contracts/jwt/vectors.json (made from the frontend's real issuer) against the backend: every case
through the real verifier at the file's fixed clock, every valid case re-minted byte for byte by
tests/tokens.py, and every valid case accepted end to end by the real app."""

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.core.jwt_verifier import TokenRefused, verify_backend_token
from tests import tokens
from tests.contract_vectors import CASES, DOCUMENT, NOW, VALID, Vector, config, ids, vectors_app


def payload_of(token: str) -> dict:
    segment = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


@pytest.mark.parametrize("vector", CASES, ids=ids(CASES))
def test_each_vector_gets_its_expected_outcome(vector: Vector) -> None:
    if vector.expect == "valid":
        claims = verify_backend_token(vector.token, config(vector.key), now=NOW)
        assert claims.sub == payload_of(vector.token)["sub"], vector.note
    else:
        with pytest.raises(TokenRefused) as refused:
            verify_backend_token(vector.token, config(vector.key), now=NOW)
        assert refused.value.code == vector.expect, f"{vector.note} / {refused.value.detail}"


def test_the_vectors_cover_valid_tokens_and_every_refusal_code() -> None:
    expected = {v.expect for v in CASES}
    assert "valid" in expected
    assert {"MALFORMED_TOKEN", "INVALID_SIGNATURE", "TOKEN_EXPIRED", "INVALID_CLAIMS"} <= expected
    assert len({v.name for v in CASES}) == len(CASES) == len(DOCUMENT["cases"])


@pytest.mark.parametrize("vector", VALID, ids=ids(VALID))
def test_the_python_minter_writes_each_valid_vector_byte_for_byte(vector: Vector) -> None:
    claims = payload_of(vector.token)
    minted = tokens.issue(config(), claims["sub"], claims["sid"], claims["iat"], claims["jti"])
    assert minted == vector.token


def test_the_python_minter_makes_a_fresh_jti_by_default() -> None:
    a = payload_of(tokens.issue(config(), "u", "s", NOW))["jti"]
    b = payload_of(tokens.issue(config(), "u", "s", NOW))["jti"]
    assert len(a) == 22 and a != b


def test_each_valid_vector_is_accepted_end_to_end_by_the_real_app(
    client: TestClient, engine: Engine
) -> None:
    """With the file's secret and clock the app serves every valid vector's user: proof that
    vectors_app() reproduces the file's setup, so the HTTP attack tests refuse for the file's
    reasons and not for a wrong clock or key. Without the session cache: the vectors share one
    session id between users, and a cached owner could outlive the change for a few ms."""
    with vectors_app(session_cache=False):
        for vector in VALID:
            claims = payload_of(vector.token)
            give_a_live_session(engine, claims["sub"], claims["sid"])
            response = client.get("/api/me", headers={"Authorization": f"Bearer {vector.token}"})
            assert response.status_code == 200, f"{vector.name}: {response.text}"
            assert response.json()["id"] == claims["sub"], vector.name


def give_a_live_session(engine: Engine, user_id: str, session_id: str) -> None:
    """The user, and session `session_id` as theirs (vectors share a session id between users)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                'INSERT INTO "user" (id, name, email, email_verified) '
                "VALUES (:id, :name, :email, true) "
                "ON CONFLICT (id) DO NOTHING"
            ),
            {"id": user_id, "name": "Vector", "email": f"{uuid.uuid4().hex}@example.test"},
        )
        conn.execute(
            text(
                "INSERT INTO session (id, expires_at, token, user_id) "
                "VALUES (:id, :expires_at, :token, :user_id) "
                "ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id"
            ),
            {
                "id": session_id,
                "expires_at": datetime.now(UTC) + timedelta(hours=1),
                "token": uuid.uuid4().hex,
                "user_id": user_id,
            },
        )
