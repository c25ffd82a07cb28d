"""What the verifier and the session check are configured with: passed in by the application,
never read from the environment here (the application decides where its settings come from)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from authbridge.jwt_verifier import JwtConfig
from authbridge.schema import checked_column, live_session_user_query

DEFAULT_ISSUER = "authbridge-frontend"
DEFAULT_AUDIENCE = "authbridge-backend"
DEFAULT_LIFETIME_SECONDS = 30 * 24 * 3600
# The `ttl` mode's bound: how long a revoked session may still be served by one instance.
DEFAULT_TTL_SECONDS = 5.0
MAX_TTL_SECONDS = 60.0  # the listen mode's backstop too (authbridge.session_cache)


class SessionCheck(StrEnum):
    """How each request's session is checked (the revocation bound of each: README "Modes")."""

    # A per-instance cache that the database invalidates with NOTIFY, through one LISTEN
    # connection per process: revocation is felt within about a second (the default).
    LISTEN = "listen"
    # A per-instance cache whose entries live at most `session_cache_ttl_seconds`, no listener:
    # for hosts that cannot hold a connection (serverless functions).
    TTL = "ttl"
    # No cache: every request reads the session from the database.
    OFF = "off"

    @property
    def uses_listener(self) -> bool:
        return self is SessionCheck.LISTEN


@dataclass(frozen=True)
class BridgeConfig:
    key: bytes = field(repr=False)  # the UTF-8 bytes of BETTER_AUTH_SECRET
    issuer: str = DEFAULT_ISSUER
    audience: str = DEFAULT_AUDIENCE
    lifetime_seconds: int = DEFAULT_LIFETIME_SECONDS
    # The secret(s) before a rotation: tokens signed with one still verify while it is here.
    previous_keys: tuple[bytes, ...] = field(default=(), repr=False)
    # Refuse the token of a user whose email address is not verified (401 EMAIL_NOT_VERIFIED).
    require_email_verification: bool = False
    session_check: SessionCheck = SessionCheck.LISTEN
    session_cache_ttl_seconds: float = DEFAULT_TTL_SECONDS  # the `ttl` mode only
    # The boolean column of the user row that says the user has a second factor (Better Auth's
    # twoFactor plugin: "two_factor_enabled"); read with the session, cached with it. A step-up
    # with mfa=True asks for a second factor only from such a user. None: nobody has one.
    second_factor_column: str | None = None
    jwt: JwtConfig = field(init=False, repr=False, compare=False)  # what the verifier takes
    # The session check's statement (authbridge.schema), constant for this configuration.
    session_query: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        mode = SessionCheck(self.session_check)  # a plain "listen" / "ttl" / "off" is accepted
        object.__setattr__(self, "session_check", mode)
        if not 0 < self.session_cache_ttl_seconds <= MAX_TTL_SECONDS:
            raise ValueError(
                f"session_cache_ttl_seconds must be in (0, {MAX_TTL_SECONDS:g}], "
                f"not {self.session_cache_ttl_seconds!r}"
            )
        if self.second_factor_column is not None:
            checked_column(self.second_factor_column)
        object.__setattr__(
            self, "session_query", live_session_user_query(self.second_factor_column)
        )
        jwt_config = JwtConfig(
            key=self.key,
            issuer=self.issuer,
            audience=self.audience,
            lifetime_seconds=self.lifetime_seconds,
            previous_keys=self.previous_keys,
        )
        object.__setattr__(self, "jwt", jwt_config)


def describe_session_check(config: BridgeConfig) -> str:
    """The one start-up line that says which mode runs and what revocation it gives."""
    if config.session_check is SessionCheck.LISTEN:
        return (
            "session check: listen (a per-instance cache that NOTIFY invalidates, one LISTEN "
            "connection per process; a revoked session is refused within about 1 s)"
        )
    if config.session_check is SessionCheck.TTL:
        return (
            "session check: ttl (a per-instance cache without a listener; a revoked session may "
            f"be served for up to {config.session_cache_ttl_seconds:g} s)"
        )
    return (
        "session check: off (every request reads the session from the database; a revoked "
        "session is refused on the next request)"
    )
