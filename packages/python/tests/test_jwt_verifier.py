"""The pure verifier: behaviour the contract vectors do not pin down (fixed clock).

Every case of contracts/jwt/vectors.json runs in test_jwt_vectors.py."""

import pytest

from authbridge.jwt_verifier import (
    LEEWAY_SECONDS,
    MAX_TOKEN_BYTES,
    JwtConfig,
    TokenClaims,
    TokenRefused,
    verify_backend_token,
)
from tests import contract_vectors, tokens
from tests.tokens import NOW, claims_for, config, sign


def refusal(token: str, cfg: JwtConfig | None = None) -> TokenRefused:
    with pytest.raises(TokenRefused) as refused:
        verify_backend_token(token, cfg or config(), now=NOW)
    return refused.value


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


# PyJWT's decode checks iss and aud; its refusals keep the contract's codes
# (docs/jwt-contract.md "The verifier's rules", rule 4).


@pytest.mark.parametrize("iss", [7, None, ["authbridge-frontend"]], ids=["number", "null", "list"])
def test_an_issuer_that_is_not_the_configured_string_is_refused_by_pyjwt(iss: object) -> None:
    refused = refusal(sign(claims_for(iss=iss)))
    if iss is None:  # null counts as missing: a required claim
        assert (refused.code, refused.detail) == (
            "MALFORMED_TOKEN",
            'MissingRequiredClaimError: Token is missing the "iss" claim',
        )
    else:
        assert refused.code == "INVALID_CLAIMS"
        assert refused.detail.startswith("InvalidIssuerError: ")


@pytest.mark.parametrize(
    ("aud", "code"),
    [
        (["someone-else"], "INVALID_CLAIMS"),  # PyJWT: no listed audience is ours
        ([tokens.AUDIENCE, "someone-else"], "MALFORMED_TOKEN"),  # ours: one string, not a list
        (42, "INVALID_CLAIMS"),
        ("", "MALFORMED_TOKEN"),  # PyJWT reads an empty aud as a missing one
    ],
    ids=["list-without-ours", "list-with-ours", "number", "empty"],
)
def test_an_audience_other_than_the_configured_string_is_refused(aud: object, code: str) -> None:
    assert refusal(sign(claims_for(aud=aud))).code == code


@pytest.mark.parametrize("jti", [7, "", "j" * 256], ids=["number", "empty", "256-chars"])
def test_a_jti_that_is_not_a_short_non_empty_string_is_malformed(jti: object) -> None:
    claims = {**claims_for(), "jti": jti}  # claims_for(jti="") would draw a fresh one
    assert refusal(sign(claims)).code == "MALFORMED_TOKEN"


def test_a_token_signed_with_the_previous_secret_still_gets_its_claims_checked() -> None:
    previous = "the-secret-before-the-rotation-0123456789"
    cfg = JwtConfig(
        key=config().key,
        issuer=tokens.ISSUER,
        audience=tokens.AUDIENCE,
        lifetime_seconds=tokens.LIFETIME,
        previous_keys=(previous.encode(),),
    )
    assert verify_backend_token(sign(claims_for(), secret=previous), cfg, now=NOW).sub == "user-1"
    assert refusal(sign(claims_for(iss="evil"), secret=previous), cfg).code == "INVALID_CLAIMS"
    assert refusal(sign(claims_for(), secret="x" * 48), cfg).code == "INVALID_SIGNATURE"


def test_a_refused_header_is_refused_again_on_every_call() -> None:
    """The header check runs once per distinct header it accepts; a refusal is never remembered."""
    token = tokens.mint(claims_for(), config().key, header={"alg": "HS256", "typ": "JWT"})
    assert [refusal(token).code for _ in range(3)] == ["INVALID_CLAIMS"] * 3
    assert verify_backend_token(sign(claims_for()), config(), now=NOW).sub == "user-1"


# How and when the user signed in: amr (RFC 8176) and auth_time, optional claims after sid.


def test_amr_and_auth_time_are_read_when_the_token_carries_them() -> None:
    claims = claims_for(amr=["pwd", "otp", "mfa"], auth_time=NOW - 90)
    verified = verify_backend_token(sign(claims), config(), now=NOW)
    assert (verified.amr, verified.auth_time) == (("pwd", "otp", "mfa"), NOW - 90)
    assert (verified.methods, verified.authenticated_at) == (("pwd", "otp", "mfa"), NOW - 90)


def test_a_token_without_them_counts_as_a_password_sign_in_at_its_iat() -> None:
    verified = verify_backend_token(sign(claims_for(iat=NOW - 500)), config(), now=NOW)
    assert (verified.amr, verified.auth_time) == (None, None)
    assert (verified.methods, verified.authenticated_at) == (("pwd",), NOW - 500)
    assert TokenClaims("u", "s", "j", 1, 2).methods == ("pwd",)  # the defaults


@pytest.mark.parametrize(
    "amr",
    [[], ["pwd"], ["a" * 32], ["pwd", "otp", "mfa", "hwk", "user", "fed", "sms", "swk"]],
    ids=["empty", "one", "32-chars", "eight"],
)
def test_an_amr_of_at_most_8_short_strings_is_accepted(amr: list[str]) -> None:
    verified = verify_backend_token(sign(claims_for(amr=amr)), config(), now=NOW)
    assert verified.amr == tuple(amr)


@pytest.mark.parametrize(
    "amr",
    [
        "pwd",
        {"0": "pwd"},
        None,
        7,
        [7],
        [""],
        ["a" * 33],
        ["pwd", None],
        ["m"] * 9,
        [["pwd"]],
    ],
    ids=[
        "string",
        "object",
        "null",
        "number",
        "list-of-number",
        "empty-string",
        "33-chars",
        "list-with-null",
        "nine",
        "nested",
    ],
)
def test_an_amr_that_is_not_a_list_of_at_most_8_short_strings_is_malformed(amr: object) -> None:
    refused = refusal(sign(claims_for(amr=amr)))
    assert refused.code == "MALFORMED_TOKEN"
    assert refused.detail == "amr is not a list of at most 8 strings of 1 to 32"


@pytest.mark.parametrize(
    "auth_time",
    [str(NOW), float(NOW), True, None, [NOW]],
    ids=["string", "float", "boolean", "null", "list"],
)
def test_an_auth_time_that_is_not_an_integer_is_malformed(auth_time: object) -> None:
    refused = refusal(sign(claims_for(auth_time=auth_time)))
    assert refused.code == "MALFORMED_TOKEN"
    assert refused.detail.startswith("auth_time is ")


def test_an_auth_time_up_to_the_leeway_after_iat_is_accepted_and_later_is_refused() -> None:
    ok = claims_for(iat=NOW - 100, auth_time=NOW - 100 + LEEWAY_SECONDS)
    assert verify_backend_token(sign(ok), config(), now=NOW).auth_time == NOW - 70
    refused = refusal(sign(claims_for(iat=NOW - 100, auth_time=NOW - 100 + LEEWAY_SECONDS + 1)))
    assert (refused.code, refused.detail) == ("INVALID_CLAIMS", "auth_time is 31s after iat")


def test_an_auth_time_in_the_future_is_refused_even_when_iat_is_too() -> None:
    # iat within the leeway ahead, auth_time = iat + leeway: beyond now + leeway.
    claims = claims_for(iat=NOW + LEEWAY_SECONDS, auth_time=NOW + 2 * LEEWAY_SECONDS)
    refused = refusal(sign(claims))
    assert (refused.code, refused.detail) == ("INVALID_CLAIMS", "auth_time is 60s in the future")


def test_an_old_auth_time_is_accepted_whatever_its_age() -> None:
    """Age is the step-up's business (authbridge.fastapi require_auth), not the verifier's."""
    claims = claims_for(auth_time=0)
    assert verify_backend_token(sign(claims), config(), now=NOW).auth_time == 0
