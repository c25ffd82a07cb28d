"""contracts/jwt/vectors.json "rotation": tokens issued before a rotation of BETTER_AUTH_SECRET
(signed with the previous secret) verify while the backend holds BETTER_AUTH_SECRET_PREVIOUS and
are refused once it does not; holding two keys accepts no third. Through the real app, configured
as an operator would (docs/operations.md "Rotating BETTER_AUTH_SECRET"); the pure verifier replays
the same cases in packages/python/tests/test_jwt_vectors.py."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.contract_vectors import DOCUMENT, vectors_app
from tests.contracts.test_jwt_vectors import give_a_live_session, payload_of

ROTATION = DOCUMENT["rotation"]
PREVIOUS: str = ROTATION["previous_secret"]
CASES: list[dict] = ROTATION["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_rotation_case_end_to_end_through_the_real_app(
    case: dict, client: TestClient, engine: Engine
) -> None:
    claims = payload_of(case["token"])
    give_a_live_session(engine, claims["sub"], claims["sid"])
    with vectors_app(previous_secret=PREVIOUS if case["previous"] else None, session_cache=False):
        response = client.get("/api/me", headers={"Authorization": f"Bearer {case['token']}"})
    if case["expect"] == "valid":
        assert response.status_code == 200, response.text
        assert response.json()["id"] == claims["sub"]
    else:
        assert response.status_code == 401
        assert response.json()["code"] == case["expect"]
