"""contracts/jwt/vectors.json for the backend's tests: the one catalogue of tokens and outcomes.

The HTTP tests take their cases from here (the pure verifier replays them in packages/python's
own tests). The file fixes the secret and the clock (`now`); `vectors_app()` sets the real app up
the same way, so an HTTP request gets exactly the refusal the file names.
"""

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from authbridge import JwtConfig, SessionCheck

from app.auth import bridge
from app.main import app
from app.settings import Settings
from app.state import AppState, state_dependency, state_of
from tests import tokens

VECTORS_FILE = Path(__file__).resolve().parents[2] / "contracts" / "jwt" / "vectors.json"


def _load() -> dict:
    if not VECTORS_FILE.is_file():
        raise FileNotFoundError(
            f"{VECTORS_FILE} is missing: `npm run gen:vectors -w frontend` writes it"
        )
    document = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
    assert document["schema"] == 1, "contracts/jwt/vectors.json: unknown schema"
    return document


DOCUMENT = _load()
NOW: int = DOCUMENT["now"]
SECRET: bytes = DOCUMENT["secret"].encode()


def config(key: bytes = SECRET, previous_keys: tuple[bytes, ...] = ()) -> JwtConfig:
    """What the verifier must be configured with to give the file's outcomes."""
    return JwtConfig(
        key=key,
        issuer=DOCUMENT["issuer"],
        audience=DOCUMENT["audience"],
        lifetime_seconds=DOCUMENT["lifetime_seconds"],
        previous_keys=previous_keys,
    )


@dataclass(frozen=True)
class Vector:
    name: str
    token: str
    expect: str  # "valid" or a refusal code
    key: bytes  # the HMAC key to verify with: the file's secret, or the case's own key_b64url

    @property
    def http_code(self) -> str:
        # An empty bearer token never reaches the verifier: the app answers as if there were none.
        return "MISSING_TOKEN" if self.token == "" else self.expect


def _key(case: dict) -> bytes:
    encoded = case.get("key_b64url")
    if encoded is None:
        return SECRET
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))


CASES = [Vector(c["name"], c["token"], c["expect"], _key(c)) for c in DOCUMENT["cases"]]
VALID = [v for v in CASES if v.expect == "valid"]

# Too big to keep in the file (the file's own oversized case is just over the limit).
ONE_MEGABYTE = Vector(
    name="backend-only-1mb-token",
    token=tokens.mint(
        tokens.contract_claims(config(), "usr_1", "ses_1", NOW, pad="A" * 1_000_000), SECRET
    ),
    expect="MALFORMED_TOKEN",  # a correctly signed 1 MB token: refused by size before any decoding
    key=SECRET,
)

# Every token that must be refused: the file's, plus the one too big for it.
ATTACKS = [v for v in CASES if v.expect != "valid"] + [ONE_MEGABYTE]


def case(name: str) -> Vector:
    return next(v for v in CASES if v.name == name)


def ids(vectors: list[Vector]) -> list[str]:
    return [v.name for v in vectors]


@contextmanager
def vectors_app(previous_secret: str | None = None, session_cache: bool = True) -> Iterator[None]:
    """The real app, verifying with the file's secret, issuer, audience and lifetime, its clock
    stopped at the file's `now`. Cases with their own key (RFC 7515, Wycheproof) all fail at the
    shape or header check, before any key is used, so the file's secret gives the same outcome.
    `previous_secret`: BETTER_AUTH_SECRET_PREVIOUS, as during a rotation window; without the
    session cache, nothing this app caches can answer a later test that reuses a session id."""
    settings = Settings(
        better_auth_secret=DOCUMENT["secret"],
        better_auth_secret_previous=previous_secret,
        session_cache=SessionCheck.LISTEN if session_cache else SessionCheck.OFF,
        backend_jwt_issuer=DOCUMENT["issuer"],
        backend_jwt_audience=DOCUMENT["audience"],
        backend_jwt_lifetime_seconds=DOCUMENT["lifetime_seconds"],
    )  # type: ignore[call-arg]  # DATABASE_URL and the rest come from the environment
    with pytest.MonkeyPatch.context() as patch:
        served = app.dependency_overrides.get(state_dependency)  # a client's (conftest.py)
        engine = served().engine if served else state_of(app).engine  # else the lifespan's
        state = AppState.build(settings, engine)
        patch.setitem(app.dependency_overrides, state_dependency, lambda: state)
        patch.setattr(bridge, "clock", lambda: float(NOW))
        yield
