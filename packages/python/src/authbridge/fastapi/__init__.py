"""authbridge for FastAPI (the `authbridge[fastapi]` extra): the current-user dependency with its
session check, the step-up dependency (RFC 9470), the 401 answers with their WWW-Authenticate
challenge, and a lifespan that starts and stops the session listener."""

from authbridge.fastapi.dependencies import (
    AuthBridge,
    Authenticated,
    step_up_needed,
    token_fingerprint,
)
from authbridge.fastapi.errors import (
    AUTH_MESSAGES,
    AUTH_RESPONSES,
    MFA_ACR,
    STEP_UP_RESPONSES,
    AuthError,
    AuthErrorCode,
    ErrorBody,
    StepUpRequired,
    auth_error_handler,
    challenge,
    install_auth_error_handler,
    step_up_challenge,
)
from authbridge.session_cache import SessionUser
from authbridge.session_check import ListenerProbe

__all__ = [
    "AUTH_MESSAGES",
    "AUTH_RESPONSES",
    "MFA_ACR",
    "STEP_UP_RESPONSES",
    "AuthBridge",
    "AuthError",
    "AuthErrorCode",
    "Authenticated",
    "ErrorBody",
    "ListenerProbe",
    "SessionUser",
    "StepUpRequired",
    "auth_error_handler",
    "challenge",
    "install_auth_error_handler",
    "step_up_challenge",
    "step_up_needed",
    "token_fingerprint",
]
