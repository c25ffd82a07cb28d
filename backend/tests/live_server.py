"""A real `python -m app` on a free loopback port, for tests that speak raw HTTP to it."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_backend(**env_overrides: str) -> Iterator[int]:
    """Starts `python -m app` with the test environment plus `env_overrides`; yields its port."""
    port = free_port()
    env = {**os.environ, "AUTHBRIDGE_DOTENV": os.devnull, **env_overrides}
    env.update({"BACKEND_HOST": "127.0.0.1", "BACKEND_PORT": str(port), "BACKEND_WORKERS": "1"})
    process = subprocess.Popen(
        [sys.executable, "-m", "app"],
        cwd=BACKEND,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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
