"""contracts/jwt/vectors.json (made from the Better Auth plugin's real issuer) against the verifier:
every case at the file's fixed clock, every valid case re-minted byte for byte by tests/tokens.py,
and the rotation cases (tokens signed with the secret before a rotation) with and without the
previous secret held. Through HTTP: test_fastapi.py."""

from typing import Any

import pytest

from authbridge import TokenRefused, verify_backend_token
from tests import tokens
from tests.contract_vectors import (
    CASES,
    DOCUMENT,
    NOW,
    ROTATION,
    VALID,
    Vector,
    config,
    ids,
    payload_of,
)


@pytest.mark.parametrize("vector", CASES, ids=ids(CASES))
def test_each_vector_gets_its_expected_outcome(vector: Vector) -> None:
    if vector.expect == "valid":
        claims = verify_backend_token(vector.token, config(vector.key), now=NOW)
        payload = payload_of(vector.token)
        assert claims.sub == payload["sub"], vector.note
        amr = payload.get("amr")
        assert claims.amr == (None if amr is None else tuple(amr)), vector.note
        assert claims.auth_time == payload.get("auth_time"), vector.note
    else:
        with pytest.raises(TokenRefused) as refused:
            verify_backend_token(vector.token, config(vector.key), now=NOW)
        assert refused.value.code == vector.expect, f"{vector.note} / {refused.value.detail}"


def test_the_vectors_cover_valid_tokens_and_every_refusal_code() -> None:
    expected = {v.expect for v in CASES}
    assert "valid" in expected
    # Valid tokens with and without how and when the user signed in.
    with_both = [v for v in VALID if {"amr", "auth_time"} <= payload_of(v.token).keys()]
    without = [v for v in VALID if not {"amr", "auth_time"} & payload_of(v.token).keys()]
    assert len(with_both) >= 4 and len(without) >= 5
    assert {"MALFORMED_TOKEN", "INVALID_SIGNATURE", "TOKEN_EXPIRED", "INVALID_CLAIMS"} <= expected
    assert len({v.name for v in CASES}) == len(CASES) == len(DOCUMENT["cases"])


@pytest.mark.parametrize("vector", VALID, ids=ids(VALID))
def test_the_python_minter_writes_each_valid_vector_byte_for_byte(vector: Vector) -> None:
    claims = payload_of(vector.token)
    minted = tokens.issue(
        config(),
        claims["sub"],
        claims["sid"],
        claims["iat"],
        claims["jti"],
        amr=claims.get("amr"),
        auth_time=claims.get("auth_time"),
    )
    assert minted == vector.token


def test_the_python_minter_makes_a_fresh_jti_by_default() -> None:
    a = payload_of(tokens.issue(config(), "u", "s", NOW))["jti"]
    b = payload_of(tokens.issue(config(), "u", "s", NOW))["jti"]
    assert len(a) == 22 and a != b


PREVIOUS: str = ROTATION["previous_secret"]
ROTATION_CASES: list[dict[str, Any]] = ROTATION["cases"]


def held_keys(case: dict[str, Any]) -> tuple[bytes, ...]:
    return (PREVIOUS.encode(),) if case["previous"] else ()


@pytest.mark.parametrize("case", ROTATION_CASES, ids=[c["name"] for c in ROTATION_CASES])
def test_each_rotation_case_gets_its_outcome_from_the_verifier(case: dict[str, Any]) -> None:
    cfg = config(previous_keys=held_keys(case))
    if case["expect"] == "valid":
        verified = verify_backend_token(case["token"], cfg, now=NOW)
        assert verified.sub == payload_of(case["token"])["sub"]
    else:
        with pytest.raises(TokenRefused) as refused:
            verify_backend_token(case["token"], cfg, now=NOW)
        assert refused.value.code == case["expect"], case["note"]


def test_the_rotation_cases_cover_both_sides_of_the_window() -> None:
    outcomes = {(c["previous"], c["expect"]) for c in ROTATION_CASES}
    assert {(True, "valid"), (False, "INVALID_SIGNATURE"), (True, "INVALID_SIGNATURE")} <= outcomes
    old = [c["token"] for c in ROTATION_CASES if c["name"].startswith("rotation-old-token")]
    assert len(old) == 2 and old[0] == old[1]  # one token, before and after the window
