"""Browser defences on every answer of the backend, as one pure ASGI wrapper.

The backend serves JSON only, to the Next.js server and to nobody's browser, so a browser that
reaches it anyway may render nothing, run nothing, frame nothing and keep nothing:
- `X-Content-Type-Options: nosniff`: a JSON body is never sniffed into HTML or script;
- `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` (+ `X-Frame-Options: DENY`
  for browsers without CSP frame-ancestors): nothing loads, nothing frames an answer;
- `Cache-Control: no-store` unless the route set its own: per-user data never sits in a cache.
Pure ASGI (no BaseHTTPMiddleware task per request): it only appends headers to the response start.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
)
NO_STORE = (b"cache-control", b"no-store")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", ()), *SECURITY_HEADERS]
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append(NO_STORE)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
