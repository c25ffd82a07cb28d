"""HTTP/1.1 framing of a real `python -m app`, spoken to over raw sockets (app/http/server.py).

Request smuggling needs two parsers that disagree on where a request ends: everything ambiguous
is refused with 400 and a closed connection, so nothing after it is ever read as a request.
"""

import json
import re
import select
import socket
import time
from collections.abc import Iterator

import pytest

from app.settings import Settings
from tests.live_server import exchange, running_backend

HEADER_TIMEOUT = 1.0  # the test server's BACKEND_HEADER_TIMEOUT_SECONDS (default 10)

SMUGGLED = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
# Chunked says the body is empty (0\r\n\r\n) and the smuggled request follows; Content-Length says
# all of it is body. A front proxy that honours Content-Length forwards both as one request.
CL_TE = (
    b"POST /api/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: "
    + str(len(b"0\r\n\r\n" + SMUGGLED)).encode()
    + b"\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    + SMUGGLED
)


def post(headers: bytes, body: bytes, version: bytes = b"1.1") -> bytes:
    return b"POST /api/tasks HTTP/" + version + b"\r\nHost: x\r\n" + headers + b"\r\n" + body


CHUNKED = b"Transfer-Encoding: chunked\r\n"
ABC = b"3\r\nabc\r\n0\r\n\r\n"  # "abc", chunked
REFUSED = {
    "content-length and transfer-encoding": CL_TE,
    "transfer-encoding and content-length": post(CHUNKED + b"Content-Length: 3\r\n", ABC),
    "duplicate content-length": post(b"Content-Length: 3\r\nContent-Length: 5\r\n", b"abcde"),
    "content-length list": post(b"Content-Length: 3, 5\r\n", b"abcde"),
    "content-length with sign": post(b"Content-Length: +3\r\n", b"abc"),
    "content-length with inner space": post(b"Content-Length: 1 2\r\n", b"abc"),
    "space before the colon": post(b"Content-Length : 3\r\n", b"abc"),
    "chunk size not hex": post(CHUNKED, b"zz\r\nabc\r\n0\r\n\r\n"),
    "negative chunk size": post(CHUNKED, b"-3\r\nabc\r\n0\r\n\r\n"),
    "chunk size with 0x": post(CHUNKED, b"0x3\r\nabc\r\n0\r\n\r\n"),
    "chunk size overflowing 64 bits": post(CHUNKED, b"ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n"),
    "chunk lines ended by bare LF": post(CHUNKED, b"3\nabc\n0\n\n"),
    "transfer-encoding with space before colon": post(b"Transfer-Encoding : chunked\r\n", ABC),
    "transfer-encoding xchunked": post(b"Transfer-Encoding: xchunked\r\n", ABC),
    "transfer-encoding chunked twice": post(b"Transfer-Encoding: chunked, chunked\r\n", ABC),
    "transfer-encoding gzip, chunked": post(b"Transfer-Encoding: gzip, chunked\r\n", ABC),
    "two transfer-encoding fields": post(CHUNKED + b"Transfer-Encoding: identity\r\n", ABC),
    "transfer-encoding with vertical tab": post(b"Transfer-Encoding: \x0bchunked\r\n", ABC),
    "transfer-encoding on HTTP/1.0": post(CHUNKED, ABC, version=b"1.0"),
    "bare LF line ends": b"GET /health/live HTTP/1.1\nHost: x\n\n",
    "a bare LF between headers": b"GET /health/live HTTP/1.1\r\nHost: x\nX: y\r\n\r\n",
    "a bare CR between headers": b"GET /health/live HTTP/1.1\r\nHost: x\rX: y\r\n\r\n",
    "obs-fold continuation line": b"GET /health/live HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n",
    "NUL in a header value": b"GET /health/live HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n",
    "no Host on HTTP/1.1": b"GET /health/live HTTP/1.1\r\n\r\n",
    "two Host fields": b"GET /health/live HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
}


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with running_backend(BACKEND_HEADER_TIMEOUT_SECONDS=str(HEADER_TIMEOUT)) as port:
        yield port


def responses(data: bytes) -> list[bytes]:
    """Status lines; a pipelined response starts right after the previous body, not on a line."""
    return re.findall(rb"HTTP/1\.[01] \d{3} [A-Za-z ]+", data)


@pytest.mark.parametrize("raw", REFUSED.values(), ids=REFUSED.keys())
def test_an_ambiguous_request_is_refused_with_400_and_the_connection_closed(
    port: int, raw: bytes
) -> None:
    data, closed = exchange(port, raw)
    assert responses(data) == [b"HTTP/1.1 400 Bad Request"], data
    assert closed, "the connection must be closed after a framing error"
    head, _, body = data.partition(b"\r\n\r\n")
    assert json.loads(body) == {"code": "BAD_REQUEST", "message": "Bad request"}
    assert b"x-content-type-options: nosniff" in head.lower()
    assert b"/smuggled" not in data


def test_the_smuggled_request_is_never_answered(port: int) -> None:
    data, _ = exchange(port, CL_TE)
    assert len(responses(data)) == 1, data  # before: 401 for the POST, then 404 for /smuggled


def test_well_formed_requests_still_work(port: int) -> None:
    pipelined = (
        b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
        + post(CHUNKED + b"Content-Type: application/json\r\n", b"2\r\n{}\r\n0\r\n\r\n")
        + b"GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    data, closed = exchange(port, pipelined)
    assert responses(data) == [
        b"HTTP/1.1 200 OK",
        b"HTTP/1.1 401 Unauthorized",  # the chunked POST was read whole: it reached the auth check
        b"HTTP/1.1 200 OK",
    ]
    assert closed


def _seconds_until_closed(sock: socket.socket, trickle: bytes = b"") -> float:
    """Sends `trickle` a byte every 0.2 s (then nothing); returns when the server closed."""
    started = time.monotonic()
    sock.settimeout(0.2)
    for byte in trickle:
        try:
            sock.send(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            return time.monotonic() - started
        try:
            if sock.recv(1024) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
    sock.settimeout(HEADER_TIMEOUT * 5)
    assert sock.recv(1024) == b"", "nothing is answered to an unfinished request head"
    return time.monotonic() - started


def test_a_client_trickling_its_headers_loses_the_connection(port: int) -> None:
    head = b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40
    with socket.create_connection(("127.0.0.1", port)) as sock:
        elapsed = _seconds_until_closed(sock, head)
    assert HEADER_TIMEOUT * 0.8 <= elapsed < HEADER_TIMEOUT + 1.5, elapsed


def test_a_silent_connection_is_closed(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        elapsed = _seconds_until_closed(sock)
    assert HEADER_TIMEOUT * 0.8 <= elapsed < HEADER_TIMEOUT + 1.5, elapsed


def test_the_next_request_on_a_kept_alive_connection_has_the_same_bound(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 OK")
        # Idle for longer than the bound, but nothing sent: the connection is kept. Waits for the
        # close (end of file) until then; what arrives meanwhile is the rest of the answer.
        deadline = time.monotonic() + HEADER_TIMEOUT * 1.5
        while (left := deadline - time.monotonic()) > 0:
            if select.select([sock], [], [], left)[0]:
                assert sock.recv(65536) != b"", "the header timeout closed an idle connection"
        elapsed = _seconds_until_closed(sock, b"GET /health/live HTTP/1.1\r\nHost: x\r\n")
    assert HEADER_TIMEOUT * 0.8 <= elapsed < HEADER_TIMEOUT + 1.5, elapsed


def test_the_header_timeout_defaults_to_10_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BACKEND_HEADER_TIMEOUT_SECONDS", raising=False)
    assert Settings().backend_header_timeout_seconds == 10  # type: ignore[call-arg]


def test_tcp_nodelay_is_set_even_when_asyncio_would_not() -> None:
    import asyncio

    from app.http.server import TcpNoDelay

    class Plain(asyncio.Protocol):
        pass

    class NoDelay(TcpNoDelay, Plain):
        pass

    async def nodelay_with(protocol: type[asyncio.Protocol]) -> int:
        # Like uvicorn's --workers > 1: a listening socket made with proto 0, so asyncio skips it.
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen()
            with socket.create_connection(listener.getsockname()):
                accepted, _ = listener.accept()
                transport, _ = await asyncio.get_running_loop().connect_accepted_socket(
                    protocol, accepted
                )
                value = transport.get_extra_info("socket").getsockopt(
                    socket.IPPROTO_TCP, socket.TCP_NODELAY
                )
                transport.close()
                return value

    assert asyncio.run(nodelay_with(Plain)) == 0  # what TcpNoDelay is for
    assert asyncio.run(nodelay_with(NoDelay)) != 0
