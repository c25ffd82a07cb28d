"""THE verifier of the backend token that the Better Auth plugin issues (the contract:
docs/jwt-contract.md "The verifier's rules" in the authbridge repository): PyJWT's `jwt.decode`
with HS256 pinned, inside the contract's own small named checks. Pure: no web framework, no
database; the clock is an argument and the time checks are ours (PyJWT has none)."""

from __future__ import annotations

import base64
import functools
import json
import re
from dataclasses import dataclass
from typing import Any

import jwt
from jwt.types import Options

ALGORITHM = "HS256"  # fixed in code, never read from the token (RFC 8725 §2.1)
TOKEN_TYPE = "at+jwt"  # sets it apart from Better Auth's own session_data JWT (RFC 8725 §3.12)
ALLOWED_HEADER_PARAMS = frozenset({"alg", "typ"})  # kid, jku, crit, ... are refused, never used
REQUIRED_CLAIMS = ("iss", "sub", "aud", "iat", "exp", "jti", "sid")
# How and when the user proved a credential (RFC 8176 amr, OpenID Connect auth_time) are optional
# claims: a token issued before they existed has neither and counts as a password sign-in at its
# iat (_check_optional_claim_types below).
LEEWAY_SECONDS = 30
MAX_TOKEN_BYTES = 8 * 1024
MAX_ID_LENGTH = 255
MAX_METHODS = 8  # amr: at most this many method references ...
MAX_METHOD_LENGTH = 32  # ... of at most this many characters each
# What a token without amr stands for: the password sign-in, the only one there was before amr.
PASSWORD_ONLY = ("pwd",)
# PyJWT checks the MAC, the payload, the required claims (null counts as missing), iss and aud;
# exp, iat and nbf against the caller's clock below.
DECODE_OPTIONS: Options = {
    "require": list(REQUIRED_CLAIMS),
    "verify_exp": False,
    "verify_iat": False,
    "verify_nbf": False,
}
_SHAPE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")  # unpadded base64url x 3
_MAC = re.compile(r"[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]")  # 32 bytes; the 2 spare bits are zero


def verify_backend_token(token: str, cfg: JwtConfig, now: float) -> TokenClaims:
    # The first failing check names the refusal (docs/jwt-contract.md gives the order).
    _check_size_and_shape(token)
    _check_header(token.partition(".")[0])  # before any key is used: alg, no other params, typ
    _check_signature_encoding(token.rpartition(".")[2])
    claims = _decode(token, cfg)  # PyJWT: HS256 MAC, JSON object, required claims, iss, aud
    _check_claim_types(claims)
    _check_optional_claim_types(claims)
    _check_not_expired(claims, now)
    _check_lifetime(claims, cfg)
    _check_not_from_the_future(claims, now)
    _check_auth_time(claims, now)
    amr = claims.get("amr")
    return TokenClaims(
        claims["sub"],
        claims["sid"],
        claims["jti"],
        claims["iat"],
        claims["exp"],
        amr=None if amr is None else tuple(amr),
        auth_time=claims.get("auth_time"),
    )


class RefusalCode:
    """The coarse reasons sent to clients, the same strings as authbridge.fastapi's AuthErrorCode;
    docs/jwt-contract.md "The verifier's rules" says which rule answers which."""

    MALFORMED_TOKEN = "MALFORMED_TOKEN"  # shape, encoding, size, header params, claim types
    INVALID_SIGNATURE = "INVALID_SIGNATURE"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    # iss, aud, typ, lifetime, iat/nbf in the future, auth_time after iat or in the future
    INVALID_CLAIMS = "INVALID_CLAIMS"


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
    # BETTER_AUTH_SECRET_PREVIOUS during a rotation window: tokens signed with it still verify
    # (docs/operations.md "Rotating BETTER_AUTH_SECRET"); the frontend signs with `key` only.
    previous_keys: tuple[bytes, ...] = ()

    def __post_init__(self) -> None:
        if not self.key or not all(self.previous_keys):
            raise ValueError("the HMAC key must not be empty")


@dataclass(frozen=True, slots=True)
class TokenClaims:
    sub: str
    sid: str
    jti: str
    iat: int
    exp: int
    # RFC 8176 method references of the sign-in ("pwd", "fed", "otp", "hwk", "mfa", ...) and when
    # the user last proved a credential (unix seconds); None when the token does not carry them.
    amr: tuple[str, ...] | None = None
    auth_time: int | None = None

    @property
    def authenticated_at(self) -> int:
        """When the user last proved a credential: auth_time, else (an older token) its iat."""
        return self.iat if self.auth_time is None else self.auth_time

    @property
    def methods(self) -> tuple[str, ...]:
        """How: amr, else (an older token) a password sign-in."""
        return PASSWORD_ONLY if self.amr is None else self.amr


def _malformed(detail: str) -> TokenRefused:
    return TokenRefused(RefusalCode.MALFORMED_TOKEN, detail)


def _invalid_claims(detail: str) -> TokenRefused:
    return TokenRefused(RefusalCode.INVALID_CLAIMS, detail)


def _check_size_and_shape(token: str) -> None:
    if len(token) > MAX_TOKEN_BYTES:
        raise _malformed(f"token is {len(token)} bytes, limit {MAX_TOKEN_BYTES}")
    if _SHAPE.fullmatch(token) is None:  # also refuses padding and any non-ASCII character
        raise _malformed("not three unpadded base64url segments")


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({name for name, _ in pairs}) != len(pairs):
        raise ValueError("duplicate member name")  # parsers disagree on which one wins
    return dict(pairs)


# The frontend signs every token with the same header: checked once per process (a refusal is
# never cached; a flood of distinct valid headers only costs the check itself).
@functools.lru_cache(maxsize=16)
def _check_header(encoded: str) -> None:
    try:  # binascii.Error and UnicodeDecodeError are ValueErrors
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        header = json.loads(raw, object_pairs_hook=_unique_members)
    except (ValueError, RecursionError) as exc:
        raise _malformed(f"header is not JSON: {type(exc).__name__}") from None
    if not isinstance(header, dict):
        raise _malformed("header is not a JSON object")
    unknown = sorted(set(header) - ALLOWED_HEADER_PARAMS)
    if unknown:
        raise _malformed(f"header parameters not allowed: {unknown[:5]}")
    if header.get("alg") != ALGORITHM:
        raise _malformed(f"alg {str(header.get('alg'))[:20]!r} is not {ALGORITHM}")
    typ = header.get("typ")  # at+jwt: Better Auth's own session_data JWT stops here
    if not isinstance(typ, str) or typ.lower() != TOKEN_TYPE:
        raise _invalid_claims(f"typ {str(typ)[:20]!r} is not {TOKEN_TYPE}")


def _check_signature_encoding(encoded: str) -> None:
    # An HS256 MAC is 32 bytes in canonical base64url: anything else (empty, truncated, stray
    # bits) can never match, so it is a bad signature rather than a bad shape.
    if _MAC.fullmatch(encoded) is None:
        raise TokenRefused(RefusalCode.INVALID_SIGNATURE, "signature is not 32 bytes")


def _decode(token: str, cfg: JwtConfig) -> dict[str, Any]:
    # The previous key only during a rotation window: a token issued before it.
    for key in (cfg.key, *cfg.previous_keys):
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                options=DECODE_OPTIONS,
                issuer=cfg.issuer,
                audience=cfg.audience,
            )
        except jwt.InvalidSignatureError:
            continue
        except (jwt.InvalidIssuerError, jwt.InvalidAudienceError) as error:
            raise _invalid_claims(f"{type(error).__name__}: {error}") from None
        except jwt.PyJWTError as error:  # DecodeError, MissingRequiredClaimError, ...
            raise _malformed(f"{type(error).__name__}: {error}") from None
    raise TokenRefused(RefusalCode.INVALID_SIGNATURE, "signature does not match")


def _check_claim_types(claims: dict[str, Any]) -> None:
    for name in ("exp", "iat", "nbf"):
        if name in claims and type(claims[name]) is not int:  # not bool, not float
            raise _malformed(f"{name} is {type(claims[name]).__name__}, not an integer")
    for name in ("sub", "sid", "jti"):
        value = claims[name]
        if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
            raise _malformed(f"{name} is not a non-empty string of at most {MAX_ID_LENGTH}")
    if not isinstance(claims["aud"], str):  # PyJWT also takes a list holding the audience
        raise _malformed(f"aud is {type(claims['aud']).__name__}, not a string")


def _check_optional_claim_types(claims: dict[str, Any]) -> None:
    if "amr" in claims:
        amr = claims["amr"]
        if (
            not isinstance(amr, list)
            or len(amr) > MAX_METHODS
            or not all(isinstance(m, str) and 0 < len(m) <= MAX_METHOD_LENGTH for m in amr)
        ):
            raise _malformed(
                f"amr is not a list of at most {MAX_METHODS} strings of 1 to {MAX_METHOD_LENGTH}"
            )
    if "auth_time" in claims and type(claims["auth_time"]) is not int:  # not bool, not float
        raise _malformed(f"auth_time is {type(claims['auth_time']).__name__}, not an integer")


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


def _check_auth_time(claims: dict[str, Any], now: float) -> None:
    # The proof comes before the token that states it, and never from the future.
    if "auth_time" not in claims:
        return
    auth_time = claims["auth_time"]
    if auth_time > claims["iat"] + LEEWAY_SECONDS:
        raise _invalid_claims(f"auth_time is {auth_time - claims['iat']}s after iat")
    if auth_time > now + LEEWAY_SECONDS:
        raise _invalid_claims(f"auth_time is {auth_time - int(now)}s in the future")
