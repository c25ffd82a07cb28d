"""Settings for the backend, read from the repository's root `.env` (shell env wins).

Bad configuration stops startup with one line naming the variable and the fix
(see README.md "Configuration"); it never turns into a 500 or a 401 later.
"""

import os
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from authbridge import BridgeConfig, JwtConfig, SessionCheck
from authbridge.config import MAX_TTL_SECONDS
from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.db.url import normalise_database_url

REPO_ROOT = Path(__file__).resolve().parents[2]
# The root .env; AUTHBRIDGE_DOTENV points elsewhere (tests use /dev/null to see env vars only).
DOTENV_PATH = Path(os.environ.get("AUTHBRIDGE_DOTENV") or REPO_ROOT / ".env")
MIN_SECRET_BYTES = 32
PLACEHOLDER_MARKER = "change-me"
# scheme://host[:port], lower case; `*` within the host only (never across a dot or into the port).
_ORIGIN_PATTERN = re.compile(r"https?://(?:[a-z0-9*-]+\.)*[a-z0-9*-]+(?::[0-9]{1,5})?")
# SESSION_CACHE was a boolean: its values keep their meaning (pydantic's spellings of a bool).
_SESSION_CACHE_ALIASES = {
    **dict.fromkeys(("true", "1", "yes", "on", "t", "y"), SessionCheck.LISTEN.value),
    **dict.fromkeys(("false", "0", "no", "f", "n"), SessionCheck.OFF.value),
}
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
    # The secret before the last rotation, kept for a window so that backend tokens signed with it
    # still verify (docs/operations.md "Rotating BETTER_AUTH_SECRET"); empty outside a rotation.
    better_auth_secret_previous: SecretStr | None = None
    database_url: SecretStr  # holds a password: never printed
    # The direct (non-pooled) URL for migrations and the session listener's LISTEN, when
    # DATABASE_URL goes through a pooler; Neon's name for it. Empty: DATABASE_URL is direct.
    database_url_unpooled: SecretStr | None = None
    database_ca_cert: Path | None = None
    # DATABASE_URL goes through a transaction-mode pooler (PgBouncer, Neon's -pooler host): no
    # server-side prepared statements, no LISTEN, so no session cache (docs/security.md).
    database_pooled: bool = False
    # How each request's session is checked (docs/operations.md "Session check modes"): listen
    # (the per-instance cache that NOTIFY invalidates), ttl (a cache of SESSION_CACHE_TTL_SECONDS,
    # no listener: serverless hosts) or off (the database, every request); true/false as before.
    session_cache: SessionCheck = SessionCheck.LISTEN
    session_cache_ttl_seconds: Annotated[float, Field(gt=0, le=MAX_TTL_SECONDS)] = 5.0
    # Refuse the token of a user whose email is not verified (401 EMAIL_NOT_VERIFIED); the
    # frontend reads the same variable (docs/security.md "Email verification"). Off by default:
    # sign-up signs the user in at once; true is the strict mode.
    require_email_verification: bool = False
    better_auth_url: str = "http://localhost:3000"
    # More browser origins than BETTER_AUTH_URL's that the frontend may be served from (preview
    # deployments), comma-separated; `*` stands for part of one DNS label. The frontend gives the
    # same list to Better Auth; here it widens CORS (docs/operations.md "Vercel").
    better_auth_trusted_origins: Annotated[tuple[str, ...], NoDecode] = ()
    # text for people, json (one object per line, with the request id) for production.
    log_format: Literal["text", "json"] = "text"
    backend_jwt_issuer: str = "authbridge-frontend"
    backend_jwt_audience: str = "authbridge-backend"
    backend_jwt_lifetime_seconds: Annotated[int, Field(gt=0)] = 2_592_000
    # HOST / PORT as platforms set them (deploy/services.json); BACKEND_HOST / BACKEND_PORT too.
    backend_host: str = Field("127.0.0.1", validation_alias=AliasChoices("host", "backend_host"))
    backend_port: Annotated[int, Field(gt=0, lt=65536)] = Field(
        8000, validation_alias=AliasChoices("port", "backend_port")
    )
    backend_workers: Annotated[int, Field(gt=0)] = 1
    # Seconds a client has to send a request's head (app/http/server.py); tests shorten it.
    backend_header_timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 10.0
    # The largest request body accepted; beyond it 413, unread, before authentication
    # (app/http/body_limit.py). 64 KiB, like the frontend's /api/auth/*: a task is a few KiB.
    backend_max_body_bytes: Annotated[int, Field(ge=1024, le=64 * 1024 * 1024)] = 64 * 1024

    @field_validator("session_cache", mode="before")
    @classmethod
    def _session_check_mode(cls, value: object) -> object:
        text = str(value).strip().lower()
        if text in _SESSION_CACHE_ALIASES:
            return _SESSION_CACHE_ALIASES[text]
        if text not in {mode.value for mode in SessionCheck}:
            raise ValueError(
                f"is {str(value)[:20]!r}. Fix: set it to listen (the default: a cache NOTIFY "
                "invalidates), ttl (a short-lived cache without a listener, for serverless hosts) "
                "or off (the database on every request); true and false mean listen and off"
            )
        return text

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

    @field_validator("better_auth_secret_previous", mode="before")
    @classmethod
    def _optional_previous_secret(cls, value: object, info: ValidationInfo) -> SecretStr | None:
        raw = _unless_blank(value)
        if raw is None:
            return None
        previous = cls._refuse_weak_secret(SecretStr(raw))
        current = info.data.get("better_auth_secret")
        if current is not None and current.get_secret_value() == previous.get_secret_value():
            raise ValueError(
                "is the current secret. Fix: set it to the secret before the rotation, or empty "
                "it once the rotation window is over"
            )
        return previous

    @field_validator("database_url")
    @classmethod
    def _require_tls_postgres(cls, value: SecretStr) -> SecretStr:
        return SecretStr(normalise_database_url(value.get_secret_value()))

    @field_validator("database_url_unpooled", mode="before")
    @classmethod
    def _optional_tls_postgres(cls, value: object) -> SecretStr | None:
        raw = _unless_blank(value)
        return None if raw is None else SecretStr(normalise_database_url(raw))

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

    @field_validator("better_auth_trusted_origins", mode="before")
    @classmethod
    def _parse_origins(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",")]
        origins = tuple(str(part) for part in value if str(part).strip())  # type: ignore[union-attr]
        for origin in origins:
            if not _ORIGIN_PATTERN.fullmatch(origin):
                raise ValueError(
                    f"{origin!r} is not an origin. Fix: list scheme://host[:port] values, "
                    "comma-separated, e.g. https://app.example.com,https://app-*-team.vercel.app"
                )
            labels = origin.split("://", 1)[1].split(":", 1)[0].split(".")
            if "*" in labels or "*" in "".join(labels[-2:]):
                raise ValueError(
                    f"{origin!r} lets anyone's domain in. Fix: give `*` fixed text in its label "
                    "and keep the last two labels fixed, e.g. https://app-*-team.vercel.app "
                    "(never https://*.vercel.app)"
                )
        return origins

    @property
    def cors_origin_regex(self) -> str | None:
        """The patterns of BETTER_AUTH_TRUSTED_ORIGINS as one regex (Starlette fullmatches it)."""
        patterns = [o for o in self.better_auth_trusted_origins if "*" in o]
        if not patterns:
            return None
        # `*`: any run of the characters of one DNS label, so it never crosses a dot.
        return "|".join(
            "(?:" + "[a-z0-9-]*".join(re.escape(part) for part in pattern.split("*")) + ")"
            for pattern in patterns
        )

    @property
    def cors_origins(self) -> list[str]:
        """BETTER_AUTH_URL's origin and the exact entries of BETTER_AUTH_TRUSTED_ORIGINS."""
        exact = [o for o in self.better_auth_trusted_origins if "*" not in o]
        return [self.cors_origin, *(o for o in exact if o != self.cors_origin)]

    @property
    def email_verification(self) -> Literal["required", "optional"]:
        """The policy this process runs with, as GET /health and `python -m app.doctor` say it."""
        return "required" if self.require_email_verification else "optional"

    @property
    def direct_database_url(self) -> SecretStr:
        """Where migrations and the session listener connect: never through a pooler."""
        return self.database_url_unpooled or self.database_url

    @property
    def cors_origin(self) -> str:
        """The frontend's origin: scheme://host[:port], no path, no trailing slash."""
        parts = urlsplit(self.better_auth_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def session_check(self) -> SessionCheck:
        """The mode in effect: `listen` needs a direct connection for its LISTEN, so through a
        pooler without DATABASE_URL_UNPOOLED it is `off`, as the session cache always was."""
        if self.session_cache_needs_direct_url:
            return SessionCheck.OFF
        return self.session_cache

    @property
    def session_cache_needs_direct_url(self) -> bool:
        return (
            self.session_cache is SessionCheck.LISTEN
            and self.database_pooled
            and self.database_url_unpooled is None
        )

    def bridge_config(self) -> BridgeConfig:
        """What the verifier and the session check of packages/python run with."""
        return BridgeConfig(
            key=self.better_auth_secret.get_secret_value().encode(),
            issuer=self.backend_jwt_issuer,
            audience=self.backend_jwt_audience,
            lifetime_seconds=self.backend_jwt_lifetime_seconds,
            previous_keys=(
                (self.better_auth_secret_previous.get_secret_value().encode(),)
                if self.better_auth_secret_previous
                else ()
            ),
            require_email_verification=self.require_email_verification,
            session_check=self.session_check,
            session_cache_ttl_seconds=self.session_cache_ttl_seconds,
            # Better Auth's twoFactor column (migration 0007): who a step-up asks for a second
            # factor (docs/security.md "Step-up").
            second_factor_column="two_factor_enabled",
        )

    def jwt_config(self) -> JwtConfig:
        return self.bridge_config().jwt


def _unless_blank(value: object) -> str | None:
    """An optional variable's text, or None when it is unset or blank (empty means "not used")."""
    raw = value.get_secret_value() if isinstance(value, SecretStr) else value
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return str(raw)


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


def load_settings() -> Settings:
    """The environment and the root .env, validated: read once where a process starts (the app's
    create_app, `python -m app`, the doctor, Alembic), then handed on, never re-read."""
    return Settings()  # type: ignore[call-arg]  # values come from env / .env
