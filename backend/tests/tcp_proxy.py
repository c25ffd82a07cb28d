"""A tiny TCP proxy in front of the real database that a test can cut and restore (no mocks),
and that can add a fixed latency to each direction (the bench's slow database link)."""

import contextlib
import queue
import socket
import threading
import time


class TcpProxy:
    def __init__(
        self, target_host: str, target_port: int, delay_s: float = 0.0, listen_port: int = 0
    ) -> None:
        self.target = (target_host, target_port)
        self.delay_s = delay_s  # added to every byte, each direction (a round trip gains 2x)
        self._listener = socket.create_server(("127.0.0.1", listen_port))
        self.port: int = self._listener.getsockname()[1]
        self._open = threading.Event()
        self._open.set()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def cut(self) -> None:
        """Drop every live connection and refuse new ones, like a database that went away."""
        self._open.clear()
        with self._lock:
            for sock in self._sockets:
                _close(sock)
            self._sockets.clear()

    def restore(self) -> None:
        self._open.set()

    def close(self) -> None:
        self._closed = True
        self.cut()
        _close(self._listener)

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self._open.is_set():
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._sockets += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                for sock in (src, dst):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if self.delay_s > 0:
                    _start_delayed_pump(src, dst, self.delay_s)
                else:
                    threading.Thread(target=_pump, args=(src, dst), daemon=True).start()


def _pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        _close(src)
        _close(dst)


def _start_delayed_pump(src: socket.socket, dst: socket.socket, delay_s: float) -> None:
    """Each chunk leaves `delay_s` after it arrived, in order: latency, not a bandwidth limit."""
    chunks: queue.SimpleQueue[tuple[float, bytes]] = queue.SimpleQueue()

    def read() -> None:
        try:
            while data := src.recv(65536):
                chunks.put((time.monotonic() + delay_s, data))
        except OSError:
            pass
        chunks.put((time.monotonic() + delay_s, b""))

    def write() -> None:
        try:
            while True:
                due, data = chunks.get()
                if (wait := due - time.monotonic()) > 0:
                    time.sleep(wait)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            _close(src)
            _close(dst)

    threading.Thread(target=read, daemon=True).start()
    threading.Thread(target=write, daemon=True).start()


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
