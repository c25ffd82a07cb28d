"""Bench: the backend's auth dependency per request vs a bare HMAC-SHA256 check of the same token.

Three measurements in one process, in alternating rounds so machine noise hits all of them:
  hmac        hmac.new(key, signing_input, sha256) + hmac.compare_digest (the floor)
  verifier    app.core.jwt_verifier.verify_backend_token (pure, no database)
  dependency  app.api.deps.get_current_user in a fresh DB session, as FastAPI runs it per request
              (verifier + the one revocation query against the real database)
Prints one JSON object. Run from backend/ with the bench env (`npm run bench` does):
    python3 -m uv run --frozen python scripts/bench_auth.py [--rounds 7] [--round-seconds 0.25]
It inserts one throwaway user + session and deletes them at the end.
"""

import argparse
import base64
import hashlib
import hmac
import json
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BACKEND))

from fastapi.security import HTTPAuthorizationCredentials  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.api.deps import get_current_user  # noqa: E402
from app.core.config import get_settings  # noqa: E402
from app.core.db import get_engine  # noqa: E402
from app.core.jwt_verifier import verify_backend_token  # noqa: E402
from tests.tokens import issue  # noqa: E402  # the test suite's minter: the issuer's exact bytes

MAX_BATCH = 200_000


def hmac_check(key: bytes, token: str) -> bool:
    signing_input, _, signature = token.rpartition(".")
    expected = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    mac = hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest()
    return hmac.compare_digest(mac, expected)


def calibrate(op: Callable[[], object], target_s: float) -> int:
    """Ops per batch so that one batch takes about target_s (bounded)."""
    n = 1
    while n < MAX_BATCH:
        t0 = time.perf_counter()
        for _ in range(n):
            op()
        elapsed = time.perf_counter() - t0
        if elapsed >= target_s / 4:
            return max(1, min(MAX_BATCH, int(n * target_s / elapsed)))
        n *= 4
    return MAX_BATCH


def timed_batch(op: Callable[[], object], n: int) -> float:
    """Microseconds per op over one batch of n."""
    t0 = time.perf_counter_ns()
    for _ in range(n):
        op()
    return (time.perf_counter_ns() - t0) / n / 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--round-seconds", type=float, default=0.25)
    args = parser.parse_args()
    rounds = max(3, min(args.rounds, 50))
    round_s = max(0.05, min(args.round_seconds, 2.0))

    settings = get_settings()
    cfg = settings.jwt_config()
    engine = get_engine()
    user_id = f"bench_{uuid.uuid4().hex}"
    session_id = f"bench_s_{uuid.uuid4().hex}"
    with engine.begin() as conn:
        conn.execute(
            text('INSERT INTO "user" (id, name, email) VALUES (:id, :name, :email)'),
            {"id": user_id, "name": "Bench", "email": f"{user_id}@bench.invalid"},
        )
        conn.execute(
            text(
                "INSERT INTO session (id, expires_at, token, user_id) "
                "VALUES (:id, :expires_at, :token, :user_id)"
            ),
            {
                "id": session_id,
                "expires_at": datetime.now(UTC) + timedelta(hours=1),
                "token": uuid.uuid4().hex,
                "user_id": user_id,
            },
        )
    try:
        token = issue(cfg, user_id, session_id, iat=int(time.time()))
        credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials=token)

        def op_hmac() -> object:
            return hmac_check(cfg.key, token)

        def op_verifier() -> object:
            return verify_backend_token(token, cfg, now=time.time())

        def op_dependency() -> object:
            # What FastAPI does per request: get_session opens a Session, the dependency runs.
            with Session(engine, expire_on_commit=False) as db:
                return get_current_user(credentials, settings, db)

        ops = {"hmac": op_hmac, "verifier": op_verifier, "dependency": op_dependency}
        # Each must do its job before it is timed: a benchmark of a failing check is worthless.
        if not op_hmac():
            raise SystemExit("bench_auth: the HMAC check refused the token")
        if op_verifier().sub != user_id:  # type: ignore[attr-defined]
            raise SystemExit("bench_auth: the verifier returned another subject")
        if op_dependency().id != user_id:  # type: ignore[attr-defined]
            raise SystemExit("bench_auth: the dependency returned another user")

        batch = {name: calibrate(op, round_s) for name, op in ops.items()}
        samples: dict[str, list[float]] = {name: [] for name in ops}
        names = list(ops)
        for r in range(rounds):
            order = names[r % len(names) :] + names[: r % len(names)]  # rotate who goes first
            for name in order:
                samples[name].append(timed_batch(ops[name], batch[name]))
    finally:
        with engine.begin() as conn:
            conn.execute(text('DELETE FROM "user" WHERE id = :id'), {"id": user_id})

    per_round = {
        "verifier_over_hmac": [
            v / h for v, h in zip(samples["verifier"], samples["hmac"], strict=True)
        ],
        "dependency_over_hmac": [
            d / h for d, h in zip(samples["dependency"], samples["hmac"], strict=True)
        ],
        "dependency_over_verifier": [
            d / v for d, v in zip(samples["dependency"], samples["verifier"], strict=True)
        ],
    }
    result = {
        "rounds": rounds,
        "batch": batch,
        "token_bytes": len(token),
        "median_us": {name: statistics.median(s) for name, s in samples.items()},
        "min_us": {name: min(s) for name, s in samples.items()},
        "samples_us": samples,
        "ratio_median": {name: statistics.median(r) for name, r in per_round.items()},
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
