"""The request-body cap (app/http/body_limit.py) of a real `python -m app`, over raw sockets.

A body over BACKEND_MAX_BODY_BYTES (64 KiB by default) is 413 PAYLOAD_TOO_LARGE with the error
body and `Connection: close`, answered before authentication and without reading the body: a
declared length is refused before a byte of the body is sent, a chunked one as soon as it passes
the cap. Within the cap, requests reach the app as before.
"""

import json
import select
import socket
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests import tokens
from tests.db import Account, insert_account, libpq_url
from tests.live_server import exchange, read_until_closed, running_backend

LIMIT = 64 * 1024  # the default, which the test server runs with
TOO_LARGE = {"code": "PAYLOAD_TOO_LARGE", "message": "The request body is larger than 64 KiB."}
ANSWER_WAIT = 5.0  # seconds: far more than a local answer takes, far less than a 20 MB upload


@pytest.fixture(scope="module")
def server(engine: Engine) -> Iterator[tuple[int, Account]]:
    """`python -m app` on this run's throwaway database, with a real account."""
    url = libpq_url(engine.url.render_as_string(hide_password=False))
    with running_backend(DATABASE_URL=url, BACKEND_MAX_BODY_BYTES=str(LIMIT)) as port:
        yield port, insert_account(engine, name="Body")


@pytest.fixture
def port(server: tuple[int, Account]) -> int:
    return server[0]


def bearer(account: Account) -> bytes:
    claims = tokens.claims_for(sub=account.user_id, sid=account.session_id, iat=int(time.time()))
    return b"Authorization: Bearer " + tokens.sign(claims).encode() + b"\r\n"


def head(length: int | None = None, extra: bytes = b"", path: bytes = b"/api/tasks") -> bytes:
    framing = (
        b"Transfer-Encoding: chunked\r\n" if length is None else b"Content-Length: %d\r\n" % length
    )
    return (
        b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + framing + extra + b"\r\n"
    )  # fmt: skip


def chunked(body: bytes, size: int = 16 * 1024) -> bytes:
    parts = [
        b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size])
        for i in range(0, len(body), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def task_json(total: int) -> bytes:
    """A task body of exactly `total` bytes (valid JSON: only the token decides the answer)."""
    shell = b'{"title":"t","description":""}'
    body = shell[:-2] + b"d" * (total - len(shell)) + b'"}'
    assert len(body) == total
    return body


def parse(data: bytes) -> tuple[int, dict[str, str], bytes]:
    raw_head, _, body = data.partition(b"\r\n\r\n")
    lines = raw_head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def read_answer(sock: socket.socket, timeout: float = ANSWER_WAIT) -> tuple[bytes, bool]:
    """What the server sends until it closes (True) or stays silent for `timeout` (False)."""
    sock.settimeout(timeout)
    return read_until_closed(sock)


def assert_refused(data: bytes, closed: bool) -> None:
    assert data, "no answer"
    status, headers, body = parse(data)
    assert status == 413, data[:200]
    assert json.loads(body) == TOO_LARGE
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    assert headers["x-content-type-options"] == "nosniff"  # the browser defences, as every answer
    assert headers["x-request-id"]
    assert closed, "the connection must be closed: the rest of the body is never read"


@pytest.mark.parametrize("auth", [False, True], ids=["anonymous", "bad token"])
def test_a_declared_length_over_the_cap_is_refused_before_the_body_is_sent(
    port: int, auth: bool
) -> None:
    extra = b"Authorization: Bearer not-a-jwt\r\n" if auth else b""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head(20 * 1024 * 1024, extra))  # the head only: not one byte of the body
        started = time.monotonic()
        data, closed = read_answer(sock)
    assert_refused(data, closed)  # 413, not the 401 that the token would get
    assert time.monotonic() - started < ANSWER_WAIT / 2


def test_expect_100_continue_gets_the_413_and_never_a_continue(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head(LIMIT + 1, b"Expect: 100-continue\r\n"))
        data, closed = read_answer(sock)
    assert data.startswith(b"HTTP/1.1 413 "), data[:100]
    assert_refused(data, closed)


def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_cap(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head(None) + b"%x\r\n" % LIMIT + b"a" * LIMIT + b"\r\n1\r\na\r\n")
        data, closed = read_answer(sock)  # the body is not over: the server answers anyway
    assert_refused(data, closed)


def test_a_chunked_flood_is_cut_off_long_before_its_end(port: int) -> None:
    """50 MB offered as fast as the server takes it: it stops reading after the cap (what the
    socket buffers hold in between is all the client gets out), and answers 413 or, when the
    client is still writing as it closes, a reset that can outrun the 413."""
    total = 50 * 1024 * 1024
    chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"a" * 64 * 1024)
    sent = 0
    data = b""
    cut = closed = False
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head(None))
        sock.setblocking(False)
        deadline = time.monotonic() + 20
        while sent < total and time.monotonic() < deadline:
            readable, writable, _ = select.select([sock], [sock], [], 1.0)
            if readable:
                break
            if writable:
                try:
                    sent += sock.send(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    cut = True
                    break
                except BlockingIOError:
                    continue
        sock.setblocking(True)
        if not cut:
            try:
                data, closed = read_answer(sock)
            except ConnectionResetError:
                cut = True
    assert sent < total / 5, f"the server read on: {sent} of {total} bytes sent"
    if data:
        assert_refused(data, closed)
    else:
        assert cut or closed, "neither an answer nor a closed connection"


def test_a_body_of_exactly_the_cap_reaches_the_app(port: int) -> None:
    body = task_json(LIMIT)
    for raw in (head(LIMIT) + body, head(None) + chunked(body)):
        data, _ = exchange(port, raw)
        status, headers, answer = parse(data)
        assert status == 401, data[:200]  # read whole, then refused for the missing token
        assert json.loads(answer)["code"] == "MISSING_TOKEN"
        assert "close" not in headers.get("connection", "")  # kept alive as usual


def test_a_body_one_byte_over_the_cap_is_refused(port: int) -> None:
    body = task_json(LIMIT + 1)
    for raw in (head(LIMIT + 1) + body, head(None) + chunked(body)):
        assert_refused(*exchange(port, raw))


def test_a_body_within_the_cap_and_a_valid_token_creates_the_task(
    server: tuple[int, Account],
) -> None:
    port, account = server
    headers = bearer(account) + b"Connection: close\r\n"
    for title in (b"declared", b"chunked"):
        body = b'{"title":"%s","description":"%s"}' % (title, b"d" * 2000)
        if title == b"chunked":
            raw = head(None, headers) + chunked(body)
        else:
            raw = head(len(body), headers) + body
        data, closed = exchange(port, raw)
        status, _, answer = parse(data)
        assert status == 201, data[:300]
        assert json.loads(answer)["title"] == title.decode()
        assert closed


def test_a_request_without_a_body_is_untouched(port: int) -> None:
    data, _ = exchange(port, b"GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert parse(data)[0] == 200
