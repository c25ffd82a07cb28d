"""The test and bench TCP proxy: a delay adds latency to each direction, in order, nothing lost."""

import time

from sqlalchemy import Engine

from app.db.database import Database
from app.db.engine import build_engine
from tests.db import ca_cert
from tests.tcp_proxy import TcpProxy

DELAY_S = 0.025
ROWS = 50_000  # some hundreds of kilobytes: many TCP segments, one round trip


def _fastest_read(engine: Engine, delay_s: float) -> tuple[float, list[int]]:
    """The fastest of three reads of ROWS rows through a proxy adding `delay_s` each way."""
    proxy = TcpProxy(engine.url.host or "localhost", engine.url.port or 5432, delay_s=delay_s)
    url = engine.url.set(port=proxy.port).render_as_string(hide_password=False)
    slow = build_engine(url, ca_cert())
    try:
        database = Database(slow)
        assert database.read("SELECT 1 AS one", {})[0].one == 1  # connects (many round trips)
        times: list[float] = []
        for _ in range(3):
            started = time.perf_counter()
            rows = database.read("SELECT g FROM generate_series(1, %(n)s) AS g", {"n": ROWS})
            times.append(time.perf_counter() - started)
    finally:
        slow.dispose()
        proxy.close()
    return min(times), [r.g for r in rows]


def test_a_delayed_link_adds_the_delay_twice_to_each_round_trip(engine: Engine) -> None:
    # Side by side, the same read through an undelayed proxy: what the delay adds is the difference.
    plain, _ = _fastest_read(engine, 0.0)
    delayed, values = _fastest_read(engine, DELAY_S)
    assert values == list(range(1, ROWS + 1))  # in order, nothing lost
    assert delayed >= 2 * DELAY_S
    # Once each way for the round trip, not once per segment (that would add a second or more).
    assert delayed - plain < 8 * DELAY_S, f"plain {plain:.3f} s, delayed {delayed:.3f} s"
