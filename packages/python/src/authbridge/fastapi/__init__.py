"""authbridge for FastAPI (the `authbridge[fastapi]` extra): the current-user dependency with its
session check, the 401 answers with their WWW-Authenticate challenge, and a lifespan that starts
and stops the session listener."""

from authbridge.fastapi.dependencies import AuthBridge, token_fingerprint
from authbridge.fastapi.errors import (
    AUTH_MESSAGES,
    AUTH_RESPONSES,
    AuthError,
    AuthErrorCode,
    ErrorBody,
    auth_error_handler,
    challenge,
    install_auth_error_handler,
)
from authbridge.session_cache import SessionUser
from authbridge.session_check import ListenerProbe

__all__ = [
    "AUTH_MESSAGES",
    "AUTH_RESPONSES",
    "AuthBridge",
    "AuthError",
    "AuthErrorCode",
    "ErrorBody",
    "ListenerProbe",
    "SessionUser",
    "auth_error_handler",
    "challenge",
    "install_auth_error_handler",
    "token_fingerprint",
]
