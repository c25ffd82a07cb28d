"""The auth dependency through the real HTTP app: every refusal is a 401 with the challenge."""

import logging

import pytest
from fastapi.testclient import TestClient

from tests.contract_vectors import ATTACKS, Vector, case, ids, vectors_app


def assert_refused(response, code: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 401, response.text
    assert response.json() == {"code": code, "message": response.json()["message"]}
    challenge = response.headers["WWW-Authenticate"]
    if code == "MISSING_TOKEN":
        assert challenge == "Bearer"
    else:
        assert challenge == f'Bearer error="invalid_token", error_description="{code}"'


@pytest.mark.parametrize("attack", ATTACKS, ids=ids(ATTACKS))
def test_each_attack_gets_a_401_with_its_code_over_http(
    offline_client: TestClient, attack: Vector
) -> None:
    # bytes: the header goes on the wire as is, even when it is not ASCII
    header = f"Bearer {attack.token}".encode()
    with vectors_app():  # the file's secret and clock
        response = offline_client.get("/api/me", headers={"Authorization": header})  # type: ignore[dict-item]
    assert_refused(response, attack.http_code)


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc.def.ghi"],
    ids=["no header", "empty", "bare scheme", "scheme and space", "basic auth", "other scheme"],
)
def test_a_request_without_a_bearer_token_is_refused_as_missing_token(
    offline_client: TestClient, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}
    assert_refused(offline_client.get("/api/tasks", headers=headers), "MISSING_TOKEN")


def test_a_refusal_is_logged_with_a_fingerprint_and_never_the_token(
    offline_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    token = case("claims-wrong-issuer").token
    with vectors_app(), caplog.at_level(logging.INFO, logger="authbridge.auth"):
        offline_client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "INVALID_CLAIMS" in logged and "fp=" in logged
    assert token not in logged and token.split(".")[2] not in logged
