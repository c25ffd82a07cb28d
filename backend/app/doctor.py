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

from app.settings import Settings, describe_config_error, load_settings

# Same label as frontend/src/config/key-check-value.ts; dev/src/doctor-command.ts compares the two.
KCV_LABEL = b"authbridge key check v1"
BACKEND_DIR = Path(__file__).resolve().parents[1]


def key_check_value(secret: str) -> str:
    return hmac.new(secret.encode(), KCV_LABEL, hashlib.sha256).hexdigest()[:16]


def _schema_state(settings: Settings) -> dict[str, Any]:
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from app.db.engine import engine_for
    from app.db.tls_info import describe_tls

    head = ScriptDirectory.from_config(Config(str(BACKEND_DIR / "alembic.ini"))).get_current_head()
    engine = engine_for(settings)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            tls = describe_tls(conn.connection.driver_connection)  # type: ignore[arg-type]
            current = MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
    return {
        "reachable": True,
        "tls": tls.in_use,
        "tls_version": tls.version,
        "current": current,
        "head": head,
    }


def main() -> int:
    try:
        settings = load_settings()
    except ValidationError as error:
        print(json.dumps({"config_error": describe_config_error(error)}))
        return 0
    secret = settings.better_auth_secret.get_secret_value()
    report: dict[str, Any] = {
        "secret_kcv": key_check_value(secret),
        "email_verification": settings.email_verification,  # compared with the frontend's
    }
    try:
        report["database"] = _schema_state(settings)
    except Exception as exc:  # any failure is a finding: a bad certificate named, else the class
        from app.db.engine import describe_certificate_failure

        error = describe_certificate_failure(exc) or exc.__class__.__name__
        report["database"] = {"reachable": False, "error": error}
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
