"""The one error body of the backend, its codes, and the handlers that produce it.

Every 4xx/5xx is `{"code": "UPPER_SNAKE", "message": "..."}` (422 adds `fields`); each status's
codes are listed in docs/api.md "Errors". Never a stack trace, SQL, host or credential. The 401s
of a refused token (their codes, messages and WWW-Authenticate challenge) are packages/python's,
authbridge.fastapi's AuthError, in the same body, and so is the step-up's
INSUFFICIENT_USER_AUTHENTICATION (a route that needs a recent sign-in, with a second factor when
the user has one: RFC 9470, docs/security.md "Step-up"); the rest are this app's.
"""

import logging
from enum import StrEnum

from authbridge.fastapi import AUTH_RESPONSES as TOKEN_REFUSED_RESPONSE
from authbridge.fastapi import STEP_UP_RESPONSES as STEP_UP_REFUSED_RESPONSE
from authbridge.fastapi import AuthErrorCode, ErrorBody, install_auth_error_handler
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("authbridge.errors")

DATABASE_RETRY_AFTER_SECONDS = 5


class ErrorCode(StrEnum):
    TASK_NOT_FOUND = "TASK_NOT_FOUND"
    VALIDATION_ERROR = "VALIDATION_ERROR"
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    BAD_REQUEST = "BAD_REQUEST"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
    INTERNAL_ERROR = "INTERNAL_ERROR"


MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.TASK_NOT_FOUND: "Task not found",
    ErrorCode.VALIDATION_ERROR: "The request is invalid",
    ErrorCode.NOT_FOUND: "Not found",
    ErrorCode.METHOD_NOT_ALLOWED: "Method not allowed",
    ErrorCode.BAD_REQUEST: "Bad request",
    # app/http/body_limit.py names the configured limit instead ("… larger than 64 KiB.").
    ErrorCode.PAYLOAD_TOO_LARGE: "The request body is too large",
    ErrorCode.DATABASE_UNAVAILABLE: "The database is temporarily unavailable, retry shortly",
    ErrorCode.INTERNAL_ERROR: "Internal server error",
}


class FieldError(BaseModel):
    field: str
    message: str


class ValidationErrorBody(ErrorBody):
    fields: list[FieldError]


class AppError(Exception):
    """A request error: raised anywhere, rendered as the error body."""

    def __init__(self, status: int, code: ErrorCode, headers: dict[str, str] | None = None) -> None:
        super().__init__(code.value)
        self.status = status
        self.code = code
        self.headers = headers or {}


# Declared on routes so that openapi.json shows every error they can answer.
AUTH_RESPONSES: dict[int | str, dict[str, object]] = {
    **TOKEN_REFUSED_RESPONSE,
    503: {"model": ErrorBody, "description": "DATABASE_UNAVAILABLE, with Retry-After"},
}
# A route behind a step-up (app/auth.py RecentSignIn): its 401 also answers
# INSUFFICIENT_USER_AUTHENTICATION, with the RFC 9470 challenge.
INSUFFICIENT_USER_AUTHENTICATION = AuthErrorCode.INSUFFICIENT_USER_AUTHENTICATION
STEP_UP_RESPONSES: dict[int | str, dict[str, object]] = {
    **AUTH_RESPONSES,
    **STEP_UP_REFUSED_RESPONSE,
}
VALIDATION_RESPONSE: dict[int | str, dict[str, object]] = {
    422: {"model": ValidationErrorBody, "description": "VALIDATION_ERROR with per-field messages"},
}
PAYLOAD_TOO_LARGE_RESPONSE: dict[int | str, dict[str, object]] = {
    413: {
        "model": ErrorBody,
        "description": "PAYLOAD_TOO_LARGE: the body is over BACKEND_MAX_BODY_BYTES (64 KiB by "
        "default), refused unread, before authentication; the connection is closed",
    },
}
NOT_FOUND_RESPONSE: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "TASK_NOT_FOUND: missing, or another user's task"},
}


def _body(code: ErrorCode, **extra: object) -> dict[str, object]:
    return {"code": code.value, "message": MESSAGES[code], **extra}


def _field_name(loc: tuple[int | str, ...], error_type: object = None) -> str:
    # ("body", "title") -> "title"; ("query", "limit") -> "limit"; ("body",) -> "body"
    if error_type == "json_invalid":  # loc is ("body", <character offset>): the body itself
        return "body"
    parts = [str(p) for p in loc[1:]] if len(loc) > 1 else [str(p) for p in loc]
    return ".".join(parts) or "body"


def _field_message(error: dict[str, object]) -> str:
    if error.get("type") == "extra_forbidden":
        return "Unknown field: not accepted (the owner always comes from the token)"
    return str(error.get("msg", "Invalid value")).removeprefix("Value error, ")


async def _app_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return JSONResponse(_body(exc.code), status_code=exc.status, headers=exc.headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = [
        {"field": _field_name(tuple(e["loc"]), e.get("type")), "message": _field_message(e)}
        for e in exc.errors()
    ]
    return JSONResponse(_body(ErrorCode.VALIDATION_ERROR, fields=fields), status_code=422)


# FastAPI's answer to a JSON body it cannot even decode (e.g. bytes that are not UTF-8), while
# a body that decodes but is not JSON is a 422 json_invalid: both are the same client mistake.
_BODY_PARSE_DETAIL = "There was an error parsing the body"
_BODY_NOT_JSON = {"field": "body", "message": "The body is not valid JSON (UTF-8)"}


_HTTP_CODES = {
    400: ErrorCode.BAD_REQUEST,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
}


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.detail == _BODY_PARSE_DETAIL:
        return JSONResponse(
            _body(ErrorCode.VALIDATION_ERROR, fields=[_BODY_NOT_JSON]), status_code=422
        )
    code = _HTTP_CODES.get(exc.status_code, ErrorCode.BAD_REQUEST)
    if exc.status_code >= 500:
        code = ErrorCode.INTERNAL_ERROR
    return JSONResponse(_body(code), status_code=exc.status_code, headers=exc.headers)


async def _database_unavailable(_: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable: %s", type(exc).__name__, exc_info=exc)
    return JSONResponse(
        _body(ErrorCode.DATABASE_UNAVAILABLE),
        status_code=503,
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


async def _dbapi_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    if exc.connection_invalidated:  # the connection died under us: same as unreachable
        return await _database_unavailable(request, exc)
    return await _unexpected(request, exc)


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error", exc_info=exc)
    return JSONResponse(_body(ErrorCode.INTERNAL_ERROR), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    install_auth_error_handler(app)  # a refused token: 401 with its WWW-Authenticate challenge
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_unavailable)  # refused, timed out, TLS
    app.add_exception_handler(PoolTimeoutError, _database_unavailable)
    app.add_exception_handler(DBAPIError, _dbapi_error)
    app.add_exception_handler(Exception, _unexpected)
