"""Settings for the backend, read from the repository's root `.env` (shell env wins).

Bad configuration stops startup with one line naming the variable and the fix
(see README.md "Configuration"); it never turns into a 500 or a 401 later.
"""

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qs, urlsplit, urlunsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.core.jwt_verifier import JwtConfig

REPO_ROOT = Path(__file__).resolve().parents[3]
# The root .env; AUTHBRIDGE_DOTENV points elsewhere (tests use /dev/null to see env vars only).
DOTENV_PATH = Path(os.environ.get("AUTHBRIDGE_DOTENV") or REPO_ROOT / ".env")
MIN_SECRET_BYTES = 32
PLACEHOLDER_MARKER = "change-me"
ACCEPTED_SSLMODES = ("require", "verify-ca", "verify-full")
ACCEPTED_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
SECRET_FIX = (
    "generate one with `openssl rand -base64 48` (npm run dev does it for you) and put it in .env"
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=DOTENV_PATH,
        env_file_encoding="utf-8",
        extra="ignore",  # the root .env also holds the frontend's variables
    )

    better_auth_secret: SecretStr
    database_url: SecretStr  # holds a password: never printed
    database_ca_cert: Path | None = None
    # DATABASE_URL goes through a transaction-mode pooler (PgBouncer, Neon's -pooler host): no
    # server-side prepared statements, no LISTEN, so no session cache (docs/security.md).
    database_pooled: bool = False
    # The per-instance session cache that NOTIFY invalidates (docs/security.md "Revocation").
    session_cache: bool = True
    better_auth_url: str = "http://localhost:3000"
    backend_jwt_issuer: str = "authbridge-frontend"
    backend_jwt_audience: str = "authbridge-backend"
    backend_jwt_lifetime_seconds: Annotated[int, Field(gt=0)] = 2_592_000
    backend_host: str = "127.0.0.1"
    backend_port: Annotated[int, Field(gt=0, lt=65536)] = 8000
    backend_workers: Annotated[int, Field(gt=0)] = 1
    # Seconds a client has to send a request's head (app/core/server.py); tests shorten it.
    backend_header_timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 10.0

    @field_validator("better_auth_secret")
    @classmethod
    def _refuse_weak_secret(cls, value: SecretStr) -> SecretStr:
        secret = value.get_secret_value()
        if not secret.strip():
            raise ValueError(f"is empty. Fix: {SECRET_FIX}")
        if PLACEHOLDER_MARKER in secret.lower():
            raise ValueError(f"is the placeholder from .env.example. Fix: {SECRET_FIX}")
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"is shorter than {MIN_SECRET_BYTES} bytes. Fix: {SECRET_FIX}")
        return value

    @field_validator("database_url")
    @classmethod
    def _require_tls_postgres(cls, value: SecretStr) -> SecretStr:
        return SecretStr(normalise_database_url(value.get_secret_value()))

    @field_validator("database_ca_cert", mode="before")
    @classmethod
    def _resolve_ca_cert(cls, value: object) -> Path | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None  # empty = the system CAs (Neon)
        path = Path(str(value)).expanduser()
        path = path if path.is_absolute() else REPO_ROOT / path
        if not path.is_file():
            raise ValueError(
                f"file {path.name!r} does not exist. Fix: point it at the PEM CA bundle "
                "(npm run dev writes .dev/tls/ca.crt) or leave it empty to use the system CAs"
            )
        return path

    @field_validator("better_auth_url")
    @classmethod
    def _require_http_origin(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("is not an http(s) URL. Fix: set it to e.g. http://localhost:3000")
        return value

    @property
    def cors_origin(self) -> str:
        """The frontend's origin: scheme://host[:port], no path, no trailing slash."""
        parts = urlsplit(self.better_auth_url)
        return f"{parts.scheme}://{parts.netloc}"

    def jwt_config(self) -> JwtConfig:
        return JwtConfig(
            key=self.better_auth_secret.get_secret_value().encode(),
            issuer=self.backend_jwt_issuer,
            audience=self.backend_jwt_audience,
            lifetime_seconds=self.backend_jwt_lifetime_seconds,
        )


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


def describe_config_error(error: ValidationError) -> str:
    """One line for humans: `config error: VAR: problem. Fix: ...` (first problem only)."""
    first = error.errors()[0]
    var = str(first["loc"][0]).upper() if first["loc"] else "CONFIG"
    if first["type"] == "missing":
        problem = "is missing. Fix: set it in the root .env (see .env.example) or the environment"
    else:
        problem = first["msg"].removeprefix("Value error, ")
        if "Fix:" not in problem:
            problem = f"{problem}. Fix: correct it in the root .env (see .env.example)"
    return f"config error: {var}: {problem}"


@lru_cache
def get_settings() -> Settings:
    return Settings()  # type: ignore[call-arg]  # values come from env / .env
