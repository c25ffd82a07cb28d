"""How a request talks to the database: one statement per call, each its own transaction.

Every call checks a connection out of the engine's pool in autocommit, runs ONE statement and
gives the connection back: no BEGIN, COMMIT or ROLLBACK ever crosses the wire, so a call is one
round trip (tests/api/test_round_trips.py holds each endpoint to its budget). A write is one
statement that PostgreSQL commits before it answers: a 2xx always means committed.

Statements are constant SQL text (app/db/tasks.py), never rebuilt per call: psycopg prepares
each one server-side after PREPARE_THRESHOLD uses on a connection (app/db/engine.py), except
through a transaction-mode pooler (DATABASE_POOLED).

When a connection dies (docs/operations.md "Timeouts and retries"):
- closed by the server while idle in the pool (restart, idle timeout, pg_terminate_backend):
  noticed at checkout without a round trip and replaced before anything is sent (app/db/engine.py);
- under a read: the read is run once more on a fresh connection (a read is idempotent);
- under a write: never replayed, since it may have committed; the request answers 503.
"""

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, Row
from sqlalchemy.exc import DBAPIError

log = logging.getLogger("authbridge.db")

Params = Mapping[str, Any]


class Database:
    """The raw-SQL handle of a request (app/state.py DbDep): constant statements, each one round
    trip in autocommit. Not an ORM session: SQLModel only declares the tables (app/models.py)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")

    def read(self, sql: str, params: Params) -> Sequence[Row[Any]]:
        """All rows of a read-only statement; retried once if its connection died under it."""
        try:
            return self._run(sql, params)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            log.warning("a read lost its connection (%s): retrying once", type(exc.orig).__name__)
        return self._run(sql, params)

    def read_one(self, sql: str, params: Params) -> Row[Any] | None:
        rows = self.read(sql, params)
        return rows[0] if rows else None

    def write(self, sql: str, params: Params) -> Sequence[Row[Any]]:
        """The rows a write statement returns (RETURNING), committed; never replayed."""
        return self._run(sql, params)

    def write_count(self, sql: str, params: Params) -> int:
        """How many rows a write without RETURNING touched, committed; never replayed."""
        with self._autocommit.connect() as conn:
            return conn.exec_driver_sql(sql, params).rowcount  # type: ignore[arg-type]

    def _run(self, sql: str, params: Params) -> Sequence[Row[Any]]:
        with self._autocommit.connect() as conn:
            return conn.exec_driver_sql(sql, params).all()  # type: ignore[arg-type]
