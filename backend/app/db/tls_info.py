"""Client-side TLS facts of a psycopg connection: is it encrypted, with which protocol and cipher.

psycopg exposes `pgconn.ssl_in_use` but not libpq's `PQsslAttribute`, so we call that one
function through ctypes on the very libpq psycopg has loaded (found in /proc/self/maps, so
the PGconn pointer always meets its own library). If that is not possible we report None.
The server's `pg_stat_ssl` is not used for the verdict: Neon's proxy terminates TLS.
"""

import ctypes
import functools
from dataclasses import dataclass
from pathlib import Path

import psycopg


@dataclass(frozen=True)
class TlsInfo:
    in_use: bool
    version: str | None
    cipher: str | None


@functools.cache
def _ssl_attribute_function() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    paths = {line.split()[-1] for line in maps.splitlines() if "/libpq" in line}
    if len(paths) != 1:
        return None  # none or ambiguous: never guess which PGconn layout we have
    try:
        func = ctypes.CDLL(paths.pop()).PQsslAttribute
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    func.restype = ctypes.c_char_p
    return func


def _attribute(conn: psycopg.Connection, name: bytes) -> str | None:
    func = _ssl_attribute_function()
    if func is None:
        return None
    value = func(conn.pgconn.pgconn_ptr, name)
    return value.decode() if value else None


def describe_tls(conn: psycopg.Connection) -> TlsInfo:
    if not conn.pgconn.ssl_in_use:
        return TlsInfo(in_use=False, version=None, cipher=None)
    return TlsInfo(
        in_use=True, version=_attribute(conn, b"protocol"), cipher=_attribute(conn, b"cipher")
    )
