"""The request-body cap of the backend, as one pure ASGI wrapper (docs/security.md "The backend's
HTTP surface").

No request of the API needs more than a few KiB (a task is at most 200 + 2,000 characters), and
FastAPI reads a JSON body whole before any dependency runs, authentication included. So, before
the app sees the request:
- a declared `Content-Length` over BACKEND_MAX_BODY_BYTES is refused unread: uvicorn sends no
  `100 Continue` and stops reading the socket once its own 64 KiB buffer is full;
- a body without one (`Transfer-Encoding: chunked`) is read here, counted as it streams, and
  refused as soon as it passes the cap, so at most the cap plus one chunk is ever held; a body
  within the cap is handed to the app as if it had just arrived.
The refusal is 413 PAYLOAD_TOO_LARGE in the error body of app/errors.py with
`Connection: close`: the rest of the upload is never read, and the connection cannot be reused.
tests/test_body_limit.py proves it on a real server over raw sockets.
"""

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import ErrorCode

DEFAULT_MAX_BODY_BYTES = 64 * 1024


def payload_too_large_message(max_bytes: int) -> str:
    """The frontend's wording (frontend/src/server/body-limit.ts): `… larger than 64 KiB.`"""
    size = f"{max_bytes // 1024} KiB" if max_bytes % 1024 == 0 else f"{max_bytes} bytes"
    return f"The request body is larger than {size}."


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes
        body = {
            "code": ErrorCode.PAYLOAD_TOO_LARGE.value,
            "message": payload_too_large_message(max_bytes),
        }
        self._refusal_body = json.dumps(body, separators=(",", ":")).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared: bytes | None = None
        streamed = False
        for name, value in scope["headers"]:  # names are lower case (ASGI)
            if name == b"content-length":
                declared = value
            elif name == b"transfer-encoding":
                streamed = True
        if declared is not None and declared.strip().isdigit():
            # uvicorn's parser refused any other Content-Length (app/http/server.py).
            if int(declared) > self.max_bytes:
                await self._refuse(send)
                return
            await self.app(scope, receive, send)
            return
        if declared is None and not streamed:  # HTTP/1.1: no length, no chunks, no body
            await self.app(scope, receive, send)
            return
        try:
            body = await self._bounded_body(receive)
        except _ClientGone:
            return  # the client left before its body ended: nobody to answer
        if body is None:
            await self._refuse(send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _bounded_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it passes the cap."""
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # http.disconnect
                raise _ClientGone
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(self, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(self._refusal_body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": self._refusal_body})


class _ClientGone(Exception):
    """The connection ended before the body did."""


def _replay(body: bytes, receive: Receive) -> Receive:
    """`receive` that gives the body read so far as one message, then defers to the server's."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
