"""DATABASE_URL's check: TLS PostgreSQL only, then psycopg 3 for SQLAlchemy (app/settings.py runs
it on DATABASE_URL and DATABASE_URL_UNPOOLED; the engine of app/db/engine.py then verifies the
server's certificate whatever the URL's sslmode says)."""

from urllib.parse import parse_qs, urlsplit, urlunsplit

ACCEPTED_SSLMODES = ("require", "verify-ca", "verify-full")
ACCEPTED_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def normalise_database_url(url: str) -> str:
    """Refuse anything but TLS PostgreSQL and point SQLAlchemy at psycopg 3.

    The query string (sslmode, channel_binding, ...) is kept as is: libpq reads it.
    """
    if not url.strip():
        raise ValueError("is empty. Fix: set it to postgresql://USER:PASS@HOST/DB?sslmode=require")
    parts = urlsplit(url.strip())
    if parts.scheme not in ACCEPTED_SCHEMES:
        raise ValueError(
            "is not a PostgreSQL URL. Fix: use postgresql://USER:PASS@HOST/DB?sslmode=require"
        )
    sslmode = parse_qs(parts.query).get("sslmode", [""])[-1]
    if sslmode not in ACCEPTED_SSLMODES:
        shown = f"sslmode={sslmode}" if sslmode else "no sslmode"
        raise ValueError(
            f"has {shown}, which allows an unencrypted connection. "
            "Fix: add sslmode=require (or verify-ca / verify-full) to its query string"
        )
    return urlunsplit(parts._replace(scheme="postgresql+psycopg"))
