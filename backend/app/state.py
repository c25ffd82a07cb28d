"""The application's state: one object, made in FastAPI's lifespan (app/main.py) from the
settings that create_app validated, kept on `app.state`, and read by every request through
`state_dependency`. Nothing in the backend caches at module level: a second app in the same
process (a test, the bench) has its own engine, database handle and bridge configuration.

The dependencies named once here: the state, its settings, its engine and the request's raw-SQL
handle (DbDep: constant statements in autocommit, app/db/database.py). Each is `async def` and
only reads the state, so none costs a trip through the thread pool. Tests give an app another
state with `app.dependency_overrides[state_dependency]`.
"""

from dataclasses import dataclass
from typing import Annotated

from authbridge import BridgeConfig
from fastapi import Depends, FastAPI, Request
from sqlalchemy import Engine

from app.db.database import Database
from app.db.engine import engine_for
from app.settings import Settings


@dataclass(frozen=True, slots=True)
class AppState:
    settings: Settings
    engine: Engine
    db: Database  # the raw-SQL handle on `engine`
    bridge_config: BridgeConfig  # the verifier's and the session check's (HMAC key prepared)

    @classmethod
    def build(cls, settings: Settings, engine: Engine | None = None) -> "AppState":
        """The state of `settings`, on `engine` when given (tests), else the settings' own."""
        engine = engine if engine is not None else engine_for(settings)
        return cls(settings, engine, Database(engine), settings.bridge_config())


def state_of(app: FastAPI) -> AppState:
    state: AppState = app.state.authbridge
    return state


async def state_dependency(request: Request) -> AppState:
    return state_of(request.app)


StateDep = Annotated[AppState, Depends(state_dependency)]


async def settings_dependency(state: StateDep) -> Settings:
    return state.settings


async def engine_dependency(state: StateDep) -> Engine:
    return state.engine


async def db_dependency(state: StateDep) -> Database:
    return state.db


async def bridge_config_dependency(state: StateDep) -> BridgeConfig:
    return state.bridge_config


SettingsDep = Annotated[Settings, Depends(settings_dependency)]
EngineDep = Annotated[Engine, Depends(engine_dependency)]
DbDep = Annotated[Database, Depends(db_dependency)]
BridgeConfigDep = Annotated[BridgeConfig, Depends(bridge_config_dependency)]
