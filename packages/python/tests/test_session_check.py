"""The session check on the real database: the look-up, its retry on a lost connection, the cache
of each mode (listen, ttl, off) and the listener probe of each."""

import logging
import time
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text

from authbridge.config import BridgeConfig, SessionCheck
from authbridge.jwt_verifier import TokenClaims
from authbridge.session_cache import ENTRY_TTL_SECONDS
from authbridge.session_check import (
    LISTENER_PROBE_SECONDS,
    check_session,
    live_session_user,
    probe_listener,
    read,
    session_cache_for,
)
from authbridge.session_listener import listener_of
from tests.conftest import logged
from tests.db import Account, insert_account, run, terminate

KEY = b"k" * 32


def claims_of(account: Account) -> TokenClaims:
    return TokenClaims(account.user_id, account.session_id, "jti", 0, 1)


def config(mode: str, ttl: float = 5.0) -> BridgeConfig:
    return BridgeConfig(key=KEY, session_check=SessionCheck(mode), session_cache_ttl_seconds=ttl)


def test_a_live_session_gives_its_user(engine: Engine) -> None:
    account = insert_account(engine, "Grace", verified=False)
    user = live_session_user(engine, account.session_id, account.user_id)
    assert user is not None
    assert (user.id, user.name, user.email, user.email_verified) == (
        account.user_id,
        "Grace",
        account.email,
        False,
    )
    assert user.session_expires_at > time.time() + 6 * 24 * 3600


def test_the_configured_second_factor_column_is_read_with_the_session(engine: Engine) -> None:
    enrolled = insert_account(engine, second_factor=True)
    plain = insert_account(engine)
    query = BridgeConfig(key=KEY, second_factor_column="two_factor_enabled").session_query
    for account, expected in ((enrolled, True), (plain, False)):
        user = live_session_user(engine, account.session_id, account.user_id, query)
        assert user is not None and user.second_factor is expected
        # check_session runs the configuration's statement too.
        checked = check_session(engine, None, claims_of(account), query)
        assert checked is not None and checked.second_factor is expected
    # Without a column (the default statement) nobody has a second factor.
    user = live_session_user(engine, enrolled.session_id, enrolled.user_id)
    assert user is not None and user.second_factor is False


def test_an_expired_a_foreign_or_an_unknown_session_gives_nobody(engine: Engine) -> None:
    expired = insert_account(engine, expires_in=timedelta(seconds=-1))
    ada, bob = insert_account(engine), insert_account(engine)
    assert live_session_user(engine, expired.session_id, expired.user_id) is None
    assert live_session_user(engine, bob.session_id, ada.user_id) is None  # not sub's session
    assert live_session_user(engine, "no-such-session", ada.user_id) is None


@pytest.mark.parametrize("column", [None, "two_factor_enabled"], ids=["plain", "second factor"])
def test_the_look_up_is_driven_by_indexes_never_a_table_scan(
    engine: Engine, column: str | None
) -> None:
    from authbridge.schema import live_session_user_query

    account = insert_account(engine)
    query = live_session_user_query(column)
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")  # tiny tables: ask what CAN drive it
        params = {"session_id": account.session_id, "user_id": account.user_id}
        plan = "\n".join(conn.exec_driver_sql(f"EXPLAIN {query}", params).scalars())
        conn.rollback()
    assert "Seq Scan" not in plan, plan
    assert "session_pkey" in plan or "ix_session_user_id" in plan, plan
    assert "user_pkey" in plan, plan


def pooled_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def test_a_read_whose_connection_died_runs_once_more_on_a_fresh_one(
    own_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    account = insert_account(own_engine)
    pid = pooled_pid(own_engine)  # the pool's one idle connection
    terminate(own_engine, pid)
    with caplog.at_level(logging.WARNING, logger="authbridge.db"):
        user = live_session_user(own_engine, account.session_id, account.user_id)
    assert user is not None and user.id == account.user_id
    assert logged(caplog, "authbridge.db") == [
        "a read lost its connection (AdminShutdown): retrying once"
    ]
    assert pooled_pid(own_engine) != pid


def test_a_read_that_fails_for_another_reason_is_not_retried(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    from sqlalchemy.exc import DBAPIError

    with caplog.at_level(logging.WARNING, logger="authbridge.db"), pytest.raises(DBAPIError):
        read(engine, "SELECT 1 / 0", {})
    assert logged(caplog, "authbridge.db") == []


def test_off_has_no_cache_and_every_check_reads_the_database(own_engine: Engine) -> None:
    assert session_cache_for(own_engine, config("off")) is None
    account = insert_account(own_engine)
    assert check_session(own_engine, None, claims_of(account)) is not None
    run(own_engine, "DELETE FROM session WHERE id = :sid", sid=account.session_id)
    assert check_session(own_engine, None, claims_of(account)) is None  # the very next check
    assert listener_of(own_engine) is None


def test_ttl_caches_without_a_listener_for_its_stated_bound(own_engine: Engine) -> None:
    cache = session_cache_for(own_engine, config("ttl", ttl=0.3))
    assert cache is not None and cache.trusted and cache.ttl_seconds == 0.3
    assert session_cache_for(own_engine, config("ttl", ttl=0.3)) is cache  # one per engine
    account = insert_account(own_engine)
    assert check_session(own_engine, cache, claims_of(account)) is not None
    stored_at = time.monotonic()
    run(own_engine, "DELETE FROM session WHERE id = :sid", sid=account.session_id)
    # Revoked, yet served from the cache until its bound: that is the mode's stated trade.
    assert cache.get(account.session_id) is not None
    while cache.get(account.session_id) is not None:
        assert time.monotonic() - stored_at < 0.3 + 0.1, "served past the ttl bound"
        time.sleep(0.005)
    assert time.monotonic() - stored_at >= 0.3 - 0.01
    assert check_session(own_engine, cache, claims_of(account)) is None
    assert listener_of(own_engine) is None  # no connection held


def test_ttl_caches_are_forgotten_with_their_engine(own_engine: Engine) -> None:
    cache = session_cache_for(own_engine, config("ttl"))
    own_engine.dispose()
    assert session_cache_for(own_engine, config("ttl")) is not cache
    assert ENTRY_TTL_SECONDS == 60  # and no ttl may exceed the listen mode's backstop


def test_listen_caches_behind_the_engines_listener(own_engine: Engine) -> None:
    cache = session_cache_for(own_engine, config("listen"))
    listener = listener_of(own_engine)
    assert cache is not None and listener is not None and listener.cache is cache
    assert listener.connected.wait(5)
    account = insert_account(own_engine)
    assert check_session(own_engine, cache, claims_of(account)) is not None
    assert cache.get(account.session_id) is not None


@pytest.mark.parametrize("mode", ["ttl", "off"])
def test_a_probe_in_a_mode_without_listener_says_not_used(own_engine: Engine, mode: str) -> None:
    probe = probe_listener(own_engine, config(mode))
    assert (probe.status, probe.latency_ms) == ("not-used", None)
    assert listener_of(own_engine) is None


def test_a_probe_in_the_listen_mode_starts_the_listener_and_is_heard(own_engine: Engine) -> None:
    probe = probe_listener(own_engine, config("listen"))
    assert probe.status == "heard", probe
    assert probe.latency_ms is not None and probe.latency_ms < LISTENER_PROBE_SECONDS * 1000
    listener = listener_of(own_engine)
    assert listener is not None and listener.connected.is_set()
    with own_engine.connect() as conn:
        listeners = conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
            {"pid": listener.backend_pid},
        ).scalar_one()
    assert listeners == 1


def test_a_probe_that_is_not_heard_in_time_says_so(own_engine: Engine) -> None:
    probe = probe_listener(own_engine, config("listen"), timeout=0.0)  # no time to connect
    assert (probe.status, probe.latency_ms) == ("not-heard", None)
