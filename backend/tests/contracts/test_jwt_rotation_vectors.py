"""contracts/jwt/vectors.json "rotation": tokens issued before a rotation of BETTER_AUTH_SECRET
(signed with the previous secret) verify while the backend holds BETTER_AUTH_SECRET_PREVIOUS and
are refused once it does not; holding two keys accepts no third. Through the pure verifier and
through the real app, configured as an operator would (docs/operations.md "Rotating
BETTER_AUTH_SECRET")."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.core.jwt_verifier import TokenRefused, verify_backend_token
from tests.contract_vectors import DOCUMENT, NOW, config, vectors_app
from tests.contracts.test_jwt_vectors import give_a_live_session, payload_of

ROTATION = DOCUMENT["rotation"]
PREVIOUS: str = ROTATION["previous_secret"]
CASES: list[dict] = ROTATION["cases"]


def held_keys(case: dict) -> tuple[bytes, ...]:
    return (PREVIOUS.encode(),) if case["previous"] else ()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_rotation_case_gets_its_outcome_from_the_verifier(case: dict) -> None:
    cfg = config(previous_keys=held_keys(case))
    if case["expect"] == "valid":
        assert (
            verify_backend_token(case["token"], cfg, now=NOW).sub
            == payload_of(case["token"])["sub"]
        )
    else:
        with pytest.raises(TokenRefused) as refused:
            verify_backend_token(case["token"], cfg, now=NOW)
        assert refused.value.code == case["expect"], case["note"]


def test_the_rotation_cases_cover_both_sides_of_the_window() -> None:
    outcomes = {(c["previous"], c["expect"]) for c in CASES}
    assert {(True, "valid"), (False, "INVALID_SIGNATURE"), (True, "INVALID_SIGNATURE")} <= outcomes
    old = [c["token"] for c in CASES if c["name"].startswith("rotation-old-token")]
    assert len(old) == 2 and old[0] == old[1]  # one token, before and after the window


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
