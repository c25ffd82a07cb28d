"""contracts/jwt/vectors.json for the package's tests: the one catalogue of tokens and outcomes,
made from the Better Auth plugin's real issuer. The file fixes the secret and the clock (`now`).

Found at the repository's contracts/jwt/vectors.json, or wherever AUTHBRIDGE_VECTORS points (the
package's tests run outside the repository too)."""

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from authbridge.config import BridgeConfig
from authbridge.jwt_verifier import JwtConfig
from tests import tokens

REPOSITORY_VECTORS = Path(__file__).resolve().parents[3] / "contracts" / "jwt" / "vectors.json"
VECTORS_FILE = Path(os.environ.get("AUTHBRIDGE_VECTORS") or REPOSITORY_VECTORS)


def _load() -> dict[str, Any]:
    if not VECTORS_FILE.is_file():
        raise FileNotFoundError(
            f"{VECTORS_FILE} is missing: set AUTHBRIDGE_VECTORS to contracts/jwt/vectors.json"
        )
    document: dict[str, Any] = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
    assert document["schema"] == 1, "contracts/jwt/vectors.json: unknown schema"
    return document


DOCUMENT = _load()
NOW: int = DOCUMENT["now"]
SECRET: bytes = DOCUMENT["secret"].encode()


def config(key: bytes = SECRET, previous_keys: tuple[bytes, ...] = ()) -> JwtConfig:
    """What the verifier must be configured with to give the file's outcomes."""
    return bridge_config(key, previous_keys).jwt


def bridge_config(
    key: bytes = SECRET, previous_keys: tuple[bytes, ...] = (), **options: Any
) -> BridgeConfig:
    return BridgeConfig(
        key=key,
        issuer=DOCUMENT["issuer"],
        audience=DOCUMENT["audience"],
        lifetime_seconds=DOCUMENT["lifetime_seconds"],
        previous_keys=previous_keys,
        **options,
    )


@dataclass(frozen=True)
class Vector:
    name: str
    token: str
    expect: str  # "valid" or a refusal code
    note: str
    key: bytes  # the HMAC key to verify with: the file's secret, or the case's own key_b64url

    @property
    def http_code(self) -> str:
        # An empty bearer token never reaches the verifier: the app answers as if there were none.
        return "MISSING_TOKEN" if self.token == "" else self.expect


def _key(case: dict[str, Any]) -> bytes:
    encoded = case.get("key_b64url")
    if encoded is None:
        return SECRET
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))


CASES = [Vector(c["name"], c["token"], c["expect"], c["note"], _key(c)) for c in DOCUMENT["cases"]]
VALID = [v for v in CASES if v.expect == "valid"]

# Too big to keep in the file (the file's own oversized case is just over the limit).
ONE_MEGABYTE = Vector(
    name="package-only-1mb-token",
    token=tokens.mint(
        tokens.contract_claims(config(), "usr_1", "ses_1", NOW, pad="A" * 1_000_000), SECRET
    ),
    expect="MALFORMED_TOKEN",
    note="A correctly signed 1 MB token: refused by size before any decoding.",
    key=SECRET,
)

# Every token that must be refused: the file's, plus the one too big for it.
ATTACKS = [v for v in CASES if v.expect != "valid"] + [ONE_MEGABYTE]
ROTATION: dict[str, Any] = DOCUMENT["rotation"]


def case(name: str) -> Vector:
    return next(v for v in CASES if v.name == name)


def ids(vectors: list[Vector]) -> list[str]:
    return [v.name for v in vectors]


def payload_of(token: str) -> dict[str, Any]:
    segment = token.split(".")[1]
    payload: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    return payload
