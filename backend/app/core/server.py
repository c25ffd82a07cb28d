"""How uvicorn serves the app: the one protocol tweak both `python -m app` and the bench use."""

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with TCP_NODELAY on every connection.

    With --workers > 1, uvicorn binds its listening socket as socket.socket(family=...) (proto 0),
    so asyncio's own TCP_NODELAY (set only when proto == IPPROTO_TCP) is skipped: a keep-alive
    response written as headers + body then waits for the client's delayed ACK, ~40 ms a request.
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
