"""`python -m app.doctor`, what `npm run doctor` compares with the frontend's: the email
verification policy this process runs with, beside the secret's key check value (the certificate
failure it names is tests/core/test_db_tls.py's)."""

import json
import os

import pytest

from app import doctor


@pytest.mark.parametrize(("value", "shown"), [("false", "optional"), ("true", "required")])
def test_the_doctor_reports_the_email_verification_policy_in_effect(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str, shown: str
) -> None:
    monkeypatch.setenv("REQUIRE_EMAIL_VERIFICATION", value)
    assert doctor.main() == 0
    report = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert report["email_verification"] == shown
    assert report["secret_kcv"] == doctor.key_check_value(os.environ["BETTER_AUTH_SECRET"])
    assert "database" in report  # reachable or not, the policy is reported all the same
