"""The database's certificate is verified as the frontend verifies it (app/db/engine.py "TLS").

The local test server's certificate is signed by the project's own CA (.dev/tls/ca.crt), which no
system trusts: it stands in for a man in the middle when DATABASE_CA_CERT is left empty.
"""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from app.db.engine import build_engine, connect_args, system_ca_bundle
from tests.db import ca_cert

BACKEND = Path(__file__).resolve().parents[2]
NEON = "postgresql+psycopg://u:p@ep-x.eu-central-1.aws.neon.tech/neondb?sslmode=require&channel_binding=require"
UNTRUSTED = "config error: DATABASE_CA_CERT: does not sign the database's certificate"


def url_of(engine: Engine, **changes: object) -> str:
    return engine.url.set(**changes).render_as_string(hide_password=False)  # type: ignore[arg-type]


def test_neon_url_unchanged_verifies_against_the_system_cas() -> None:
    from app.db.engine import _url_sslmode

    args = connect_args(_url_sslmode(NEON), None)
    assert args["sslmode"] == "verify-full"  # require is upgraded: libpq's require checks nothing
    assert args["sslrootcert"] == system_ca_bundle()
    assert Path(system_ca_bundle()).is_file()  # a real bundle, not the wheel's empty default
    assert "channel_binding" not in args  # the URL's channel_binding=require stays in force


@pytest.mark.parametrize(
    ("url_sslmode", "ca", "expected"),
    [
        ("require", None, "verify-full"),
        ("verify-ca", None, "verify-full"),  # chain-only against public CAs proves nothing
        ("verify-full", None, "verify-full"),
        ("require", "ca.crt", "verify-full"),  # was libpq's verify-ca: no host name check
        ("verify-ca", "ca.crt", "verify-ca"),
        ("verify-full", "ca.crt", "verify-full"),
    ],
)
def test_sslmode_is_upgraded_never_weakened(
    url_sslmode: str, ca: str | None, expected: str
) -> None:
    args = connect_args(url_sslmode, Path(ca) if ca else None)
    assert args["sslmode"] == expected
    assert args["sslrootcert"] == (ca or system_ca_bundle())


def test_without_a_ca_the_local_servers_certificate_is_refused_with_one_line(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    untrusted = build_engine(url_of(engine), None)  # DATABASE_CA_CERT empty
    try:
        with (
            caplog.at_level(logging.WARNING, logger="authbridge.db"),
            pytest.raises(OperationalError, match="certificate verify failed"),
        ):
            untrusted.connect()
    finally:
        untrusted.dispose()
    messages = [r.getMessage() for r in caplog.records]
    assert [m for m in messages if m.startswith(UNTRUSTED)] == messages[-1:], messages
    assert ". Fix: " in messages[-1]
    assert not [m for m in messages if "retrying" in m]  # a certificate problem is never retried


def test_a_certificate_for_another_host_name_is_refused(engine: Engine) -> None:
    # Connect to the real server (hostaddr) while expecting a name its certificate does not list.
    other_host = build_engine(
        url_of(engine, host="db.example.test", query={**engine.url.query, "hostaddr": "127.0.0.1"}),
        ca_cert(),
    )
    try:
        with pytest.raises(OperationalError, match="does not match host name"):
            other_host.connect()
    finally:
        other_host.dispose()


def test_with_the_ca_the_connection_is_verify_full_with_channel_binding(engine: Engine) -> None:
    with engine.connect() as conn:
        dsn = conn.connection.driver_connection.info.dsn  # type: ignore[union-attr]
    assert "sslmode=verify-full" in dsn
    assert "channel_binding=require" in dsn


def test_the_doctor_names_the_certificate_problem(engine: Engine) -> None:
    env = {
        **os.environ,
        "AUTHBRIDGE_DOTENV": os.devnull,
        "DATABASE_URL": url_of(engine),
        "DATABASE_CA_CERT": "",
    }
    result = subprocess.run(
        [sys.executable, "-m", "app.doctor"],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["database"]["reachable"] is False
    assert report["database"]["error"].startswith(UNTRUSTED), report
    assert "Traceback" not in result.stdout
