"""How uvicorn serves the app: one HTTP/1.1 protocol for `python -m app` and the bench.

uvicorn's httptools protocol (llhttp, strict by default: a request with both Content-Length and
Transfer-Encoding, duplicate or malformed lengths, bad chunk sizes, bare LF or CR line ends,
obs-fold and spaces before the colon are all refused with 400 and a closed connection), plus:
- the checks llhttp leaves to the server (RFC 9112 §3.2 exactly one Host; §6.1 no
  Transfer-Encoding but a single `chunked`, none on HTTP/1.0), refused the same way;
- BACKEND_HEADER_TIMEOUT_SECONDS (default 10) to receive a request's head, counted from the
  connection's start or the request's first byte: a client that trickles its headers (or sends
  nothing at all) loses the connection;
- TCP_NODELAY on every connection;
- the 400 carries the app's error body and browser headers (app/http/security_headers.py).
docs/security.md "HTTP framing" lists what is refused; tests/test_http_framing.py proves it.
"""

import asyncio
import json
import socket
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.http.logs import LogFormat, uvicorn_log_config
from app.http.security_headers import SECURITY_HEADERS

DEFAULT_HEADER_TIMEOUT_SECONDS = 10.0  # BACKEND_HEADER_TIMEOUT_SECONDS's default (app/settings.py)
BAD_REQUEST_BODY = json.dumps({"code": "BAD_REQUEST", "message": "Bad request"}).encode()


class FramingError(Exception):
    """A request whose framing or Host is ambiguous: answered 400, connection closed."""


class TcpNoDelay:
    """TCP_NODELAY on every accepted connection (mixed into a uvicorn protocol).

    With --workers > 1, uvicorn binds its listening socket as socket.socket(family=...) (proto 0),
    so asyncio's own TCP_NODELAY (set only when proto == IPPROTO_TCP) is skipped: a keep-alive
    response written as headers + body then waits for the client's delayed ACK, ~40 ms a request.
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)  # type: ignore[misc]


class StrictHttpProtocol(TcpNoDelay, HttpToolsProtocol):
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._header_timer is None:  # a keep-alive connection's next request starts now
            self._arm_header_timer()

    def on_headers_complete(self) -> None:
        self._disarm_header_timer()
        _check_framing(self.headers, self.parser.get_http_version())  # raises: 400 + close
        super().on_headers_complete()

    def send_400_response(self, _msg: str) -> None:  # uvicorn passes its own text: ours is fixed
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in [
            *self.server_state.default_headers,
            *SECURITY_HEADERS,
            (b"content-type", b"application/json"),
            (b"content-length", str(len(BAD_REQUEST_BODY)).encode()),
            (b"connection", b"close"),
        ]:
            head.extend([name, b": ", value, b"\r\n"])
        head.append(b"\r\n")
        self.transport.write(b"".join(head) + BAD_REQUEST_BODY)
        self.transport.close()

    def _arm_header_timer(self) -> None:
        timeout = header_timeout_of(self.app)
        self._header_timer = self.loop.call_later(timeout, self._headers_late)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()


def header_timeout_of(app: object) -> float:
    """BACKEND_HEADER_TIMEOUT_SECONDS as create_app read it (app/main.py keeps it on the app), so
    the settings are read once per process. uvicorn may wrap the app (its message logger at the
    trace level): the layers are walked, a few at most."""
    for _ in range(4):
        timeout = getattr(app, "header_timeout_seconds", None)
        if isinstance(timeout, float | int):
            return float(timeout)
        app = getattr(app, "app", None)
    return DEFAULT_HEADER_TIMEOUT_SECONDS


def _check_framing(headers: list[tuple[bytes, bytes]], http_version: str) -> None:
    hosts = 0
    for name, value in headers:  # names are already lower-cased by uvicorn
        if name == b"host":
            hosts += 1
        elif name == b"transfer-encoding" and (
            http_version == "1.0" or value.strip().lower() != b"chunked"
        ):
            raise FramingError("Transfer-Encoding other than one chunked on HTTP/1.1")
    if http_version == "1.1" and hosts != 1:
        raise FramingError("HTTP/1.1 needs exactly one Host")


def uvicorn_options(
    host: str, port: int, workers: int, log_format: LogFormat = "text"
) -> dict[str, Any]:
    """uvicorn.run() / uvicorn.Config() keywords shared by `python -m app`, the bench and tests."""
    log_config = uvicorn_log_config(log_format)
    return {
        "host": host,
        "port": port,
        "workers": workers,
        **({"log_config": log_config, "access_log": False} if log_config else {}),
        "http": StrictHttpProtocol,
        "proxy_headers": False,  # no client-sent X-Forwarded-* is trusted
        "server_header": False,  # no `server: uvicorn` banner
    }
