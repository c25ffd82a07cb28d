"""A real `python -m app` on a free loopback port, for tests that speak raw HTTP to it."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

BACKEND = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(env: dict[str, str], **popen: Any) -> subprocess.Popen[Any]:
    """`python -m app` from backend/ with exactly `env`; `popen`: where its output goes."""
    return subprocess.Popen([sys.executable, "-m", "app"], cwd=BACKEND, env=env, **popen)


@contextmanager
def running_backend(**env_overrides: str) -> Iterator[int]:
    """Starts `python -m app` with the test environment plus `env_overrides`; yields its port."""
    port = free_port()
    env = {**os.environ, "AUTHBRIDGE_DOTENV": os.devnull, **env_overrides}
    env.update({"BACKEND_HOST": "127.0.0.1", "BACKEND_PORT": str(port), "BACKEND_WORKERS": "1"})
    process = start_app(env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, "python -m app exited at startup"
                assert time.monotonic() < deadline, "python -m app did not listen within 20 s"
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def exchange(port: int, raw: bytes, wait: float = 2.0) -> tuple[bytes, bool]:
    """Sends `raw` on a new connection; returns what came back and whether the server closed.

    Reads until the server closes or stays silent for `wait` seconds (then: not closed).
    """
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(raw)
        return read_until_closed(sock)


def read_until_closed(sock: socket.socket) -> tuple[bytes, bool]:
    """What the server sends until it closes (True) or stays silent for the socket's timeout
    (False)."""
    received = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            return received, False
        except ConnectionResetError:
            return received, True
        if not chunk:
            return received, True
        received += chunk


def first_health(
    process: subprocess.Popen[Any], port: int, seconds: float, **request: Any
) -> httpx.Response:
    """GET /health of a backend `process` started, as soon as it answers (a bounded poll)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/health", **request)
        except httpx.TransportError:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, f"the backend did not start within {seconds:g} s"
            time.sleep(0.2)
