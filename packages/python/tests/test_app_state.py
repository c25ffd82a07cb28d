"""AuthBridge in an application that makes its config and engine in its own lifespan and keeps
them in app.state: the bridge holds neither, its dependencies read the state, and its lifespan
is handed the values."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from authbridge import BridgeConfig, SessionUser
from authbridge.fastapi import AUTH_RESPONSES, AuthBridge
from authbridge.session_listener import listener_of
from tests.db import insert_account, run
from tests.test_fastapi import assert_refused, bearer, token_for
from tests.test_fastapi_modes import logged_lines, with_mode
from tests.test_session_listener import wait_until_heard


async def state_config(request: Request) -> BridgeConfig:
    config: BridgeConfig = request.app.state.config
    return config


async def state_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def app_with_state(config: BridgeConfig, engine: Engine) -> FastAPI:
    bridge = AuthBridge(config_dependency=state_config, engine_dependency=state_engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.config, app.state.engine = config, engine
        async with bridge.lifespan(app, config=config, engine=engine):
            yield

    app = FastAPI(lifespan=lifespan)
    bridge.install(app)

    @app.get("/me", responses=AUTH_RESPONSES)
    async def me(user: Annotated[SessionUser, Depends(bridge.current_user)]) -> dict[str, Any]:
        return {"id": user.id}

    return app


def test_a_bridge_without_its_own_config_and_engine_serves_from_the_apps_state(
    own_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = with_mode("listen")
    account = insert_account(own_engine)
    app = app_with_state(cfg, own_engine)
    with caplog.at_level(logging.INFO, logger="authbridge.session_check"):
        with TestClient(app) as client:
            listener = listener_of(own_engine)  # the lifespan started it on the state's engine
            assert listener is not None and listener.connected.wait(5)
            response = client.get("/me", headers=bearer(token_for(account, cfg)))
            assert response.json() == {"id": account.user_id}
            run(own_engine, "DELETE FROM session WHERE id = :sid", sid=account.session_id)
            wait_until_heard(own_engine, listener)
            assert_refused(
                client.get("/me", headers=bearer(token_for(account, cfg))), "TOKEN_REVOKED"
            )
        assert listener_of(own_engine) is None  # and stopped it at shutdown
    assert logged_lines(caplog)[0].startswith("session check: listen")


@pytest.mark.parametrize("name", ["config", "engine"])
def test_a_bridge_asked_for_what_it_was_not_given_says_how_to_give_it(name: str) -> None:
    bridge = AuthBridge()
    getter = bridge.get_config if name == "config" else bridge.get_engine
    with pytest.raises(
        RuntimeError, match=rf"AuthBridge has no {name}: .*lifespan\({name}=\.\.\.\)"
    ):
        getter()
