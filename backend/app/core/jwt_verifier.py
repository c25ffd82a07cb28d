"""THE verifier of the frontend's backend token: pure, no FastAPI, no database, no clock.

Contract: docs/jwt-contract.md. One public function,
`verify_backend_token`, made of small named checks; any failure raises `TokenRefused`.

The HS256 signature is checked by PyJWT's own JWS algorithm (`jwt.algorithms.HMACAlgorithm`), with
the key prepared once per `JwtConfig`. The token is parsed once, here, and the claims are ours:
`jwt.decode` would re-read the header, re-prepare the key and decode each segment again on every
call, several times the cost of the cryptography (docs/benchmarks.md "a."). The algorithm is
pinned in code, never taken from the token.
"""

import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any

from jwt.algorithms import HMACAlgorithm

ALGORITHM = "HS256"  # fixed in code, never read from the token (RFC 8725 §2.1)
_HS256 = HMACAlgorithm(HMACAlgorithm.SHA256)  # PyJWT's HS256; compares with hmac.compare_digest
TOKEN_TYPE = "at+jwt"  # sets it apart from Better Auth's own session_data JWT (RFC 8725 §3.12)
ALLOWED_HEADER_PARAMS = frozenset({"alg", "typ"})  # kid, jku, crit, ... are refused, never used
REQUIRED_CLAIMS = ("iss", "sub", "aud", "iat", "exp", "jti", "sid")
LEEWAY_SECONDS = 30
MAX_TOKEN_BYTES = 8 * 1024
MAX_ID_LENGTH = 255
SIGNATURE_BYTES = 32  # HMAC-SHA256
_SHAPE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")  # header.payload.signature
_URLSAFE_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
_PADDING = (b"", b"", b"==", b"=")  # by length % 4 (1 is never valid base64)
_UNUSED_LOW_BITS = (0, 0, 0b1111, 0b11)  # of the last character, by length % 4: must be zero
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
# Header segments that passed the header checks: the frontend signs every token with the same
# header, so its checks run once per process, not once per request. Bounded: a flood of distinct
# (valid-looking) headers only ever costs the checks themselves.
_CHECKED_HEADERS: dict[str, None] = {}
_CHECKED_HEADERS_MAX = 16


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
    # BETTER_AUTH_SECRET_PREVIOUS during a rotation window: tokens signed with it still verify
    # (docs/operations.md "Rotating BETTER_AUTH_SECRET"); the frontend signs with `key` only.
    previous_keys: tuple[bytes, ...] = ()
    # Prepared once by PyJWT (which also refuses a PEM or JWK-looking secret), not on every call.
    _prepared_key: bytes = field(init=False, repr=False, compare=False)
    _prepared_previous: tuple[bytes, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.key or not all(self.previous_keys):
            raise ValueError("the HMAC key must not be empty")
        object.__setattr__(self, "_prepared_key", _HS256.prepare_key(self.key))
        prepared = tuple(_HS256.prepare_key(k) for k in self.previous_keys)
        object.__setattr__(self, "_prepared_previous", prepared)


@dataclass(frozen=True, slots=True)
class TokenClaims:
    sub: str
    sid: str
    jti: str
    iat: int
    exp: int


def verify_backend_token(token: str, cfg: JwtConfig, now: float) -> TokenClaims:
    # The first failing check names the refusal (order shared with contracts/jwt/README.md).
    header_b64, payload_b64, signature_b64 = _split(token)
    _check_header(header_b64)  # before any key is used: alg HS256, no other params, typ at+jwt
    signature = _read_signature(signature_b64)
    payload = _decode_segment(payload_b64, "payload")
    _check_mac(cfg, token[: len(header_b64) + 1 + len(payload_b64)], signature)
    claims = _read_claims(payload)  # a JSON object with every required claim, none null
    _check_claim_types(claims)
    _check_not_expired(claims, now)
    _check_issuer_and_audience(claims, cfg)
    _check_lifetime(claims, cfg)
    _check_not_from_the_future(claims, now)
    return TokenClaims(claims["sub"], claims["sid"], claims["jti"], claims["iat"], claims["exp"])


def _malformed(detail: str) -> TokenRefused:
    return TokenRefused(RefusalCode.MALFORMED_TOKEN, detail)


def _invalid_claims(detail: str) -> TokenRefused:
    return TokenRefused(RefusalCode.INVALID_CLAIMS, detail)


def _split(token: str) -> tuple[str, str, str]:
    if not isinstance(token, str) or not token.isascii():
        raise _malformed("token is not ASCII text")
    if len(token) > MAX_TOKEN_BYTES:
        raise _malformed(f"token is {len(token)} bytes, limit {MAX_TOKEN_BYTES}")
    segments = token.split(".")
    if len(segments) != 3:
        raise _malformed(f"token has {len(segments)} segments, a JWS has 3")
    if _SHAPE.fullmatch(token) is None:
        raise _malformed("a segment is empty or not unpadded base64url")
    return segments[0], segments[1], segments[2]


def _decode_segment(encoded: str, name: str) -> bytes:
    """Canonical unpadded base64url only: one encoding per byte string (no stray low bits)."""
    rest = len(encoded) % 4
    try:
        raw = binascii.a2b_base64(
            encoded.encode("ascii").translate(_URLSAFE_TO_STANDARD) + _PADDING[rest],
            strict_mode=True,
        )
    except (binascii.Error, UnicodeEncodeError):
        raise _malformed(f"{name} is not base64url") from None
    if rest and _ALPHABET.index(encoded[-1]) & _UNUSED_LOW_BITS[rest]:
        raise _malformed(f"{name} is not canonical base64url")
    return raw


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate member name")  # parsers disagree on which one wins
    return dict(pairs)


def _check_header(encoded: str) -> None:
    if encoded in _CHECKED_HEADERS:
        return
    raw = _decode_segment(encoded, "header")
    try:
        header = json.loads(raw, object_pairs_hook=_reject_duplicate_keys)
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
    if len(_CHECKED_HEADERS) >= _CHECKED_HEADERS_MAX:
        _CHECKED_HEADERS.clear()
    _CHECKED_HEADERS[encoded] = None


def _read_signature(encoded: str) -> bytes:
    # An HS256 MAC is 32 bytes in canonical base64url: anything else (empty, truncated,
    # stray bits) can never match, so it is a bad signature rather than a bad shape.
    try:
        raw = _decode_segment(encoded, "signature")
    except TokenRefused:
        raw = b""
    if len(raw) != SIGNATURE_BYTES:
        raise TokenRefused(
            RefusalCode.INVALID_SIGNATURE, f"signature is not {SIGNATURE_BYTES} bytes"
        )
    return raw


def _check_mac(cfg: JwtConfig, signing_input: str, signature: bytes) -> None:
    data = signing_input.encode("ascii")
    if _HS256.verify(data, cfg._prepared_key, signature):
        return
    # Only during a rotation window: a token issued before it, signed with the previous secret.
    if any(_HS256.verify(data, key, signature) for key in cfg._prepared_previous):
        return
    raise TokenRefused(RefusalCode.INVALID_SIGNATURE, "signature does not match")


def _read_claims(payload: bytes) -> dict[str, Any]:
    try:
        claims = json.loads(payload)  # bytes: UTF-8 (or a UTF-16/32 BOM), as RFC 8259 reads
    except (ValueError, RecursionError) as exc:
        raise _malformed(f"payload is not JSON: {type(exc).__name__}") from None
    if not isinstance(claims, dict):
        raise _malformed("payload is not a JSON object")
    for name in REQUIRED_CLAIMS:
        if claims.get(name) is None:  # null counts as missing
            raise _malformed(f"missing claim {name!r}")
    return claims


def _is_int(value: object) -> bool:
    return type(value) is int  # not bool, not float


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
