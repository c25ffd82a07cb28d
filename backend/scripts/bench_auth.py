"""Bench: what the backend's authentication costs per request, against the floor of its work.

Five measurements in one process and one event loop, in alternating rounds so machine noise hits
all of them:
  floor      hmac.new(key, signing_input, sha256) + compare_digest + base64url-decode and JSON-parse
             the payload: the least any HS256 JWT check must do
  verifier   authbridge.verify_backend_token (packages/python; pure, no database)
  warm       the app's current-user dependency (authbridge.fastapi's AuthBridge, as FastAPI awaits
             it), the session in the cache
  cold       the same with the cache off (SESSION_CACHE=off): one round trip to the database,
             in the thread pool
Prints one JSON object. Run from backend/ with the bench env (`npm run bench` does):
    python3 -m uv run --frozen python scripts/bench_auth.py [--rounds 7] [--round-seconds 0.25]
It inserts one throwaway user + session (tests/db.py's insert_account) and deletes them at the end.
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BACKEND))

from authbridge import SessionCheck, verify_backend_token  # noqa: E402
from authbridge.session_listener import listener_of, listening_cache  # noqa: E402
from fastapi.security import HTTPAuthorizationCredentials  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app.auth import bridge  # noqa: E402
from app.db.engine import direct_connection, engine_for  # noqa: E402
from app.settings import load_settings  # noqa: E402
from tests.db import insert_account  # noqa: E402
from tests.tokens import issue  # noqa: E402  # the test suite's minter: the issuer's exact bytes

MAX_BATCH = 200_000
Op = Callable[[], Awaitable[object]]


def floor_check(key: bytes, token: str) -> object:
    signing_input, _, signature = token.rpartition(".")
    payload = signing_input.partition(".")[2]
    expected = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    mac = hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest()
    if not hmac.compare_digest(mac, expected):
        return None
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


async def calibrate(op: Op, target_s: float) -> int:
    """Ops per batch so that one batch takes about target_s (bounded)."""
    n = 1
    while n < MAX_BATCH:
        t0 = time.perf_counter()
        for _ in range(n):
            await op()
        elapsed = time.perf_counter() - t0
        if elapsed >= target_s / 4:
            return max(1, min(MAX_BATCH, int(n * target_s / elapsed)))
        n *= 4
    return MAX_BATCH


async def timed_batch(op: Op, n: int) -> float:
    """Microseconds per op over one batch of n."""
    t0 = time.perf_counter_ns()
    for _ in range(n):
        await op()
    return (time.perf_counter_ns() - t0) / n / 1000


async def measure(rounds: int, round_s: float) -> dict[str, object]:
    settings = load_settings()
    listen = settings.model_copy(update={"session_cache": SessionCheck.LISTEN}).bridge_config()
    cache_off = settings.model_copy(update={"session_cache": SessionCheck.OFF}).bridge_config()
    cfg = listen.jwt
    engine = engine_for(settings)
    listening_cache(engine, direct_connection)
    listener = listener_of(engine)
    if listener is None or not listener.connected.wait(10):
        raise SystemExit("bench_auth: the session listener did not connect")
    account = insert_account(engine, "Bench")  # the test suite's: a user and one live session
    user_id, session_id = account.user_id, account.session_id
    try:
        token = issue(cfg, user_id, session_id, iat=int(time.time()))
        credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials=token)

        async def op_floor() -> object:
            return floor_check(cfg.key, token)

        async def op_verifier() -> object:
            return verify_backend_token(token, cfg, now=time.time())

        async def op_warm() -> object:
            return await bridge.authenticate(credentials, listen, engine)

        async def op_cold() -> object:
            return await bridge.authenticate(credentials, cache_off, engine)

        ops: dict[str, Op] = {
            "floor": op_floor,
            "verifier": op_verifier,
            "warm": op_warm,
            "cold": op_cold,
        }
        await check_ops(ops, user_id)
        if listener.cache.get(session_id) is None:
            raise SystemExit("bench_auth: the warm case would not be served from the cache")
        batch, samples = await sample(ops, rounds, round_s)
    finally:
        with engine.begin() as conn:
            conn.execute(text('DELETE FROM "user" WHERE id = :id'), {"id": user_id})
        engine.dispose()

    return summary(rounds, batch, len(token), samples)


async def check_ops(ops: dict[str, Op], user_id: str) -> None:
    """Each must do its job before it is timed: a benchmark of a failing check is worthless."""
    if (await ops["floor"]() or {}).get("sub") != user_id:  # type: ignore[attr-defined]
        raise SystemExit("bench_auth: the floor check refused the token")
    if (await ops["verifier"]()).sub != user_id:  # type: ignore[attr-defined]
        raise SystemExit("bench_auth: the verifier returned another subject")
    for name in ("cold", "warm"):
        if (await ops[name]()).id != user_id:  # type: ignore[attr-defined]
            raise SystemExit(f"bench_auth: the {name} dependency returned another user")


async def sample(
    ops: dict[str, Op], rounds: int, round_s: float
) -> tuple[dict[str, int], dict[str, list[float]]]:
    """Each op's batch size, then `rounds` timed batches of each, who goes first rotating."""
    batch = {name: await calibrate(op, round_s) for name, op in ops.items()}
    samples: dict[str, list[float]] = {name: [] for name in ops}
    names = list(ops)
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            samples[name].append(await timed_batch(ops[name], batch[name]))
    return batch, samples


def summary(
    rounds: int, batch: dict[str, int], token_bytes: int, samples: dict[str, list[float]]
) -> dict[str, object]:
    def ratio(a: str, b: str) -> float:
        return statistics.median(x / y for x, y in zip(samples[a], samples[b], strict=True))

    return {
        "rounds": rounds,
        "batch": batch,
        "token_bytes": token_bytes,
        "median_us": {name: statistics.median(s) for name, s in samples.items()},
        "min_us": {name: min(s) for name, s in samples.items()},
        "samples_us": samples,
        "ratio_median": {
            "verifier_over_floor": ratio("verifier", "floor"),
            "warm_over_floor": ratio("warm", "floor"),
            "cold_over_floor": ratio("cold", "floor"),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--round-seconds", type=float, default=0.25)
    args = parser.parse_args()
    rounds = max(3, min(args.rounds, 50))
    round_s = max(0.05, min(args.round_seconds, 2.0))
    print(json.dumps(asyncio.run(measure(rounds, round_s))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
