// a. The backend's auth dependency vs the floor of an HS256 check (HMAC-SHA256 + JSON parse of the
// payload), in one Python process (backend/scripts/bench_auth.py prints one JSON line with the medians
// and ratios).
import { spawnSync } from "node:child_process";
import { BACKEND_DIR, fmt, table, uv, UV_ENV } from "@authbridge/harness";
import { QUICK, type Timing } from "./timing.ts";

export interface Micro {
  rounds: number;
  median_us: { floor: number; verifier: number; warm: number; cold: number };
  ratio_median: { verifier_over_floor: number; warm_over_floor: number; cold_over_floor: number };
}

export function authMicroBench(env: Record<string, string>, timing: Timing): Micro {
  console.log("\n[bench] a. auth dependency vs the floor of an HS256 check (backend/scripts/bench_auth.py)…");
  const [cmd, ...pre] = uv();
  const roundSeconds = timing === QUICK ? "0.1" : "0.3";
  const res = spawnSync(cmd, [...pre, "run", "--frozen", "python", "scripts/bench_auth.py", "--rounds", String(timing.rounds + 2), "--round-seconds", roundSeconds], {
    cwd: BACKEND_DIR,
    env: { ...process.env, ...UV_ENV, ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 180_000,
  });
  if (res.status !== 0) throw new Error(`bench_auth.py failed (exit ${res.status})`);
  return JSON.parse(res.stdout.trim().split("\n").at(-1)!) as Micro;
}

export function printMicro(m: Micro) {
  console.log(`\na. Backend auth cost per request, one process, ${m.rounds} alternating rounds (medians)`);
  console.log(
    table(
      ["check", "µs/op", "× floor"],
      [
        ["floor: HMAC-SHA256 + compare_digest + JSON parse of the payload", fmt(m.median_us.floor, 2), "1.0"],
        ["verify_backend_token (pure verifier; target ≤ 4× floor)", fmt(m.median_us.verifier, 1), fmt(m.ratio_median.verifier_over_floor)],
        ["get_current_user, session cached (verifier + cache)", fmt(m.median_us.warm, 1), fmt(m.ratio_median.warm_over_floor)],
        ["get_current_user, cache off (verifier + 1 round trip)", fmt(m.median_us.cold, 0), fmt(m.ratio_median.cold_over_floor, 0)],
      ],
    ),
  );
}
