"""The current user, and the current user with a recent sign-in (the step-up): packages/python's
AuthBridge (authbridge.fastapi), used thinly.

The token is verified, the session behind it checked with the cache of the SESSION_CACHE mode, a
refusal answered 401 with its challenge. The bridge holds no configuration and no engine of its
own: it reads both from the application's state (app/state.py) per request, and its lifespan
(app/main.py) is handed them. Its listener opens its own connection with the engine's
direct_connection (to DATABASE_URL_UNPOOLED behind a pooler, app/db/engine.py).
"""

from typing import Annotated

from authbridge import SessionUser
from authbridge.fastapi import AuthBridge, Authenticated
from fastapi import Depends

from app.db.engine import direct_connection
from app.state import bridge_config_dependency, engine_dependency

bridge = AuthBridge(
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
