"""Throwaway databases on the real TLS PostgreSQL, and users/sessions inserted in plain SQL."""

import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, make_url, text

BACKEND = Path(__file__).resolve().parents[1]


def require_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run through `npm test` or source .dev/test-env.sh")
    return value


def ca_cert() -> Path | None:
    value = os.environ.get("DATABASE_CA_CERT")
    return Path(value) if value else None


def libpq_url(sqlalchemy_url: str) -> str:
    """postgresql+psycopg://... -> postgresql://... for psycopg.connect."""
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


def with_database(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def admin_connect(url: str) -> psycopg.Connection:
    extra = {"sslrootcert": str(ca_cert())} if ca_cert() and "sslmode=disable" not in url else {}
    return psycopg.connect(libpq_url(url), autocommit=True, connect_timeout=5, **extra)


def create_database(base_url: str) -> str:
    name = f"authbridge_pytest_{secrets.token_hex(4)}"
    with admin_connect(base_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(base_url, name)


def drop_database(base_url: str, url: str) -> None:
    name = make_url(url).database
    with admin_connect(base_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_alembic(engine: Engine, action: str, revision: str) -> None:
    cfg = Config(str(BACKEND / "alembic.ini"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        getattr(command, action)(cfg, revision)


@dataclass(frozen=True)
class Account:
    user_id: str
    session_id: str
    email: str


def insert_account(
    engine: Engine,
    name: str = "Ada",
    *,
    email: str | None = None,
    expires_in: timedelta = timedelta(days=7),
    signed_in_again: Account | None = None,
    verified: bool = True,
) -> Account:
    """A user and one session, as Better Auth writes them at sign-up (the one way tests create
    either). With `signed_in_again`, only a new session for that account's user (another sign-in).
    A negative `expires_in` gives an already expired session; `verified=False` a user who has not
    confirmed their email yet."""
    session_id = f"s_{uuid.uuid4().hex}"
    with engine.begin() as conn:
        if signed_in_again is None:
            user_id = f"u_{uuid.uuid4().hex}"
            email = email if email is not None else f"{user_id}@example.test"
            conn.execute(
                text(
                    'INSERT INTO "user" (id, name, email, email_verified) '
                    "VALUES (:id, :name, :email, :verified)"
                ),
                {"id": user_id, "name": name, "email": email, "verified": verified},
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
