"""`python -m app.doctor`: what THIS service sees, as one JSON object for `npm run doctor`.

The secret is reported only as a key check value (a truncated HMAC of a fixed label), so the two
services can be compared without either revealing the secret or a plain hash of it.
"""

import hashlib
import hmac
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import text

from app.core.config import describe_config_error, get_settings

# Same label as frontend/src/config/key-check-value.ts; dev/src/doctor-command.ts compares the two.
KCV_LABEL = b"authbridge key check v1"
BACKEND_DIR = Path(__file__).resolve().parents[1]


def key_check_value(secret: str) -> str:
    return hmac.new(secret.encode(), KCV_LABEL, hashlib.sha256).hexdigest()[:16]


def _schema_state() -> dict[str, Any]:
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from app.core.db import get_engine
    from app.core.tls_info import describe_tls

    head = ScriptDirectory.from_config(Config(str(BACKEND_DIR / "alembic.ini"))).get_current_head()
    with get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))
        tls = describe_tls(conn.connection.driver_connection)  # type: ignore[arg-type]
        current = MigrationContext.configure(conn).get_current_revision()
    return {
        "reachable": True,
        "tls": tls.in_use,
        "tls_version": tls.version,
        "current": current,
        "head": head,
    }


def main() -> int:
    try:
        settings = get_settings()
    except ValidationError as error:
        print(json.dumps({"config_error": describe_config_error(error)}))
        return 0
    secret = settings.better_auth_secret.get_secret_value()
    report: dict[str, Any] = {
        "secret_kcv": key_check_value(secret),
        "email_verification": settings.email_verification,  # compared with the frontend's
    }
    try:
        report["database"] = _schema_state()
    except Exception as exc:  # any failure is a finding: a bad certificate named, else the class
        from app.core.db import describe_certificate_failure

        error = describe_certificate_failure(exc) or exc.__class__.__name__
        report["database"] = {"reachable": False, "error": error}
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
