"""Encoding and HMAC around PyJWT's decode: canonical base64url only (one spelling per byte string,
a second spelling of the MAC is a bad signature), and never more lenient than a bare `jwt.decode`
on any one-character change of a real token."""

import hashlib
import hmac
import json
import string

import jwt
import pytest

from authbridge.jwt_verifier import (
    REQUIRED_CLAIMS,
    JwtConfig,
    TokenRefused,
    verify_backend_token,
)
from tests import tokens
from tests.tokens import NOW, b64url, claims_for, config

HEADER = b64url(json.dumps({"alg": "HS256", "typ": "at+jwt"}, separators=(",", ":")))
ALPHABET = string.ascii_letters + string.digits + "-_"


def signed(header_b64: str, payload_b64: str, key: bytes | None = None) -> str:
    signing_input = f"{header_b64}.{payload_b64}"
    mac = hmac.new(key or config().key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def with_stray_bits(encoded: str) -> str:
    """The same bytes, spelled with non-zero unused low bits in the last character."""
    assert len(encoded) % 4 in (2, 3), "needs a partial last group"
    last = ALPHABET.index(encoded[-1])
    return encoded[:-1] + ALPHABET[last | 1]


def refusal(token: str, cfg: JwtConfig | None = None) -> str:
    with pytest.raises(TokenRefused) as refused:
        verify_backend_token(token, cfg or config(), now=NOW)
    return refused.value.code


def payload_of_partial_length() -> str:
    for pad in range(3):
        encoded = b64url(json.dumps(claims_for(x="y" * pad)))
        if len(encoded) % 4 in (2, 3):
            return encoded
    raise AssertionError("unreachable: three consecutive lengths cover every remainder")


def test_a_payload_spelled_with_stray_bits_is_malformed_even_when_the_mac_covers_it() -> None:
    payload = payload_of_partial_length()
    assert verify_backend_token(signed(HEADER, payload), config(), now=NOW).sub == "user-1"
    assert refusal(signed(HEADER, with_stray_bits(payload))) == "MALFORMED_TOKEN"


def test_a_header_spelled_with_stray_bits_is_malformed() -> None:
    header = b64url('{"alg":"HS256","typ":"at+jwt" }')  # a length with a partial last group
    assert len(header) % 4 in (2, 3)
    payload = b64url(json.dumps(claims_for()))
    assert verify_backend_token(signed(header, payload), config(), now=NOW).sub == "user-1"
    assert refusal(signed(with_stray_bits(header), payload)) == "MALFORMED_TOKEN"


def test_a_signature_spelled_with_stray_bits_is_an_invalid_signature() -> None:
    token = signed(HEADER, b64url(json.dumps(claims_for())))
    signing_input, signature = token.rsplit(".", 1)
    assert refusal(f"{signing_input}.{with_stray_bits(signature)}") == "INVALID_SIGNATURE"


def test_an_empty_hmac_key_is_refused_when_configured() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        JwtConfig(key=b"", issuer="i", audience="a", lifetime_seconds=60)


def test_each_configuration_gives_the_same_answer_on_every_call() -> None:
    cfg, other = config(), config(secret="another-secret-of-at-least-32-bytes-000")
    token = tokens.sign(claims_for())
    for _ in range(3):
        assert verify_backend_token(token, cfg, now=NOW).sub == "user-1"
        assert refusal(token, other) == "INVALID_SIGNATURE"


def pyjwt_accepts(token: str, cfg: JwtConfig) -> bool:
    try:
        jwt.decode(
            token,
            key=cfg.key,
            algorithms=["HS256"],
            options={"require": list(REQUIRED_CLAIMS), "verify_exp": False, "verify_aud": False},
        )
    except jwt.PyJWTError:
        return False
    return True


def test_no_one_character_change_of_a_real_token_is_accepted_unless_pyjwt_accepts_it_too() -> None:
    cfg = config()
    token = tokens.sign(claims_for(sub="user-9", sid="session-9"))
    accepted = 0
    for i in range(len(token)):
        for replacement in (".", "A", "_", "=", "é"):
            mutated = token[:i] + replacement + token[i + 1 :]
            if mutated == token:
                continue
            try:
                verify_backend_token(mutated, cfg, now=NOW)
            except TokenRefused:
                continue
            accepted += 1
            assert pyjwt_accepts(mutated, cfg), f"accepted a token PyJWT refuses (position {i})"
    # Only changes that decode to the very same bytes can survive the MAC: none here.
    assert accepted == 0
