"""AuthBridge's session check in each SESSION_CACHE mode (listen, ttl, off) over HTTP, config and
engine given as values, functions or an app's own dependencies, the listener probe and the clock."""

import logging
import time
import types
from typing import Annotated, Any

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from authbridge import BridgeConfig
from authbridge.fastapi import AuthBridge
from authbridge.session_listener import listener_of
from tests import tokens
from tests.db import insert_account, run
from tests.test_fastapi import (
    app_for,
    assert_refused,
    bearer,
    plain_config,
    serving,
    token_for,
    vars_of,
)
from tests.test_session_listener import wait_until_heard


def with_mode(mode: str, **changes: Any) -> BridgeConfig:
    return BridgeConfig(**{**vars_of(plain_config()), "session_check": mode, **changes})


def test_listen_mode_refuses_a_revoked_token_on_the_next_request_after_the_notify(
    own_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = with_mode("listen")
    account = insert_account(own_engine)
    with caplog.at_level(logging.INFO, logger="authbridge.session_check"):
        with serving(cfg, own_engine) as client:  # the listener is asserted on after it
            listener = listener_of(own_engine)  # started by the lifespan, before any request
            assert listener is not None and listener.connected.wait(5)
            headers = bearer(token_for(account, cfg))
            assert client.get("/me", headers=headers).status_code == 200
            assert listener.cache.get(account.session_id) is not None  # served from the cache now
            run(own_engine, "DELETE FROM session WHERE id = :sid", sid=account.session_id)
            wait_until_heard(own_engine, listener)
            assert_refused(client.get("/me", headers=headers), "TOKEN_REVOKED")
        assert listener_of(own_engine) is None  # the lifespan stopped it
    assert logged_lines(caplog) == [
        "session check: listen (a per-instance cache that NOTIFY invalidates, one LISTEN "
        "connection per process; a revoked session is refused within about 1 s)"
    ]


def test_ttl_mode_refuses_a_revoked_token_within_its_bound(
    own_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = with_mode("ttl", session_cache_ttl_seconds=0.5)
    account = insert_account(own_engine)
    headers = bearer(token_for(account, cfg))
    with (
        caplog.at_level(logging.INFO, logger="authbridge.session_check"),
        serving(cfg, own_engine) as client,
    ):
        assert client.get("/me", headers=headers).status_code == 200
        run(own_engine, "DELETE FROM session WHERE id = :sid", sid=account.session_id)
        revoked_at = time.monotonic()
        while client.get("/me", headers=headers).status_code == 200:
            assert time.monotonic() - revoked_at < 0.5 + 0.2, "served past the ttl bound"
        assert_refused(client.get("/me", headers=headers), "TOKEN_REVOKED")
    assert listener_of(own_engine) is None
    assert logged_lines(caplog) == [
        "session check: ttl (a per-instance cache without a listener; a revoked session may be "
        "served for up to 0.5 s)"
    ]


def test_off_mode_refuses_a_revoked_token_on_the_very_next_request(
    own_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = with_mode("off")
    account = insert_account(own_engine)
    headers = bearer(token_for(account, cfg))
    with (
        caplog.at_level(logging.INFO, logger="authbridge.session_check"),
        serving(cfg, own_engine) as client,
    ):
        for _ in range(3):
            assert client.get("/me", headers=headers).status_code == 200
        run(own_engine, "DELETE FROM session WHERE id = :sid", sid=account.session_id)
        assert_refused(client.get("/me", headers=headers), "TOKEN_REVOKED")
    assert listener_of(own_engine) is None
    assert logged_lines(caplog) == [
        "session check: off (every request reads the session from the database; a revoked "
        "session is refused on the next request)"
    ]


def logged_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "authbridge.session_check"]


def test_config_and_engine_can_be_functions_and_overridden_per_app(
    engine: Engine, own_engine: Engine
) -> None:
    cfg = plain_config()
    calls: list[str] = []

    def get_config() -> BridgeConfig:
        calls.append("config")
        return cfg

    bridge = AuthBridge(get_config, lambda: engine)
    app = app_for(bridge)
    account = insert_account(own_engine)
    headers = bearer(token_for(account, cfg))
    with TestClient(app) as client:
        assert client.get("/me", headers=headers).status_code == 200
        assert "config" in calls
        app.dependency_overrides[bridge.engine_dependency] = lambda: own_engine
        strict = BridgeConfig(**{**vars_of(cfg), "issuer": "someone-else"})
        app.dependency_overrides[bridge.config_dependency] = lambda: strict
        assert_refused(client.get("/me", headers=headers), "INVALID_CLAIMS")


def test_an_app_may_resolve_config_and_engine_with_its_own_dependencies(
    engine: Engine,
) -> None:
    cfg = plain_config()

    class Settings:
        issuer = tokens.ISSUER

    async def settings() -> Settings:
        return Settings()

    async def config_from(settings: Annotated[Settings, Depends(settings)]) -> BridgeConfig:
        return BridgeConfig(**{**vars_of(cfg), "issuer": settings.issuer})

    async def app_engine() -> Engine:
        return engine

    bridge = AuthBridge(cfg, engine, config_dependency=config_from, engine_dependency=app_engine)
    assert (bridge.config_dependency, bridge.engine_dependency) == (config_from, app_engine)
    app = app_for(bridge)
    headers = bearer(token_for(insert_account(engine), cfg))
    with TestClient(app) as client:
        assert client.get("/me", headers=headers).status_code == 200
        Settings.issuer = "someone-else"  # the app's settings decide, per request
        assert_refused(client.get("/me", headers=headers), "INVALID_CLAIMS")


def test_the_probe_of_a_bridge_uses_its_connect(own_engine: Engine) -> None:
    bridge = AuthBridge(with_mode("listen"), own_engine)
    assert bridge.probe_listener(own_engine, with_mode("listen")).status == "heard"
    assert bridge.probe_listener(own_engine, with_mode("off")).status == "not-used"


def test_the_clock_is_the_verifiers_now(engine: Engine) -> None:
    cfg = plain_config()
    account = insert_account(engine)
    token = token_for(account, cfg)
    later = time.time() + tokens.LIFETIME + 3600
    with serving(cfg, engine, clock=later) as client:
        assert_refused(client.get("/me", headers=bearer(token)), "TOKEN_EXPIRED")
    assert isinstance(AuthBridge(cfg, engine).clock, types.BuiltinFunctionType)
