"""The step-up's edges: its log line (a fingerprint, never the token), a max_age refused when the
route is built, the OpenAPI document, and the challenge's wording."""

import logging
from typing import Any

import pytest
from sqlalchemy import Engine

from authbridge.fastapi import (
    AuthBridge,
    step_up_challenge,
)
from tests import tokens
from tests.db import Account
from tests.test_step_up import (
    app_for,
    assert_step_up,
    config,
    serving,
    token,
)


def test_a_step_up_is_logged_with_a_fingerprint_and_never_the_token(
    engine: Engine, enrolled: Account, caplog: pytest.LogCaptureFixture
) -> None:
    headers = token(enrolled, amr=["pwd"], auth_time=tokens.NOW - 700)
    with caplog.at_level(logging.INFO, logger="authbridge.auth"), serving(config(), engine) as c:
        c.get("/recent-strong", headers=headers)
    lines = [r.getMessage() for r in caplog.records if r.name == "authbridge.auth"]
    assert len(lines) == 1
    assert lines[0].startswith(
        "step-up required: signed in 700s ago with pwd (max_age 600, second factor missing) fp="
    )
    assert headers["Authorization"].removeprefix("Bearer ") not in lines[0]


def test_an_empty_amr_is_no_method_and_is_logged_as_such(
    engine: Engine, enrolled: Account, caplog: pytest.LogCaptureFixture
) -> None:
    headers = token(enrolled, amr=[], auth_time=tokens.NOW)
    with caplog.at_level(logging.INFO, logger="authbridge.auth"), serving(config(), engine) as c:
        assert_step_up(
            c.get("/strong", headers=headers),
            'Bearer error="insufficient_user_authentication", '
            'error_description="A sign-in with a second factor is required", acr_values="mfa"',
        )
    assert "with nothing (max_age None, second factor missing)" in caplog.text


@pytest.mark.parametrize(
    "max_age", [-1, 1.5, "600", True], ids=["negative", "float", "str", "bool"]
)
def test_a_max_age_that_is_not_whole_seconds_is_refused_when_the_route_is_built(
    engine: Engine, max_age: Any
) -> None:
    with pytest.raises(ValueError, match="max_age must be a whole number of seconds >= 0"):
        AuthBridge(config(), engine).require_auth(max_age=max_age)


def test_the_openapi_document_declares_the_step_up_and_its_challenge(engine: Engine) -> None:
    document = app_for(AuthBridge(config(), engine)).openapi()
    unauthorized = document["paths"]["/recent"]["get"]["responses"]["401"]
    assert "INSUFFICIENT_USER_AUTHENTICATION" in unauthorized["description"]
    assert "WWW-Authenticate" in unauthorized["headers"]
    assert unauthorized["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }


def test_the_challenge_without_a_max_age_or_a_missing_factor() -> None:
    assert step_up_challenge(max_age=None, too_old=True, needs_mfa=False) == (
        'Bearer error="insufficient_user_authentication", '
        'error_description="A more recent sign-in is required"'
    )
