"""libpq's own protocol trace of every pooled connection of an engine, to count round trips.

Each round trip ends with one ReadyForQuery from the server (psycopg runs no pipeline here), so
counting those between two marks counts the round trips in between. Connection set-up (TLS,
authentication, the statement timeout) happens before a connection is first checked out and is
not part of what a request costs once the pool is warm, so it is not traced.
"""

import os
import tempfile
from dataclasses import dataclass
from typing import Any

from psycopg import pq
from sqlalchemy import Engine, event

_FLAGS = pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE


@dataclass(frozen=True)
class Exchange:
    lines: list[str]

    @property
    def round_trips(self) -> int:
        return sum(1 for line in self.lines if _message(line) == ("B", "ReadyForQuery"))

    def sent(self, message: str) -> list[str]:
        return [line for line in self.lines if _message(line) == ("F", message)]

    @property
    def transaction_commands(self) -> list[str]:
        """BEGIN / COMMIT / ROLLBACK sent as their own statements (autocommit sends none)."""
        words = ("BEGIN", "COMMIT", "ROLLBACK", "START TRANSACTION")
        statements = self.sent("Query") + self.sent("Parse")
        return [s for s in statements if any(f'"{w}' in s.upper() for w in words)]


def _message(line: str) -> tuple[str, str]:
    parts = line.split("\t")
    return (parts[0], parts[2].strip()) if len(parts) >= 3 else ("", "")


class WireTrace:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._file = tempfile.TemporaryFile()  # noqa: SIM115  closed in close()
        self._traced: list[Any] = []
        event.listen(engine, "checkout", self._on_checkout)

    def _on_checkout(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if not any(c is dbapi_connection for c in self._traced):
            self._start(dbapi_connection.pgconn)
            self._traced.append(dbapi_connection)

    def _start(self, pgconn: Any) -> None:
        pgconn.trace(self._file.fileno())
        pgconn.set_trace_flags(_FLAGS)

    def _flush(self) -> int:
        # libpq buffers its trace stream; PQuntrace flushes it. Then tracing resumes.
        for conn in list(self._traced):
            if conn.closed:
                self._traced.remove(conn)
                continue
            conn.pgconn.untrace()
            self._start(conn.pgconn)
        return os.fstat(self._file.fileno()).st_size

    def mark(self) -> int:
        return self._flush()

    def since(self, mark: int) -> Exchange:
        end = self._flush()
        raw = os.pread(self._file.fileno(), end - mark, mark).decode("utf-8", "replace")
        return Exchange([line for line in raw.splitlines() if line])

    def close(self) -> None:
        event.remove(self._engine, "checkout", self._on_checkout)
        for conn in self._traced:
            if not conn.closed:
                conn.pgconn.untrace()
        self._file.close()
