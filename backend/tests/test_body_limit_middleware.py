"""The body cap in process: BACKEND_MAX_BODY_BYTES and its one config line, and the middleware's
edges (app/http/body_limit.py) driven as an ASGI app, without a server."""

import asyncio
from typing import Any

import pytest
from pydantic import ValidationError

from app.http.body_limit import BodyLimit, payload_too_large_message
from app.main import create_app
from app.settings import Settings, describe_config_error
from tests.test_body_limit import LIMIT, TOO_LARGE

# The setting and the middleware's edges, in process.


def test_the_cap_defaults_to_64_kib_and_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BACKEND_MAX_BODY_BYTES", raising=False)
    assert Settings().backend_max_body_bytes == LIMIT  # type: ignore[call-arg]
    monkeypatch.setenv("BACKEND_MAX_BODY_BYTES", "1048576")
    assert Settings().backend_max_body_bytes == 1024 * 1024  # type: ignore[call-arg]


@pytest.mark.parametrize("value", ["0", "-1", "1023", "67108865", "64k", ""])
def test_a_cap_out_of_range_is_one_config_line(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("BACKEND_MAX_BODY_BYTES", value)
    with pytest.raises(ValidationError) as error:
        Settings()  # type: ignore[call-arg]
    line = describe_config_error(error.value)
    assert line.startswith("config error: BACKEND_MAX_BODY_BYTES: "), line
    assert "\n" not in line and "Fix:" in line


def test_the_message_names_the_configured_cap() -> None:
    assert payload_too_large_message(64 * 1024) == TOO_LARGE["message"]
    assert payload_too_large_message(1024 * 1024) == "The request body is larger than 1024 KiB."
    assert payload_too_large_message(5000) == "The request body is larger than 5000 bytes."


def test_the_app_is_built_with_the_configured_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKEND_MAX_BODY_BYTES", "2048")
    app = create_app()
    assert app.max_body_bytes == 2048  # type: ignore[attr-defined]


class Recorder:
    """The ASGI app behind the cap: records what it was given to read."""

    def __init__(self) -> None:
        self.called = False
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.called = True
        if scope["type"] == "http":
            while True:
                message = await receive()
                self.bodies.append(message.get("body", b""))
                if not message.get("more_body"):
                    break
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})


def drive(
    messages: list[dict[str, Any]], headers: list[tuple[bytes, bytes]], scope_type: str = "http"
) -> tuple[Recorder, list[dict[str, Any]]]:
    inner = Recorder()
    sent: list[dict[str, Any]] = []
    queue = list(messages)

    async def receive() -> dict[str, Any]:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": scope_type, "headers": headers, "method": "POST", "path": "/"}
    asyncio.run(BodyLimit(inner, max_bytes=10)(scope, receive, send))
    return inner, sent


TE = [(b"transfer-encoding", b"chunked")]


def part(body: bytes, more: bool) -> dict[str, Any]:
    return {"type": "http.request", "body": body, "more_body": more}


def test_a_chunked_body_within_the_cap_is_handed_on_as_one_message() -> None:
    inner, sent = drive([part(b"12345", True), part(b"67890", False)], TE)
    assert inner.bodies == [b"1234567890"]
    assert sent[0]["status"] == 204


def test_a_chunked_body_over_the_cap_never_reaches_the_app() -> None:
    inner, sent = drive([part(b"123456", True), part(b"78901", True), part(b"x" * 99, False)], TE)
    assert not inner.called
    assert sent[0]["status"] == 413
    assert dict(sent[0]["headers"])[b"connection"] == b"close"


def test_a_client_gone_mid_body_gets_no_answer_and_the_app_is_not_called() -> None:
    inner, sent = drive([part(b"123", True), {"type": "http.disconnect"}], TE)
    assert not inner.called and sent == []


def test_an_unparsable_length_is_counted_like_a_chunked_body() -> None:
    # Only a server laxer than uvicorn's parser would pass such a header on (app/http/server.py).
    inner, sent = drive([part(b"x" * 11, False)], [(b"content-length", b"0x0b")])
    assert not inner.called and sent[0]["status"] == 413


def test_other_scopes_pass_through() -> None:
    inner, sent = drive([], [], scope_type="lifespan")
    assert inner.called and sent == []


def test_a_request_without_length_or_chunks_goes_straight_to_the_app() -> None:
    inner, sent = drive([part(b"", False)], [])
    assert inner.bodies == [b""] and sent[0]["status"] == 204


def test_a_declared_length_is_judged_without_reading() -> None:
    inner, sent = drive([part(b"x" * 11, False)], [(b"content-length", b"11")])
    assert not inner.called and sent[0]["status"] == 413
    inner, sent = drive([part(b"x" * 10, False)], [(b"content-length", b"10")])
    assert inner.bodies == [b"x" * 10] and sent[0]["status"] == 204  # the server's message, as is


def test_after_the_replayed_body_the_app_hears_the_server() -> None:
    heard: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        heard.append((await receive())["type"])
        heard.append((await receive())["type"])  # e.g. waiting for the client to leave

    async def receive() -> dict[str, Any]:
        return queue.pop(0)

    async def send(message: dict[str, Any]) -> None:
        raise AssertionError(message)

    queue = [part(b"12", False), {"type": "http.disconnect"}]
    scope = {"type": "http", "headers": TE, "method": "POST", "path": "/"}
    asyncio.run(BodyLimit(app, max_bytes=10)(scope, receive, send))
    assert heard == ["http.request", "http.disconnect"]
