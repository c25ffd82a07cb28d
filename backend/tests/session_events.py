"""Changes to sessions and users as the frontend makes them, and a wait until this process's
session listener has handled their NOTIFYs (so a test can assert on the very next request)."""

import time
import uuid

from authbridge.schema import CHANNEL
from authbridge.session_listener import listener_of
from sqlalchemy import Engine, text

HEARD_WITHIN_SECONDS = 2.0


def commit_and_hear(engine: Engine, statement: str, **params: object) -> None:
    """Commit `statement`, then, if a listener of `engine` is connected, wait until it has
    handled a sentinel NOTIFY sent after it: notifications arrive in commit order, so every
    one the statement caused has been handled by then."""
    with engine.begin() as conn:
        conn.execute(text(statement), params)
    wait_until_heard(engine)


def wait_until_heard(engine: Engine) -> None:
    listener = listener_of(engine)
    if listener is None or not listener.connected.is_set():
        return  # no trusted cache: every request reads the database
    sentinel = f"s:sentinel-{uuid.uuid4().hex}"  # names no session: drops nothing real
    with engine.begin() as conn:
        conn.execute(
            text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": sentinel}
        )
    deadline = time.monotonic() + HEARD_WITHIN_SECONDS
    while listener.cache.last_payload != sentinel:
        assert listener.connected.is_set(), "the listener disconnected while waiting"
        assert time.monotonic() < deadline, f"NOTIFY not handled within {HEARD_WITHIN_SECONDS} s"
        time.sleep(0.001)
