"""The pure verifier against the contract and the whole attack catalogue (fixed clock)."""

import pytest

from app.core.jwt_verifier import LEEWAY_SECONDS, TokenRefused, verify_backend_token
from tests import tokens
from tests.attack_catalogue import ATTACKS, Attack
from tests.tokens import NOW, claims_for, config, sign


def test_a_token_issued_as_the_contract_says_is_accepted() -> None:
    claims = claims_for(sub="user-42", sid="session-7")
    verified = verify_backend_token(sign(claims), config(), now=NOW)
    assert (verified.sub, verified.sid, verified.jti) == ("user-42", "session-7", claims["jti"])
    assert verified.exp - verified.iat == tokens.LIFETIME


def test_the_typ_is_compared_case_insensitively() -> None:
    token = tokens.forge({"alg": "HS256", "typ": "AT+JWT"}, claims_for(), config().key)
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
    assert token not in str(refused.value) and token not in refused.value.detail


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_each_attack_is_refused_with_its_code(attack: Attack) -> None:
    with pytest.raises(TokenRefused) as refused:
        verify_backend_token(attack.build(NOW), config(), now=NOW)
    assert refused.value.code == attack.code, refused.value.detail
