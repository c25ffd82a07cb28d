"""Every case of contracts/jwt/vectors.json (made from the frontend's real issuer) through the
backend's real verifier, at the file's fixed clock. A missing file is a failure, not a skip."""

import base64
import json
from pathlib import Path

import pytest

from app.core.jwt_verifier import JwtConfig, TokenRefused, verify_backend_token

VECTORS = Path(__file__).resolve().parents[3] / "contracts" / "jwt" / "vectors.json"
MISSING = "vectors.json is missing"


def load_cases() -> tuple[dict, list[dict]]:
    if not VECTORS.is_file():
        return {}, [{"name": MISSING}]
    document = json.loads(VECTORS.read_text())
    return document, document["cases"]


DOCUMENT, CASES = load_cases()


def key_for(case: dict) -> bytes:
    if "key_b64url" in case:
        encoded = case["key_b64url"]
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    return DOCUMENT["secret"].encode()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_vector_gets_its_expected_outcome(case: dict) -> None:
    if case["name"] == MISSING:
        pytest.fail(f"{VECTORS} does not exist: the frontend's contracts/jwt/generate.ts writes it")
    assert DOCUMENT["schema"] == 1
    cfg = JwtConfig(
        key=key_for(case),
        issuer=DOCUMENT["issuer"],
        audience=DOCUMENT["audience"],
        lifetime_seconds=DOCUMENT["lifetime_seconds"],
    )
    if case["expect"] == "valid":
        claims = verify_backend_token(case["token"], cfg, now=DOCUMENT["now"])
        assert claims.sub, case.get("note")
    else:
        with pytest.raises(TokenRefused) as refused:
            verify_backend_token(case["token"], cfg, now=DOCUMENT["now"])
        assert refused.value.code == case["expect"], f"{case.get('note')} / {refused.value.detail}"


def test_the_vectors_cover_valid_tokens_and_every_refusal_code() -> None:
    if not CASES or CASES[0]["name"] == MISSING:
        pytest.fail(f"{VECTORS} does not exist")
    expected = {c["expect"] for c in CASES}
    assert "valid" in expected
    assert {"MALFORMED_TOKEN", "INVALID_SIGNATURE", "TOKEN_EXPIRED", "INVALID_CLAIMS"} <= expected
