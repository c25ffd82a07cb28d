"""THE verifier of the frontend's backend token: pure, no FastAPI, no database, no clock.

Contract: docs/jwt-contract.md. One public function,
`verify_backend_token`, made of small named checks; any failure raises `TokenRefused`.
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

import jwt

ALGORITHM = "HS256"  # fixed in code, never read from the token (RFC 8725 §2.1)
TOKEN_TYPE = "at+jwt"  # sets it apart from Better Auth's own session_data JWT (RFC 8725 §3.12)
ALLOWED_HEADER_PARAMS = frozenset({"alg", "typ"})  # kid, jku, crit, ... are refused, never used
REQUIRED_CLAIMS = ("iss", "sub", "aud", "iat", "exp", "jti", "sid")
LEEWAY_SECONDS = 30
MAX_TOKEN_BYTES = 8 * 1024
MAX_ID_LENGTH = 255
SIGNATURE_BYTES = 32  # HMAC-SHA256
_SEGMENT = re.compile(r"[A-Za-z0-9_-]*")


class RefusalCode:
    """The coarse reasons sent to clients, the same strings as app/core/errors.py's ErrorCode;
    docs/jwt-contract.md "The verifier's rules" says which rule answers which."""

    MALFORMED_TOKEN = "MALFORMED_TOKEN"  # shape, encoding, size, header params, claim types
    INVALID_SIGNATURE = "INVALID_SIGNATURE"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    INVALID_CLAIMS = "INVALID_CLAIMS"  # iss, aud, typ, lifetime, iat/nbf in the future


class TokenRefused(Exception):
    """`code` goes on the wire; `detail` goes to the log only."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class JwtConfig:
    key: bytes  # UTF-8 bytes of BETTER_AUTH_SECRET
    issuer: str
    audience: str
    lifetime_seconds: int


@dataclass(frozen=True)
class TokenClaims:
    sub: str
    sid: str
    jti: str
    iat: int
    exp: int


def verify_backend_token(token: str, cfg: JwtConfig, now: float) -> TokenClaims:
    # The first failing check names the refusal (order shared with contracts/jwt/README.md).
    _check_size_and_shape(token)
    header = _read_header(token)  # before any key is used: alg HS256, no other params
    _check_token_type(header)  # at+jwt: Better Auth's own session_data JWT stops here
    _check_signature_length(token)
    claims = _decode_pinned(token, cfg)  # PyJWT: HS256 signature, required claims present
    _check_claim_types(claims)
    _check_not_expired(claims, now)
    _check_issuer_and_audience(claims, cfg)
    _check_lifetime(claims, cfg)
    _check_not_from_the_future(claims, now)
    return TokenClaims(
        sub=claims["sub"],
        sid=claims["sid"],
        jti=claims["jti"],
        iat=claims["iat"],
        exp=claims["exp"],
    )


def _malformed(detail: str) -> TokenRefused:
    return TokenRefused(RefusalCode.MALFORMED_TOKEN, detail)


def _invalid_claims(detail: str) -> TokenRefused:
    return TokenRefused(RefusalCode.INVALID_CLAIMS, detail)


def _check_size_and_shape(token: str) -> None:
    if not isinstance(token, str) or not token.isascii():
        raise _malformed("token is not ASCII text")
    if len(token) > MAX_TOKEN_BYTES:
        raise _malformed(f"token is {len(token)} bytes, limit {MAX_TOKEN_BYTES}")
    segments = token.split(".")
    if len(segments) != 3:
        raise _malformed(f"token has {len(segments)} segments, a JWS has 3")
    if not all(_SEGMENT.fullmatch(s) for s in segments) or not segments[0] or not segments[1]:
        raise _malformed("a segment is empty or not unpadded base64url")


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate member name")  # parsers disagree on which one wins
    return dict(pairs)


def _read_header(token: str) -> dict[str, Any]:
    encoded = token.split(".", 1)[0]
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        header = json.loads(raw, object_pairs_hook=_reject_duplicate_keys)
    except (binascii.Error, ValueError, RecursionError) as exc:
        raise _malformed(f"header is not base64url JSON: {type(exc).__name__}") from None
    if not isinstance(header, dict):
        raise _malformed("header is not a JSON object")
    unknown = sorted(set(header) - ALLOWED_HEADER_PARAMS)
    if unknown:
        raise _malformed(f"header parameters not allowed: {unknown[:5]}")
    if header.get("alg") != ALGORITHM:
        raise _malformed(f"alg {str(header.get('alg'))[:20]!r} is not {ALGORITHM}")
    return header


def _check_signature_length(token: str) -> None:
    # An HS256 MAC is 32 bytes in canonical base64url: anything else (empty, truncated,
    # stray bits) can never match, so it is a bad signature rather than a bad shape.
    encoded = token.rsplit(".", 1)[1]
    raw = (
        base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        if len(encoded) % 4 != 1
        else b""
    )
    if len(raw) != SIGNATURE_BYTES or _b64url(raw) != encoded:
        raise TokenRefused(
            RefusalCode.INVALID_SIGNATURE, f"signature is not {SIGNATURE_BYTES} bytes"
        )


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode_pinned(token: str, cfg: JwtConfig) -> dict[str, Any]:
    try:
        claims = jwt.decode(
            token,
            key=cfg.key,
            algorithms=[ALGORITHM],
            # Time checks are ours (they use the `now` we are given); PyJWT does the
            # signature and the presence of every required claim (null counts as missing).
            options={
                "require": list(REQUIRED_CLAIMS),
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
                "verify_iss": False,
                "verify_aud": False,
                "verify_sub": False,
                "verify_jti": False,
            },
        )
    except jwt.InvalidSignatureError:
        raise TokenRefused(RefusalCode.INVALID_SIGNATURE, "signature does not match") from None
    except jwt.MissingRequiredClaimError as exc:
        raise _malformed(f"missing claim {exc.claim!r}") from None
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise _malformed(f"undecodable: {type(exc).__name__}") from None
    if not isinstance(claims, dict):
        raise _malformed("payload is not a JSON object")
    return claims


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_claim_types(claims: dict[str, Any]) -> None:
    for name in ("exp", "iat"):
        if not _is_int(claims[name]):
            raise _malformed(f"{name} is {type(claims[name]).__name__}, not an integer")
    if "nbf" in claims and not _is_int(claims["nbf"]):
        raise _malformed("nbf is not an integer")
    for name in ("sub", "sid", "jti"):
        value = claims[name]
        if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
            raise _malformed(f"{name} is not a non-empty string of at most {MAX_ID_LENGTH}")
    for name in ("iss", "aud"):
        if not isinstance(claims[name], str):
            raise _malformed(f"{name} is {type(claims[name]).__name__}, not a string")


def _check_token_type(header: dict[str, Any]) -> None:
    typ = header.get("typ")
    if not isinstance(typ, str) or typ.lower() != TOKEN_TYPE:
        raise _invalid_claims(f"typ {str(typ)[:20]!r} is not {TOKEN_TYPE}")


def _check_issuer_and_audience(claims: dict[str, Any], cfg: JwtConfig) -> None:
    if claims["iss"] != cfg.issuer:
        raise _invalid_claims("iss does not match")
    if claims["aud"] != cfg.audience:
        raise _invalid_claims("aud does not match")


def _check_not_expired(claims: dict[str, Any], now: float) -> None:
    if claims["exp"] <= now - LEEWAY_SECONDS:
        # int arithmetic: a huge exp must not overflow a float (1e400 is refused as a type)
        raise TokenRefused(RefusalCode.TOKEN_EXPIRED, f"expired {int(now) - claims['exp']}s ago")


def _check_lifetime(claims: dict[str, Any], cfg: JwtConfig) -> None:
    lifetime = claims["exp"] - claims["iat"]
    if not 0 < lifetime <= cfg.lifetime_seconds:
        raise _invalid_claims(f"lifetime {lifetime}s outside (0, {cfg.lifetime_seconds}]")


def _check_not_from_the_future(claims: dict[str, Any], now: float) -> None:
    for name in ("iat", "nbf"):
        if name in claims and claims[name] > now + LEEWAY_SECONDS:
            raise _invalid_claims(f"{name} is {claims[name] - int(now)}s in the future")
