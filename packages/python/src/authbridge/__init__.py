"""authbridge: verify the backend token of the Better Auth plugin `@authbridge/better-auth` (HS256
with the shared BETTER_AUTH_SECRET) and check the session behind it, with instant revocation.

    authbridge.verify_backend_token   the pure verifier (PyJWT decode inside the contract checks)
    authbridge.BridgeConfig           what the verifier and the session check are configured with
    authbridge.fastapi.AuthBridge     the FastAPI current-user dependency, its errors and lifespan
"""

from authbridge.config import BridgeConfig, SessionCheck
from authbridge.jwt_verifier import (
    JwtConfig,
    RefusalCode,
    TokenClaims,
    TokenRefused,
    verify_backend_token,
)
from authbridge.session_cache import SessionUser

__version__ = "0.2.0"

__all__ = [
    "BridgeConfig",
    "JwtConfig",
    "RefusalCode",
    "SessionCheck",
    "SessionUser",
    "TokenClaims",
    "TokenRefused",
    "__version__",
    "verify_backend_token",
]
