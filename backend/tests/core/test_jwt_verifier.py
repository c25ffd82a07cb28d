"""The pure verifier: behaviour the contract vectors do not pin down (fixed clock).

Every case of contracts/jwt/vectors.json runs in tests/contracts/test_jwt_vectors.py."""

import pytest

from app.core.jwt_verifier import (
    LEEWAY_SECONDS,
    MAX_TOKEN_BYTES,
    TokenRefused,
    verify_backend_token,
)
from tests import contract_vectors, tokens
from tests.tokens import NOW, claims_for, config, sign


def test_a_token_issued_as_the_contract_says_is_accepted() -> None:
    claims = claims_for(sub="user-42", sid="session-7")
    verified = verify_backend_token(sign(claims), config(), now=NOW)
    assert (verified.sub, verified.sid, verified.jti) == ("user-42", "session-7", claims["jti"])
    assert verified.exp - verified.iat == tokens.LIFETIME


def test_the_typ_is_compared_case_insensitively() -> None:
    token = tokens.mint(claims_for(), config().key, header={"alg": "HS256", "typ": "AT+JWT"})
    assert verify_backend_token(token, config(), now=NOW).sub == "user-1"


def test_a_token_expired_within_the_leeway_is_still_accepted() -> None:
    claims = claims_for(iat=NOW - tokens.LIFETIME - LEEWAY_SECONDS + 5)
    assert verify_backend_token(sign(claims), config(), now=NOW).sub == "user-1"


def test_a_token_issued_slightly_in_the_future_within_the_leeway_is_accepted() -> None:
    claims = claims_for(iat=NOW + LEEWAY_SECONDS - 5)
    assert verify_backend_token(sign(claims), config(), now=NOW).sub == "user-1"


def test_a_token_signed_with_another_secret_is_refused_even_if_everything_else_is_right() -> None:
    token = sign(claims_for(), secret="x" * 48)
    with pytest.raises(TokenRefused) as refused:
        verify_backend_token(token, config(), now=NOW)
    assert refused.value.code == "INVALID_SIGNATURE"


def test_the_refusal_detail_never_contains_the_token() -> None:
    token = sign(claims_for(iss="evil"))
    with pytest.raises(TokenRefused) as refused:
        verify_backend_token(token, config(), now=NOW)
    assert refused.value.code == "INVALID_CLAIMS"
    assert token not in str(refused.value) and token not in refused.value.detail


def test_a_1mb_token_is_refused_by_its_size() -> None:
    vector = contract_vectors.ONE_MEGABYTE
    assert len(vector.token) > 1_000_000
    with pytest.raises(TokenRefused) as refused:
        verify_backend_token(vector.token, contract_vectors.config(), now=contract_vectors.NOW)
    assert refused.value.code == "MALFORMED_TOKEN"
    # the size check refused it, not a later one
    assert refused.value.detail.endswith(f"limit {MAX_TOKEN_BYTES}")
