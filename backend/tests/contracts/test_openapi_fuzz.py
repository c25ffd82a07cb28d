"""Property-based run of the committed contract against the live API (schemathesis + hypothesis).

`python -m app` serves on a free 127.0.0.1 port against this run's throwaway TLS database; the
operations come from the committed `contracts/openapi.json` (the contract the frontend is
generated from, not the app's in-memory schema):
- with a valid token, every operation, on valid and invalid inputs (schemathesis' examples,
  coverage and fuzzing phases): no 5xx, every status code and content type is declared for the
  operation, every body matches its declared schema, invalid inputs are refused (4xx), and a
  request that succeeds is refused once its token is removed or replaced;
- the same checks through stateful workflows (POST, then GET/PATCH/DELETE on the real ids);
- without a token, or with a garbage, wrongly signed, expired or revoked one, every /api/*
  operation answers 401 with the error body and the RFC 6750 challenge.

Deterministic for CI: derandomized hypothesis, no example database, a bounded number of
examples per operation (the coverage phase adds its own fixed set of boundary cases).
"""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import requests
import schemathesis
from authbridge.fastapi import AUTH_MESSAGES, AuthErrorCode
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine, text

from tests import tokens
from tests.db import Account, insert_account, libpq_url

BACKEND = Path(__file__).resolve().parents[2]
CONTRACT = BACKEND.parent / "contracts" / "openapi.json"
EXAMPLES_PER_OPERATION = 40
EXAMPLES_PER_OPERATION_AND_BROKEN_AUTH = 8
STATEFUL_SCENARIOS = 30
STATEFUL_STEPS = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# With a valid token, also: invalid inputs are refused with a 4xx, and an answer that succeeds
# with the token is refused without it and with a made-up one.
VALID_TOKEN_CHECKS = [*CHECKS, negative_data_rejection, ignored_auth]
# The test sends Authorization itself; no example database, so every run tries the same inputs.
GENERATION = {"with-security-parameters": False, "database": "none"}

schema = schemathesis.openapi.from_path(
    CONTRACT, config=SchemathesisConfig.from_dict({"generation": GENERATION})
)
# Requests that differ from a valid one by their credentials only: the contract's methods (an
# unexpected method is a 405 from routing, before any authentication), positive inputs.
api_schema = schemathesis.openapi.from_path(
    CONTRACT,
    config=SchemathesisConfig.from_dict(
        {
            "generation": {**GENERATION, "mode": "positive"},
            "phases": {"coverage": {"unexpected-methods": []}},
        }
    ),
).include(path_regex="^/api/")

FUZZ = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@dataclass(frozen=True)
class LiveApi:
    base_url: str
    account: Account
    revoked: Account  # a real user whose session has ended (signed out)
    http: requests.Session


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def live_api(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """`python -m app` on 127.0.0.1:<free port>, on the throwaway database of this run."""
    port = _free_port()
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": libpq_url(engine.url.render_as_string(hide_password=False)),
            "BACKEND_HOST": "127.0.0.1",
            "BACKEND_PORT": str(port),
            "BACKEND_WORKERS": "1",
            "AUTHBRIDGE_DOTENV": os.devnull,
        }
    )
    log_path = tmp_path_factory.mktemp("fuzz") / "backend.log"
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app"], cwd=BACKEND, env=env, stdout=log, stderr=log
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base_url}/health/live", timeout=2).raise_for_status()
                break
            except httpx.TransportError:
                assert process.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "the backend did not start within 20 s"
                time.sleep(0.1)
        revoked = insert_account(engine, name="Revoked")
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM session WHERE id = :id"), {"id": revoked.session_id})
        with requests.Session() as http:
            yield LiveApi(base_url, insert_account(engine, name="Fuzz"), revoked, http)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    errors = [line for line in log_path.read_text().splitlines() if line.startswith("ERROR:")]
    assert not errors, f"the backend logged errors (see {log_path}): {errors}"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _token(account: Account, iat_offset: int = 0, secret: str | None = None) -> str:
    claims = tokens.claims_for(
        sub=account.user_id, sid=account.session_id, iat=int(time.time()) + iat_offset
    )
    return tokens.sign(claims, secret=secret)


@schema.parametrize()
@FUZZ
def test_every_operation_with_a_valid_token_honours_the_contract(
    case: schemathesis.Case, live_api: LiveApi
) -> None:
    case.call_and_validate(
        base_url=live_api.base_url,
        session=live_api.http,
        headers=_bearer(_token(live_api.account)),
        checks=VALID_TOKEN_CHECKS,
    )


def test_workflows_through_real_task_ids_honour_the_contract(
    live_api: LiveApi, engine: Engine
) -> None:
    """Stateful: ids from POST /api/tasks and GET /api/tasks feed GET/PATCH/DELETE by id, so the
    200/204 answers of those operations are checked too (random uuids only ever find a 404).
    Each scenario runs as a new user, so that replaying it meets the same (empty) task list."""

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            self.headers = _bearer(_token(insert_account(engine, name="Workflow")))

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, object]:
            return {
                "base_url": live_api.base_url,
                "session": live_api.http,
                "headers": self.headers,
            }

        def validate_response(  # type: ignore[override]
            self, response: schemathesis.Response, case: schemathesis.Case, **_: object
        ) -> None:
            case.validate_response(response, checks=VALID_TOKEN_CHECKS)

    Workflow.run(
        settings=settings(FUZZ, max_examples=STATEFUL_SCENARIOS, stateful_step_count=STATEFUL_STEPS)
    )


EXPIRED = -(tokens.config().lifetime_seconds + 3600)  # issued a lifetime and an hour ago
BROKEN_AUTH: dict[str, tuple[Callable[[LiveApi], dict[str, str]], str]] = {
    "missing": (lambda api: {}, "MISSING_TOKEN"),
    "empty": (lambda api: {"Authorization": "Bearer "}, "MISSING_TOKEN"),
    "not-bearer": (lambda api: {"Authorization": "Basic dXNlcjpwYXNz"}, "MISSING_TOKEN"),
    "garbage": (lambda api: _bearer("not-a-jwt"), "MALFORMED_TOKEN"),
    "wrong-signature": (
        lambda api: _bearer(_token(api.account, secret="another-secret-of-more-than-32-bytes!")),
        "INVALID_SIGNATURE",
    ),
    "expired": (lambda api: _bearer(_token(api.account, iat_offset=EXPIRED)), "TOKEN_EXPIRED"),
    "revoked": (lambda api: _bearer(_token(api.revoked)), "TOKEN_REVOKED"),
}


@pytest.mark.parametrize("broken", list(BROKEN_AUTH))
@api_schema.parametrize()
@settings(FUZZ, max_examples=EXAMPLES_PER_OPERATION_AND_BROKEN_AUTH)
def test_every_api_operation_refuses_missing_or_broken_auth(
    case: schemathesis.Case, live_api: LiveApi, broken: str
) -> None:
    make_headers, code = BROKEN_AUTH[broken]
    response = case.call(
        base_url=live_api.base_url, session=live_api.http, headers=make_headers(live_api)
    )
    assert response.status_code == 401, response.text
    message = AUTH_MESSAGES[AuthErrorCode(code)]
    assert json.loads(response.content) == {"code": code, "message": message}
    challenge = response.headers["www-authenticate"][0]
    if code == "MISSING_TOKEN":
        assert challenge == "Bearer"
    else:
        assert challenge == f'Bearer error="invalid_token", error_description="{code}"'
    case.validate_response(response, checks=CHECKS)
