"""Dependencies named once: the settings, the engine, the database, the current user, and the
current user with a recent sign-in (the step-up).

The current user is packages/python's AuthBridge (authbridge.fastapi): the token verified, the
session behind it checked with the cache of the SESSION_CACHE mode, a refusal answered 401 with
its challenge. It resolves its configuration from this app's Settings (built once per Settings
object) and its engine from app/core/db.py, whose direct_connection also opens the session
listener's own connection (to DATABASE_URL_UNPOOLED behind a pooler). All are `async def` that
only read cached objects, so none costs a trip through the thread pool.
"""

from typing import Annotated

from authbridge import BridgeConfig, SessionUser
from authbridge.fastapi import AuthBridge, Authenticated
from fastapi import Depends
from sqlalchemy import Engine

from app.core.config import Settings, get_settings
from app.core.database import Database, database_for
from app.core.db import direct_connection, get_engine


async def settings_dependency() -> Settings:
    return get_settings()


async def engine_dependency() -> Engine:
    return get_engine()


SettingsDep = Annotated[Settings, Depends(settings_dependency)]
EngineDep = Annotated[Engine, Depends(engine_dependency)]


async def get_database(engine: EngineDep) -> Database:
    return database_for(engine)


# A request's database handle (app/core/database.py): every call is one autocommit statement.
SessionDep = Annotated[Database, Depends(get_database)]

_bridge_config: tuple[Settings, BridgeConfig] | None = None


def bridge_config_of(settings: Settings) -> BridgeConfig:
    """The bridge's configuration, built (HMAC key prepared) once per Settings object."""
    global _bridge_config
    cached = _bridge_config
    if cached is None or cached[0] is not settings:
        cached = _bridge_config = (settings, settings.bridge_config())
    return cached[1]


async def bridge_config_dependency(settings: SettingsDep) -> BridgeConfig:
    return bridge_config_of(settings)


BridgeConfigDep = Annotated[BridgeConfig, Depends(bridge_config_dependency)]

bridge = AuthBridge(
    config=lambda: bridge_config_of(get_settings()),  # for the lifespan, outside any request
    engine=get_engine,
    connect=direct_connection,
    config_dependency=bridge_config_dependency,
    engine_dependency=engine_dependency,
)
get_current_user = bridge.current_user
CurrentUser = Annotated[SessionUser, Depends(get_current_user)]

# The step-up (RFC 9470, docs/security.md "Step-up"): a sign-in at most 10 minutes old, with the
# second factor of a user who has one; else 401 INSUFFICIENT_USER_AUTHENTICATION whose challenge
# says `max_age=600` (and `acr_values="mfa"`). For what gives a user's data away.
RECENT_SIGN_IN_SECONDS = 600
require_recent_sign_in = bridge.require_auth(max_age=RECENT_SIGN_IN_SECONDS, mfa=True)
RecentSignIn = Annotated[Authenticated, Depends(require_recent_sign_in)]
