"""The listener when its connection cannot be made (it backs off, the cache serves nothing), and the
probe a health check sends through the database to learn whether this process's listener hears."""

import logging
import time
import uuid
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine

from authbridge.schema import CHANNEL
from authbridge.session_listener import (
    SessionListener,
    engine_connection,
    listener_for,
    listener_of,
    listening_cache,
)
from tests.conftest import logged
from tests.db import insert_account, run, terminate
from tests.test_session_listener import (
    HEARD_WITHIN_SECONDS,
    cache_lookup,
    wait_until_heard,
)


def refused_connect(engine: Engine, /, **overrides: Any) -> psycopg.Connection[Any]:
    """A DirectConnect to a port nothing listens on: as when the database is unreachable."""
    return engine_connection(engine, **{**overrides, "port": 1})


def test_a_listener_that_cannot_connect_backs_off_and_serves_nothing(
    own_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="authbridge.session_cache"):
        cache = listening_cache(own_engine, refused_connect)
        listener = listener_of(own_engine)
        assert listener is not None
        deadline = time.monotonic() + 5
        while len(logged(caplog, "authbridge.session_cache")) < 2:  # two failed attempts
            assert time.monotonic() < deadline, "no reconnect attempt after the first failure"
            cache.get("any")  # demand, as requests make
            time.sleep(0.01)
    assert not cache.trusted and not listener.connected.is_set()
    warnings = logged(caplog, "authbridge.session_cache", logging.WARNING)
    assert warnings == ["session cache off until the listener reconnects: OperationalError"]


def test_a_probe_is_heard_and_changes_nothing_in_the_cache(
    instance: tuple[Engine, SessionListener],
) -> None:
    engine, listener = instance
    account = insert_account(engine)
    cache_lookup(engine, listener.cache, account)
    before = (listener.cache.notifications, listener.cache.generation())
    sent: list[str] = []

    def send(payload: str) -> None:
        sent.append(payload)
        run(engine, "SELECT pg_notify(:channel, :payload)", channel=CHANNEL, payload=payload)

    latency = listener.probe(send, timeout=1.0)
    assert latency is not None and 0 <= latency < 1000
    assert len(sent) == 1 and sent[0].startswith("probe:")
    assert (listener.cache.notifications, listener.cache.generation()) == before
    assert listener.cache.get(account.session_id) is not None


def test_another_processs_probe_is_ignored(instance: tuple[Engine, SessionListener]) -> None:
    engine, listener = instance
    before = listener.cache.notifications
    run(engine, "SELECT pg_notify(:c, :p)", c=CHANNEL, p=f"probe:{uuid.uuid4().hex}")
    wait_until_heard(engine, listener)
    assert listener.cache.notifications == before + 1  # the sentinel only


def test_a_probe_that_is_never_sent_is_not_heard(instance: tuple[Engine, SessionListener]) -> None:
    _, listener = instance
    started = time.monotonic()
    assert listener.probe(lambda payload: None, timeout=0.2) is None
    assert 0.2 <= time.monotonic() - started < 1.0


def test_a_probe_of_a_listener_that_cannot_connect_is_not_heard(own_engine: Engine) -> None:
    listener = listener_for(own_engine, refused_connect)
    sent: list[str] = []
    assert listener.probe(sent.append, timeout=0.3) is None
    assert sent == []  # nothing to hear it: not sent


def test_a_probe_reconnects_a_listener_that_was_lost(
    instance: tuple[Engine, SessionListener],
) -> None:
    engine, listener = instance
    old_pid = listener.backend_pid
    assert old_pid is not None
    terminate(engine, old_pid)
    deadline = time.monotonic() + HEARD_WITHIN_SECONDS
    while listener.connected.is_set():
        assert time.monotonic() < deadline, "the listener did not notice"
        time.sleep(0.001)

    def send(payload: str) -> None:
        run(engine, "SELECT pg_notify(:channel, :payload)", channel=CHANNEL, payload=payload)

    assert listener.probe(send, timeout=5.0) is not None  # the probe is demand: it reconnects
    assert listener.backend_pid not in (None, old_pid)
