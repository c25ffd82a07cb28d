"""contracts/jwt/vectors.json (made from the frontend's real issuer) against the backend: every
valid case accepted end to end by the real app. The verifier itself replays every case, and the
Python minter re-mints each valid one byte for byte, in packages/python/tests/test_jwt_vectors.py;
the refusals over HTTP are tests/api/test_deps.py's."""

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.contract_vectors import VALID, vectors_app


def payload_of(token: str) -> dict:
    segment = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


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
