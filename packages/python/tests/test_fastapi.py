"""authbridge.fastapi through a real FastAPI app on the real database: every refusal is a 401 with
its RFC 6750 challenge, every valid vector is served, revocation in each session-check mode, the
email verification policy, and the lifespan."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from authbridge import BridgeConfig, SessionCheck, SessionUser
from authbridge.fastapi import AUTH_MESSAGES, AUTH_RESPONSES, AuthBridge, AuthErrorCode
from tests import tokens
from tests.contract_vectors import (
    ATTACKS,
    NOW,
    ROTATION,
    VALID,
    Vector,
    bridge_config,
    case,
    ids,
    payload_of,
)
from tests.db import Account, insert_account, run


def app_for(bridge: AuthBridge) -> FastAPI:
    app = FastAPI(lifespan=bridge.lifespan)
    bridge.install(app)
    CurrentUser = Annotated[SessionUser, Depends(bridge.current_user)]

    @app.get("/me", responses=AUTH_RESPONSES)
    async def me(user: CurrentUser) -> dict[str, Any]:
        return {"id": user.id, "name": user.name, "email": user.email}

    return app


@contextmanager
def serving(
    config: BridgeConfig, engine: Engine, clock: float | None = None
) -> Iterator[TestClient]:
    bridge = AuthBridge(config, engine)
    if clock is not None:
        bridge.clock = lambda: clock
    with TestClient(app_for(bridge), raise_server_exceptions=False) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def token_for(account: Account, cfg: BridgeConfig) -> str:
    return tokens.issue(cfg.jwt, account.user_id, account.session_id, int(time.time()))


def plain_config() -> BridgeConfig:
    return BridgeConfig(
        key=tokens.secret_for_tests().encode(),
        issuer=tokens.ISSUER,
        audience=tokens.AUDIENCE,
        lifetime_seconds=tokens.LIFETIME,
        session_check=SessionCheck.OFF,
    )


def assert_refused(response: Response, code: str) -> None:
    assert response.status_code == 401, response.text
    assert response.json() == {"code": code, "message": AUTH_MESSAGES[AuthErrorCode(code)]}
    challenge = response.headers["WWW-Authenticate"]
    if code == "MISSING_TOKEN":
        assert challenge == "Bearer"
    else:
        assert challenge == f'Bearer error="invalid_token", error_description="{code}"'


@pytest.fixture(scope="module")
def vectors_client(engine: Engine) -> Iterator[TestClient]:
    """The file's secret, issuer, audience and lifetime, its clock stopped at the file's `now`;
    without a cache: the vectors share one session id between users."""
    with serving(bridge_config(session_check="off"), engine, clock=float(NOW)) as client:
        yield client


@pytest.mark.parametrize("attack", ATTACKS, ids=ids(ATTACKS))
def test_each_attack_gets_a_401_with_its_code_over_http(
    vectors_client: TestClient, attack: Vector
) -> None:
    header = f"Bearer {attack.token}".encode()  # bytes: on the wire as is, even if not ASCII
    response = vectors_client.get("/me", headers={"Authorization": header})
    assert_refused(response, attack.http_code)


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc.def.ghi"],
    ids=["no header", "empty", "bare scheme", "scheme and space", "basic auth", "other scheme"],
)
def test_a_request_without_a_bearer_token_is_refused_as_missing_token(
    vectors_client: TestClient, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}
    assert_refused(vectors_client.get("/me", headers=headers), "MISSING_TOKEN")


def give_a_live_session(engine: Engine, user_id: str, session_id: str) -> None:
    """The user, and session `session_id` as theirs (vectors share a session id between users)."""
    run(
        engine,
        'INSERT INTO "user" (id, name, email, email_verified) '
        "VALUES (:id, 'Vector', :id || '@example.test', true) ON CONFLICT (id) DO NOTHING",
        id=user_id,
    )
    run(
        engine,
        "INSERT INTO session (id, expires_at, token, user_id) "
        "VALUES (:id, now() + interval '1 hour', md5(random()::text), :user_id) "
        "ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id",
        id=session_id,
        user_id=user_id,
    )


def test_each_valid_vector_is_served_end_to_end(vectors_client: TestClient, engine: Engine) -> None:
    for vector in VALID:
        claims = payload_of(vector.token)
        give_a_live_session(engine, claims["sub"], claims["sid"])
        response = vectors_client.get("/me", headers=bearer(vector.token))
        assert response.status_code == 200, f"{vector.name}: {response.text}"
        assert response.json()["id"] == claims["sub"], vector.name


@pytest.mark.parametrize("held", [True, False], ids=["previous secret held", "window over"])
def test_a_token_from_before_a_rotation_is_served_only_while_the_previous_secret_is_held(
    engine: Engine, held: bool
) -> None:
    token = next(c for c in ROTATION["cases"] if c["previous"] is held and "old" in c["name"])
    claims = payload_of(token["token"])
    give_a_live_session(engine, claims["sub"], claims["sid"])
    previous = (ROTATION["previous_secret"].encode(),) if held else ()
    with serving(bridge_config(previous_keys=previous, session_check="off"), engine, NOW) as client:
        response = client.get("/me", headers=bearer(token["token"]))
    if held:
        assert response.status_code == 200 and response.json()["id"] == claims["sub"]
    else:
        assert_refused(response, "INVALID_SIGNATURE")


def test_a_refusal_is_logged_with_a_fingerprint_and_never_the_token(
    vectors_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    token = case("claims-wrong-issuer").token
    with caplog.at_level(logging.INFO, logger="authbridge.auth"):
        vectors_client.get("/me", headers=bearer(token))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "INVALID_CLAIMS" in logged and "fp=" in logged
    assert token not in logged and token.split(".")[2] not in logged


def test_a_token_for_a_session_that_ended_or_never_was_is_revoked(engine: Engine) -> None:
    cfg = plain_config()
    ada, bob = insert_account(engine), insert_account(engine)
    expired = insert_account(engine, expires_in=timedelta(seconds=-1))
    forged = Account(ada.user_id, bob.session_id, ada.email)  # ada's sub, bob's session
    with serving(cfg, engine) as client:
        assert client.get("/me", headers=bearer(token_for(ada, cfg))).status_code == 200
        for account in (expired, forged, Account(ada.user_id, "nope", ada.email)):
            assert_refused(
                client.get("/me", headers=bearer(token_for(account, cfg))), "TOKEN_REVOKED"
            )


@pytest.mark.parametrize("required", [True, False], ids=["required", "optional"])
def test_an_unverified_users_token_is_refused_only_when_verification_is_required(
    engine: Engine, required: bool
) -> None:
    cfg = BridgeConfig(**{**vars_of(plain_config()), "require_email_verification": required})
    account = insert_account(engine, verified=False)
    with serving(cfg, engine) as client:
        response = client.get("/me", headers=bearer(token_for(account, cfg)))
    if required:
        assert_refused(response, "EMAIL_NOT_VERIFIED")
    else:
        assert response.status_code == 200


def vars_of(cfg: BridgeConfig) -> dict[str, Any]:
    return {
        name: getattr(cfg, name)
        for name in (
            "key",
            "issuer",
            "audience",
            "lifetime_seconds",
            "previous_keys",
            "require_email_verification",
            "session_check",
            "session_cache_ttl_seconds",
            "second_factor_column",
        )
    }
