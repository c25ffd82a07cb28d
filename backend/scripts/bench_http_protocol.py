"""Throughput of the backend's HTTP protocol against uvicorn's h11 one, side by side in one run.

    cd backend && set -a && . ../.dev/test-env.sh && set +a \\
        && python3 -m uv run --frozen python scripts/bench_http_protocol.py [--rounds 3 --seconds 5]

Serves the real app (python -m app's configuration, one worker) once with each protocol and drives
`GET /health/live` (no database) over keep-alive connections, alternating the two servers round by
round so that machine noise hits both. Prints requests per second and the new/old ratio
(docs/benchmarks.md "HTTP protocol").
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BACKEND))

REQUEST = b"GET /health/live HTTP/1.1\r\nHost: bench\r\n\r\n"
PROTOCOLS = ("h11", "strict")


def serve(protocol: str, port: int) -> None:
    """Runs in the child process: the app with `protocol`, everything else as python -m app."""
    import uvicorn
    from uvicorn.protocols.http.h11_impl import H11Protocol

    from app.http.server import TcpNoDelay, uvicorn_options

    class NoDelayH11Protocol(TcpNoDelay, H11Protocol):  # what python -m app served before
        pass

    options = uvicorn_options("127.0.0.1", port, 1)
    if protocol == "h11":
        options["http"] = NoDelayH11Protocol
    uvicorn.run("app.main:app", **options, access_log=False, log_level="warning")


async def _connection(port: int, deadline: float) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    done = 0
    while time.monotonic() < deadline:
        writer.write(REQUEST)
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), head[:40]
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        done += 1
    writer.close()
    return done


async def _drive(port: int, connections: int, seconds: float) -> float:
    started = time.monotonic()
    counts = await asyncio.gather(
        *(_connection(port, started + seconds) for _ in range(connections))
    )
    return sum(counts) / (time.monotonic() - started)


def _wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    import socket

    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the {port} server did not start") from None
            time.sleep(0.1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", choices=PROTOCOLS)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return 0

    from tests.live_server import free_port

    ports = {protocol: free_port() for protocol in PROTOCOLS}
    env = {**os.environ, "AUTHBRIDGE_DOTENV": os.devnull}
    servers = [
        subprocess.Popen(  # noqa: S603  (this very script, fixed arguments)
            [sys.executable, __file__, "--serve", protocol, "--port", str(port)], env=env
        )
        for protocol, port in ports.items()
    ]
    rates: dict[str, list[float]] = {protocol: [] for protocol in PROTOCOLS}
    try:
        for server, port in zip(servers, ports.values(), strict=True):
            _wait_listening(port, server)
            asyncio.run(_drive(port, args.connections, 1.0))  # warm-up
        for round_ in range(1, args.rounds + 1):
            for protocol, port in ports.items():
                rate = asyncio.run(_drive(port, args.connections, args.seconds))
                rates[protocol].append(rate)
                print(f"round {round_} {protocol:6} {rate:8.0f} req/s", flush=True)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    old, new = (statistics.median(rates[p]) for p in PROTOCOLS)
    print(f"median h11 {old:.0f} req/s, strict (httptools) {new:.0f} req/s, ratio {new / old:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
