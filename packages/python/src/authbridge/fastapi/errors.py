"""The answers to a refused token: 401 with the RFC 6750 challenge and `{"code", "message"}`.

The codes are the contract's (docs/jwt-contract.md "The verifier's rules" in the authbridge
repository) plus the session check's. The body never says more than the code: the reason goes to
the log (authbridge.fastapi.dependencies), never the token.
"""

from __future__ import annotations

from enum import StrEnum

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class AuthErrorCode(StrEnum):
    MISSING_TOKEN = "MISSING_TOKEN"
    MALFORMED_TOKEN = "MALFORMED_TOKEN"
    INVALID_SIGNATURE = "INVALID_SIGNATURE"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    INVALID_CLAIMS = "INVALID_CLAIMS"
    TOKEN_REVOKED = "TOKEN_REVOKED"
    EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED"


AUTH_MESSAGES: dict[AuthErrorCode, str] = {
    AuthErrorCode.MISSING_TOKEN: "Authentication required: send Authorization: Bearer <token>",
    AuthErrorCode.MALFORMED_TOKEN: "The token is malformed",
    AuthErrorCode.INVALID_SIGNATURE: "The token signature is invalid",
    AuthErrorCode.TOKEN_EXPIRED: "The token has expired",
    AuthErrorCode.INVALID_CLAIMS: "The token is not valid for this service",
    AuthErrorCode.TOKEN_REVOKED: "The session behind this token has ended",
    AuthErrorCode.EMAIL_NOT_VERIFIED: "The account's email address is not verified yet",
}


class ErrorBody(BaseModel):
    code: str
    message: str


# Declared on routes so that the OpenAPI document shows the refusal.
AUTH_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody, "description": "Missing, invalid, expired or revoked token"},
}


class AuthError(Exception):
    """A refused request: rendered by auth_error_handler as a 401 with its challenge."""

    status = 401

    def __init__(self, code: AuthErrorCode) -> None:
        super().__init__(code.value)
        self.code = code
        self.headers = {"WWW-Authenticate": challenge(code)}


def challenge(code: AuthErrorCode) -> str:
    """RFC 6750 §3: a bare `Bearer` when no token came, else `invalid_token` with the code."""
    if code is AuthErrorCode.MISSING_TOKEN:
        return "Bearer"
    return f'Bearer error="invalid_token", error_description="{code.value}"'


async def auth_error_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AuthError)
    return JSONResponse(
        {"code": exc.code.value, "message": AUTH_MESSAGES[exc.code]},
        status_code=exc.status,
        headers=exc.headers,
    )


def install_auth_error_handler(app: FastAPI) -> None:
    app.add_exception_handler(AuthError, auth_error_handler)
