"""GET /me behind authbridge: the smallest FastAPI app trusting the Better Auth plugin's token."""

import logging
import os
import ssl
from pathlib import Path
from typing import Annotated

from authbridge import BridgeConfig, SessionCheck, SessionUser
from authbridge.fastapi import AuthBridge
from fastapi import Depends, FastAPI
from sqlalchemy import create_engine, make_url

logging.basicConfig(level=logging.INFO)  # the session check says its mode at start-up
# The frontend's .env (DOTENV names it; default ./.env); a variable set in the shell wins.
dotenv = Path(os.environ.get("DOTENV", ".env"))
lines = dotenv.read_text().splitlines() if dotenv.is_file() else []
pairs = (line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
env = {**{k.strip(): v.strip().strip("'\"") for k, v in pairs}, **os.environ}
ca = env.get("DATABASE_CA_CERT")  # TLS always verified: against this CA, else the system's (Neon)
root = str(dotenv.parent / ca) if ca else ssl.get_default_verify_paths().cafile
url = make_url(env["DATABASE_URL"]).set(drivername="postgresql+psycopg")
url = url.update_query_dict({"sslmode": "verify-full", "sslrootcert": root})
mode = env.get("SESSION_CACHE") or "listen"  # listen, ttl or off (true / false: listen / off)
config = BridgeConfig(
    key=env["BETTER_AUTH_SECRET"].encode(),
    issuer=env.get("BACKEND_JWT_ISSUER", "authbridge-frontend"),
    audience=env.get("BACKEND_JWT_AUDIENCE", "authbridge-backend"),
    lifetime_seconds=int(env.get("BACKEND_JWT_LIFETIME_SECONDS", "2592000")),
    require_email_verification=env.get("REQUIRE_EMAIL_VERIFICATION") == "true",
    session_check=SessionCheck({"true": "listen", "false": "off"}.get(mode, mode)),
)
bridge = AuthBridge(config, create_engine(url))
app = FastAPI(lifespan=bridge.lifespan)
bridge.install(app)


@app.get("/me")
async def me(user: Annotated[SessionUser, Depends(bridge.current_user)]) -> dict[str, str]:
    return {"id": user.id, "name": user.name, "email": user.email}
