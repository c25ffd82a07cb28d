"""A throwaway database on a real TLS PostgreSQL, holding just what authbridge reads: Better Auth's
"user" and session tables (the columns the triggers watch, and the twoFactor plugin's
two_factor_enabled, the tests' second-factor column) and authbridge.schema's NOTIFY triggers.

The server comes from DATABASE_URL (a libpq URL, e.g. postgresql://U:P@localhost:5433/db?sslmode=
require) and DATABASE_CA_CERT (the CA that signs its certificate); in the authbridge repository,
`set -a; . .dev/test-env.sh; set +a` gives both."""

import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy import URL, Engine, create_engine, make_url, text

from authbridge.schema import notify_statements

SECOND_FACTOR_COLUMN = "two_factor_enabled"

# Better Auth's tables as its PostgreSQL adapter creates them, reduced to what matters here.
TABLES = (
    """CREATE TABLE "user" (
        id text PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE,
        email_verified boolean NOT NULL DEFAULT false, image text,
        two_factor_enabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now()
    )""",
    """CREATE TABLE session (
        id text PRIMARY KEY, expires_at timestamptz NOT NULL, token text NOT NULL UNIQUE,
        ip_address text, user_agent text,
        user_id text NOT NULL REFERENCES "user" (id) ON DELETE CASCADE
    )""",
    "CREATE INDEX ix_session_user_id ON session (user_id)",
)


def require_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(
            f"{name} is not set: the database tests need a TLS PostgreSQL "
            "(in the authbridge repository: set -a; . .dev/test-env.sh; set +a)"
        )
    return value


def server_url() -> URL:
    """DATABASE_URL for SQLAlchemy (psycopg 3), the certificate verified against the CA."""
    url = make_url(require_env("DATABASE_URL")).set(drivername="postgresql+psycopg")
    ca = os.environ.get("DATABASE_CA_CERT")
    if ca:
        url = url.update_query_dict({"sslmode": "verify-full", "sslrootcert": ca})
    return url


def admin_connect(url: URL) -> psycopg.Connection[Any]:
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(libpq, autocommit=True, connect_timeout=5)


def create_database() -> URL:
    base = server_url()
    name = f"authbridge_pkg_{secrets.token_hex(4)}"
    with admin_connect(base) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = base.set(database=name)
    with admin_connect(url) as conn:
        for statement in (*TABLES, *notify_statements(SECOND_FACTOR_COLUMN)):
            conn.execute(statement)
    return url


def drop_database(url: URL) -> None:
    with admin_connect(server_url()) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


def engine_for(url: URL, **options: Any) -> Engine:
    return create_engine(url, pool_pre_ping=False, **options)


@dataclass(frozen=True)
class Account:
    user_id: str
    session_id: str
    email: str


def insert_account(
    engine: Engine,
    name: str = "Ada",
    *,
    expires_in: timedelta = timedelta(days=7),
    signed_in_again: Account | None = None,
    verified: bool = True,
    second_factor: bool = False,
) -> Account:
    """A user and one session, as Better Auth writes them at sign-up. With `signed_in_again`,
    only a new session for that account's user (another sign-in). `second_factor`: the user has
    one (two_factor_enabled)."""
    session_id = f"s_{uuid.uuid4().hex}"
    with engine.begin() as conn:
        if signed_in_again is None:
            user_id = f"u_{uuid.uuid4().hex}"
            email = f"{user_id}@example.test"
            conn.execute(
                text(
                    'INSERT INTO "user" (id, name, email, email_verified, two_factor_enabled) '
                    "VALUES (:id, :name, :email, :verified, :second_factor)"
                ),
                {
                    "id": user_id,
                    "name": name,
                    "email": email,
                    "verified": verified,
                    "second_factor": second_factor,
                },
            )
        else:
            user_id, email = signed_in_again.user_id, signed_in_again.email
        conn.execute(
            text(
                "INSERT INTO session (id, expires_at, token, user_id) "
                "VALUES (:id, :expires_at, :token, :user_id)"
            ),
            {
                "id": session_id,
                "expires_at": datetime.now(UTC) + expires_in,
                "token": secrets.token_urlsafe(24),
                "user_id": user_id,
            },
        )
    return Account(user_id=user_id, session_id=session_id, email=email)


def run(engine: Engine, statement: str, **params: object) -> None:
    with engine.begin() as conn:
        conn.execute(text(statement), params)


def terminate(engine: Engine, pid: int) -> None:
    with admin_connect(engine.url) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
