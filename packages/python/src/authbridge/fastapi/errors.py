"""The answers to a refused token: 401 with the RFC 6750 challenge and `{"code", "message"}`.

The codes are the contract's (docs/jwt-contract.md "The verifier's rules" in the authbridge
repository) plus the session check's, and the step-up's INSUFFICIENT_USER_AUTHENTICATION (RFC
9470: a good token whose sign-in is too old or too weak for the route, answered with the
challenge that says what would do: `max_age`, `acr_values`). The body never says more than the
code: the reason goes to the log (authbridge.fastapi.dependencies), never the token.
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
    INSUFFICIENT_USER_AUTHENTICATION = "INSUFFICIENT_USER_AUTHENTICATION"


AUTH_MESSAGES: dict[AuthErrorCode, str] = {
    AuthErrorCode.MISSING_TOKEN: "Authentication required: send Authorization: Bearer <token>",
    AuthErrorCode.MALFORMED_TOKEN: "The token is malformed",
    AuthErrorCode.INVALID_SIGNATURE: "The token signature is invalid",
    AuthErrorCode.TOKEN_EXPIRED: "The token has expired",
    AuthErrorCode.INVALID_CLAIMS: "The token is not valid for this service",
    AuthErrorCode.TOKEN_REVOKED: "The session behind this token has ended",
    AuthErrorCode.EMAIL_NOT_VERIFIED: "The account's email address is not verified yet",
    AuthErrorCode.INSUFFICIENT_USER_AUTHENTICATION: (
        "Confirm it's you: this needs a more recent or stronger sign-in"
    ),
}

# RFC 9470 §3: the error of the step-up challenge, and the acr_values it names when a second
# factor is what is missing (an authentication context of this contract, docs/security.md
# "Step-up" in the authbridge repository).
STEP_UP_ERROR = "insufficient_user_authentication"
MFA_ACR = "mfa"


class ErrorBody(BaseModel):
    code: str
    message: str


# Declared on routes so that the OpenAPI document shows the refusal.
AUTH_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody, "description": "Missing, invalid, expired or revoked token"},
}
# The same for a route behind AuthBridge.require_auth(...): the step-up's 401 too.
STEP_UP_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {
        "model": ErrorBody,
        "description": "Missing, invalid, expired or revoked token; or "
        "INSUFFICIENT_USER_AUTHENTICATION (RFC 9470): the sign-in is older than the route's "
        "max_age, or the user has a second factor and the sign-in did not use it. The challenge "
        "says what would do: WWW-Authenticate: Bearer "
        'error="insufficient_user_authentication", error_description="...", max_age=<seconds>'
        '[, acr_values="mfa"]',
        "headers": {
            "WWW-Authenticate": {
                "description": "The RFC 6750 / RFC 9470 challenge",
                "schema": {"type": "string"},
            }
        },
    },
}


class AuthError(Exception):
    """A refused request: rendered by auth_error_handler as a 401 with its challenge."""

    status = 401

    def __init__(self, code: AuthErrorCode) -> None:
        super().__init__(code.value)
        self.code = code
        self.headers = {"WWW-Authenticate": challenge(code)}


class StepUpRequired(AuthError):
    """A good token whose sign-in does not meet the route's requirement (RFC 9470): too old
    (`max_age` set) and/or without the second factor the user has (`mfa`)."""

    def __init__(self, *, max_age: int | None, too_old: bool, needs_mfa: bool) -> None:
        super().__init__(AuthErrorCode.INSUFFICIENT_USER_AUTHENTICATION)
        self.max_age = max_age
        self.too_old = too_old
        self.needs_mfa = needs_mfa
        self.headers = {
            "WWW-Authenticate": step_up_challenge(
                max_age=max_age, too_old=too_old, needs_mfa=needs_mfa
            )
        }


def step_up_challenge(*, max_age: int | None, too_old: bool, needs_mfa: bool) -> str:
    """RFC 9470 §3: `insufficient_user_authentication`, a description of what is missing, the
    route's `max_age` when it has one and `acr_values` when a second factor is missing."""
    if too_old and needs_mfa:
        description = "A more recent sign-in with a second factor is required"
    elif needs_mfa:
        description = "A sign-in with a second factor is required"
    else:
        description = "A more recent sign-in is required"
    params = [f'error="{STEP_UP_ERROR}"', f'error_description="{description}"']
    if max_age is not None:
        params.append(f"max_age={max_age}")
    if needs_mfa:
        params.append(f'acr_values="{MFA_ACR}"')
    return "Bearer " + ", ".join(params)


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
