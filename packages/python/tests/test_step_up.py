"""The step-up dependency (RFC 9470) through a real FastAPI app on the real database: a sign-in
too old for the route's max_age, a user with a second factor who signed in without it, a token
from before amr and auth_time, and the second factor read with the session and dropped from the
cache when it changes."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from authbridge import BridgeConfig, SessionCheck
from authbridge.fastapi import (
    AUTH_MESSAGES,
    STEP_UP_RESPONSES,
    AuthBridge,
    Authenticated,
    AuthErrorCode,
)
from authbridge.session_listener import listener_of
from tests import tokens
from tests.db import SECOND_FACTOR_COLUMN, Account, insert_account, run
from tests.test_session_listener import wait_until_heard

MAX_AGE = 600
NOW = float(tokens.NOW)


def config(**changes: Any) -> BridgeConfig:
    options: dict[str, Any] = {
        "key": tokens.secret_for_tests().encode(),
        "issuer": tokens.ISSUER,
        "audience": tokens.AUDIENCE,
        "lifetime_seconds": tokens.LIFETIME,
        "session_check": SessionCheck.OFF,
        "second_factor_column": SECOND_FACTOR_COLUMN,
    }
    return BridgeConfig(**{**options, **changes})


def app_for(bridge: AuthBridge) -> FastAPI:
    app = FastAPI(lifespan=bridge.lifespan)
    bridge.install(app)
    Recent = Annotated[Authenticated, Depends(bridge.require_auth(max_age=MAX_AGE))]
    RecentStrong = Annotated[Authenticated, Depends(bridge.require_auth(max_age=MAX_AGE, mfa=True))]
    Strong = Annotated[Authenticated, Depends(bridge.require_auth(mfa=True))]
    Any_ = Annotated[Authenticated, Depends(bridge.require_auth())]

    def answer(auth: Authenticated) -> dict[str, Any]:
        return {
            "id": auth.user.id,
            "sid": auth.claims.sid,
            "auth_time": auth.auth_time,
            "amr": list(auth.amr),
        }

    @app.get("/recent", responses=STEP_UP_RESPONSES)
    async def recent(auth: Recent) -> dict[str, Any]:
        return answer(auth)

    @app.get("/recent-strong", responses=STEP_UP_RESPONSES)
    async def recent_strong(auth: RecentStrong) -> dict[str, Any]:
        return answer(auth)

    @app.get("/strong")
    async def strong(auth: Strong) -> dict[str, Any]:
        return answer(auth)

    @app.get("/any")
    async def any_sign_in(auth: Any_) -> dict[str, Any]:
        return answer(auth)

    return app


@contextmanager
def serving(cfg: BridgeConfig, engine: Engine, clock: float = NOW) -> Iterator[TestClient]:
    bridge = AuthBridge(cfg, engine)
    bridge.clock = lambda: clock
    with TestClient(app_for(bridge), raise_server_exceptions=False) as client:
        yield client


def token(
    account: Account,
    *,
    iat: int = tokens.NOW,
    amr: list[str] | None = None,
    auth_time: int | None = None,
    cfg: BridgeConfig | None = None,
) -> dict[str, str]:
    issued = tokens.issue(
        (cfg or config()).jwt,
        account.user_id,
        account.session_id,
        iat,
        amr=amr,
        auth_time=auth_time,
    )
    return {"Authorization": f"Bearer {issued}"}


def assert_step_up(response: Response, challenge: str) -> None:
    assert response.status_code == 401, response.text
    assert response.json() == {
        "code": "INSUFFICIENT_USER_AUTHENTICATION",
        "message": AUTH_MESSAGES[AuthErrorCode.INSUFFICIENT_USER_AUTHENTICATION],
    }
    assert response.headers["WWW-Authenticate"] == challenge


TOO_OLD = (
    'Bearer error="insufficient_user_authentication", '
    'error_description="A more recent sign-in is required", max_age=600'
)
NO_SECOND_FACTOR = (
    'Bearer error="insufficient_user_authentication", '
    'error_description="A sign-in with a second factor is required", max_age=600, '
    'acr_values="mfa"'
)
TOO_OLD_AND_NO_SECOND_FACTOR = (
    'Bearer error="insufficient_user_authentication", '
    'error_description="A more recent sign-in with a second factor is required", max_age=600, '
    'acr_values="mfa"'
)


def test_a_sign_in_within_max_age_is_served_with_how_and_when(engine: Engine, ada: Account) -> None:
    with serving(config(), engine) as client:
        response = client.get("/recent", headers=token(ada, amr=["pwd"], auth_time=tokens.NOW - 10))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": ada.user_id,
        "sid": ada.session_id,
        "auth_time": tokens.NOW - 10,
        "amr": ["pwd"],
    }


def test_max_age_is_the_last_second_allowed_and_one_more_asks_for_a_new_sign_in(
    engine: Engine, ada: Account
) -> None:
    with serving(config(), engine) as client:
        at_the_bound = token(ada, amr=["pwd"], auth_time=tokens.NOW - MAX_AGE)
        assert client.get("/recent", headers=at_the_bound).status_code == 200
        beyond = token(ada, amr=["pwd"], auth_time=tokens.NOW - MAX_AGE - 1)
        assert_step_up(client.get("/recent", headers=beyond), TOO_OLD)


def test_the_age_is_the_sign_ins_not_the_tokens(engine: Engine, ada: Account) -> None:
    """A token issued now for a session signed in two days ago is too old for the route."""
    with serving(config(), engine) as client:
        headers = token(ada, iat=tokens.NOW, amr=["pwd"], auth_time=tokens.NOW - 2 * 86400)
        assert_step_up(client.get("/recent", headers=headers), TOO_OLD)
        assert client.get("/any", headers=headers).status_code == 200  # no requirement


def test_a_token_from_before_amr_and_auth_time_counts_as_a_password_sign_in_at_iat(
    engine: Engine, ada: Account, enrolled: Account
) -> None:
    with serving(config(), engine) as client:
        recent = client.get("/recent", headers=token(ada, iat=tokens.NOW - 30))
        assert recent.status_code == 200
        assert recent.json()["auth_time"] == tokens.NOW - 30 and recent.json()["amr"] == ["pwd"]
        old = token(ada, iat=tokens.NOW - MAX_AGE - 1)
        assert_step_up(client.get("/recent", headers=old), TOO_OLD)
        # A password sign-in: no second factor, which a user who has one is asked for.
        assert_step_up(
            client.get("/recent-strong", headers=token(enrolled, iat=tokens.NOW - 30)),
            NO_SECOND_FACTOR,
        )


def test_a_second_factor_is_asked_only_of_a_user_who_has_one(
    engine: Engine, ada: Account, enrolled: Account
) -> None:
    fresh = tokens.NOW - 5
    with serving(config(), engine) as client:
        plain = token(ada, amr=["pwd"], auth_time=fresh)
        assert client.get("/recent-strong", headers=plain).status_code == 200
        federated = token(ada, amr=["fed"], auth_time=fresh)
        assert client.get("/recent-strong", headers=federated).status_code == 200
        weak = token(enrolled, amr=["pwd"], auth_time=fresh)
        assert_step_up(client.get("/recent-strong", headers=weak), NO_SECOND_FACTOR)
        strong = token(enrolled, amr=["pwd", "otp", "mfa"], auth_time=fresh)
        assert client.get("/recent-strong", headers=strong).status_code == 200
        passkey = token(enrolled, amr=["hwk", "user", "mfa"], auth_time=fresh)
        assert client.get("/recent-strong", headers=passkey).status_code == 200
        # Without max_age the challenge names only the method.
        response = client.get("/strong", headers=weak)
        assert_step_up(
            response,
            'Bearer error="insufficient_user_authentication", '
            'error_description="A sign-in with a second factor is required", acr_values="mfa"',
        )


def test_too_old_and_too_weak_at_once_says_both(engine: Engine, enrolled: Account) -> None:
    with serving(config(), engine) as client:
        headers = token(enrolled, amr=["pwd"], auth_time=tokens.NOW - MAX_AGE - 60)
        assert_step_up(client.get("/recent-strong", headers=headers), TOO_OLD_AND_NO_SECOND_FACTOR)
        strong_but_old = token(enrolled, amr=["pwd", "otp", "mfa"], auth_time=tokens.NOW - 3600)
        assert_step_up(client.get("/recent-strong", headers=strong_but_old), TOO_OLD)


def test_without_a_second_factor_column_nobody_is_asked_for_one(
    engine: Engine, enrolled: Account
) -> None:
    cfg = config(second_factor_column=None)
    with serving(cfg, engine) as client:
        headers = token(enrolled, amr=["pwd"], auth_time=tokens.NOW - 5, cfg=cfg)
        assert client.get("/recent-strong", headers=headers).status_code == 200


def test_a_refused_token_is_refused_before_any_step_up(engine: Engine, ada: Account) -> None:
    with serving(config(), engine) as client:
        old = token(ada, amr=["pwd"], auth_time=tokens.NOW - 3600)
        run(engine, "DELETE FROM session WHERE id = :sid", sid=ada.session_id)
        response = client.get("/recent", headers=old)
        assert response.status_code == 401
        assert response.json()["code"] == "TOKEN_REVOKED"
        assert client.get("/recent", headers={}).json()["code"] == "MISSING_TOKEN"


def test_a_second_factor_enabled_while_cached_is_asked_for_on_the_next_request(
    own_engine: Engine,
) -> None:
    """listen mode: the user row is cached with the session; enabling a second factor sends the
    user's NOTIFY, which drops the entry, so the very next request reads it."""
    cfg = config(session_check=SessionCheck.LISTEN)
    account = insert_account(own_engine)
    with serving(cfg, own_engine, clock=time.time()) as client:
        listener = listener_of(own_engine)
        assert listener is not None and listener.connected.wait(5)
        headers = token(
            account, iat=int(time.time()), amr=["pwd"], auth_time=int(time.time()), cfg=cfg
        )
        assert client.get("/recent-strong", headers=headers).status_code == 200
        assert listener.cache.get(account.session_id) is not None  # cached, without a factor
        run(
            own_engine,
            'UPDATE "user" SET two_factor_enabled = true WHERE id = :uid',
            uid=account.user_id,
        )
        wait_until_heard(own_engine, listener)
        assert listener.cache.get(account.session_id) is None
        assert_step_up(client.get("/recent-strong", headers=headers), NO_SECOND_FACTOR)
