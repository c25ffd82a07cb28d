"""Test helpers that make tokens: `sign` follows the contract (PyJWT), `forge` builds anything."""

import base64
import hashlib
import hmac
import json
import os
import secrets
from typing import Any

import jwt

from app.core.jwt_verifier import JwtConfig

NOW = 1_800_000_000  # a fixed clock for unit tests
ISSUER = "authbridge-frontend"
AUDIENCE = "authbridge-backend"
LIFETIME = 2_592_000


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
    cfg = config()
    claims = {
        "iss": cfg.issuer,
        "sub": sub,
        "aud": cfg.audience,
        "iat": iat,
        "exp": iat + cfg.lifetime_seconds,
        "jti": base64.urlsafe_b64encode(secrets.token_bytes(16)).rstrip(b"=").decode(),
        "sid": sid,
    }
    claims.update(extra)
    return claims


def sign(claims: dict, secret: str | None = None) -> str:
    """A token exactly as the frontend issues it (header alg HS256, typ at+jwt)."""
    return jwt.encode(
        claims,
        (secret or secret_for_tests()).encode(),
        algorithm="HS256",
        headers={"typ": "at+jwt"},
    )


def b64url(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def forge(header: dict | str, payload: dict | str, key: bytes | None = None) -> str:
    """Any header/payload (raw JSON text allowed), HMAC-SHA256-signed with `key` if given."""
    encode = lambda part: b64url(part if isinstance(part, str) else json.dumps(part))  # noqa: E731
    signing_input = f"{encode(header)}.{encode(payload)}"
    signature = b""
    if key is not None:
        signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"
