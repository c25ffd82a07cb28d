"""Logs: text for people (development), JSON lines for machines (LOG_FORMAT=json, production),
and the request id that lets one request be followed from the proxy through the frontend to here.

The request id comes from the `X-Request-Id` header the proxy sets (and the frontend's server
forwards); a missing or malformed one is replaced by a fresh one. It goes back on the answer, onto
every log line written while the request runs (a context variable), and, in JSON mode, onto one
access line per request (uvicorn's own access log is off then: ours carries the id).
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LogFormat = Literal["text", "json"]
REQUEST_ID_HEADER = b"x-request-id"  # deploy/services.json "requestIdHeader"
# What a proxy may put there (uuids, nginx's $request_id, Vercel's ids); anything else is replaced.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
access_log = logging.getLogger("authbridge.access")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)

# LogRecord attributes that are not extra fields of a call (`log.info(..., extra={...})`).
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "color_message",  # uvicorn's coloured copy of the message
}


def request_id_from(header: bytes | None) -> str:
    """The proxy's id if it is a plausible one, else a fresh one."""
    if header is not None:
        value = header.decode("latin-1")
        if _VALID_REQUEST_ID.fullmatch(value):
            return value
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or None) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            line["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


TEXT_FORMAT = "%(levelname)s:     %(name)s: %(message)s"


def configure_app_logging(log_format: LogFormat) -> None:
    """Our loggers ("authbridge.*") to stderr; uvicorn configures only its own."""
    logger = logging.getLogger("authbridge")
    if logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def uvicorn_log_config(log_format: LogFormat) -> dict[str, Any] | None:
    """uvicorn's `log_config`: None keeps its own (text); JSON puts its lines in our format and
    turns its access log off (the RequestLog middleware writes one line per request instead)."""
    if log_format != "json":
        return None
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "filters": ["request_id"],
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "filters": {"request_id": {"()": RequestIdFilter}},
        "handlers": {"json": handler},
        "loggers": {
            "uvicorn": {"handlers": ["json"], "level": "INFO", "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "authbridge": {"handlers": ["json"], "level": "INFO", "propagate": False},
        },
    }


class RequestLog:
    """Pure ASGI, outermost: the request id in the context and on the answer; in JSON mode one
    access line per request (method, path, status, duration)."""

    def __init__(self, app: ASGIApp, *, access_lines: bool) -> None:
        self.app = app
        self.access_lines = access_lines

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = next((v for k, v in scope["headers"] if k == REQUEST_ID_HEADER), None)
        request_id = request_id_from(header)
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", ()),
                    (REQUEST_ID_HEADER, request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if self.access_lines:
                access_log.info(
                    "%s %s %d",
                    scope["method"],
                    scope["path"],
                    status,
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            request_id_var.reset(token)
