"""How the backend's tests and benchmarks mint backend tokens (twin: contracts/jwt/test-tokens.ts).

`mint` writes any header and payload with any key (or none); for the contract's claims and header it
writes the frontend issuer's exact bytes: compact JSON, claims in contract order, UTF-8 as is (not
\\u-escaped), HMAC-SHA256 over the UTF-8 secret. tests/contracts/test_jwt_vectors.py proves it on
every valid case of contracts/jwt/vectors.json (packages/python/tests/test_jwt_vectors.py proves
its twin there byte for byte). It shares no code with the verifier (packages/python's
authbridge.jwt_verifier), so one bug cannot hide on both sides.
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
from typing import Any

from authbridge import JwtConfig

HEADER = {"alg": "HS256", "typ": "at+jwt"}  # key order is the wire order (docs/jwt-contract.md)
NOW = 1_800_000_000  # a fixed clock for unit tests
ISSUER = "authbridge-frontend"
AUDIENCE = "authbridge-backend"
LIFETIME = 2_592_000

_DIGESTS = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def b64url(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def json_text(value: object) -> str:
    """JSON as JavaScript's JSON.stringify writes it (what the issuer signs)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def new_jti() -> str:
    """128 random bits, base64url, as the issuer makes a jti."""
    return b64url(secrets.token_bytes(16))


def mint(
    payload: dict | str,
    key: bytes | None,
    header: dict | str = HEADER,
    mac: str = "HS256",
) -> str:
    """base64url(header).base64url(payload).MAC; a str part is raw JSON text, used as is;
    key None leaves the signature segment empty."""
    encode = lambda part: b64url(part if isinstance(part, str) else json_text(part))  # noqa: E731
    signing_input = f"{encode(header)}.{encode(payload)}"
    if key is None:
        return f"{signing_input}."
    signature = hmac.new(key, signing_input.encode(), _DIGESTS[mac]).digest()
    return f"{signing_input}.{b64url(signature)}"


def contract_claims(
    cfg: JwtConfig, sub: str, sid: str, iat: int, jti: str | None = None, **extra: Any
) -> dict:
    """The claims the issuer writes, in contract order; `extra` replaces or adds claims."""
    claims = {
        "iss": cfg.issuer,
        "sub": sub,
        "aud": cfg.audience,
        "iat": iat,
        "exp": iat + cfg.lifetime_seconds,
        "jti": jti or new_jti(),
        "sid": sid,
    }
    claims.update(extra)
    return claims


def issue(
    cfg: JwtConfig,
    sub: str,
    sid: str,
    iat: int,
    jti: str | None = None,
    *,
    amr: list[str] | None = None,
    auth_time: int | None = None,
) -> str:
    """A token exactly as the frontend's issuer writes it for this configuration; amr and
    auth_time (after sid, in that order) only when given, as the issuer writes them only for a
    session that has them."""
    optional: dict[str, Any] = {}
    if amr is not None:
        optional["amr"] = amr
    if auth_time is not None:
        optional["auth_time"] = auth_time
    return mint(contract_claims(cfg, sub, sid, iat, jti, **optional), cfg.key)


# The test suite's defaults: the environment's secret and settings.


def secret_for_tests() -> str:
    return os.environ.get("BETTER_AUTH_SECRET") or "unit-test-secret-of-more-than-32-bytes-0123"


def config(secret: str | None = None) -> JwtConfig:
    return JwtConfig(
        key=(secret or secret_for_tests()).encode(),
        issuer=os.environ.get("BACKEND_JWT_ISSUER", ISSUER),
        audience=os.environ.get("BACKEND_JWT_AUDIENCE", AUDIENCE),
        lifetime_seconds=int(os.environ.get("BACKEND_JWT_LIFETIME_SECONDS", LIFETIME)),
    )


def claims_for(sub: str = "user-1", sid: str = "session-1", iat: int = NOW, **extra: Any) -> dict:
    return contract_claims(config(), sub, sid, iat, **extra)


def sign(claims: dict, secret: str | None = None) -> str:
    """These claims under the contract's header, signed with `secret` (default: the test secret)."""
    return mint(claims, (secret or secret_for_tests()).encode())
