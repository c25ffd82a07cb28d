"""The test and bench TCP proxy: a delay adds latency to each direction, in order, nothing lost."""

import time

from sqlalchemy import Engine

from app.db.database import Database
from app.db.engine import build_engine
from tests.db import ca_cert
from tests.tcp_proxy import TcpProxy

DELAY_S = 0.025


def test_a_delayed_link_adds_the_delay_twice_to_each_round_trip(engine: Engine) -> None:
    proxy = TcpProxy(engine.url.host or "localhost", engine.url.port or 5432, delay_s=DELAY_S)
    url = engine.url.set(port=proxy.port).render_as_string(hide_password=False)
    slow = build_engine(url, ca_cert())
    try:
        database = Database(slow)
        assert database.read("SELECT 1 AS one", {})[0].one == 1  # connects (many round trips)
        started = time.perf_counter()
        rows = database.read("SELECT g FROM generate_series(1, 5000) AS g", {})
        elapsed = time.perf_counter() - started
    finally:
        slow.dispose()
        proxy.close()
    assert [r.g for r in rows] == list(range(1, 5001))  # in order, nothing lost
    assert 2 * DELAY_S <= elapsed < 2 * DELAY_S + 0.5
