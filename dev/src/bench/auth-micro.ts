// a. The backend's auth dependency vs a bare HMAC-SHA256 check, in one Python process
// (backend/scripts/bench_auth.py prints one JSON line with the medians and ratios).
import { spawnSync } from "node:child_process";
import { fmt, table } from "../harness/format.ts";
import { BACKEND_DIR } from "../paths.ts";
import { uv, UV_ENV } from "../toolchain.ts";
import { QUICK, type Timing } from "./timing.ts";

export interface Micro {
  rounds: number;
  median_us: { hmac: number; verifier: number; dependency: number };
  ratio_median: { verifier_over_hmac: number; dependency_over_hmac: number; dependency_over_verifier: number };
}

export function authMicroBench(env: Record<string, string>, timing: Timing): Micro {
  console.log("\n[bench] a. auth dependency vs bare HMAC (backend/scripts/bench_auth.py)…");
  const [cmd, ...pre] = uv();
  const roundSeconds = timing === QUICK ? "0.1" : "0.3";
  const res = spawnSync(cmd, [...pre, "run", "--frozen", "python", "scripts/bench_auth.py", "--rounds", String(timing.rounds + 2), "--round-seconds", roundSeconds], {
    cwd: BACKEND_DIR,
    env: { ...process.env, ...UV_ENV, ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 120_000,
  });
  if (res.status !== 0) throw new Error(`bench_auth.py failed (exit ${res.status})`);
  return JSON.parse(res.stdout.trim().split("\n").at(-1)!) as Micro;
}

export function printMicro(m: Micro) {
  console.log(`\na. Backend auth cost per request, one process, ${m.rounds} alternating rounds (medians)`);
  console.log(
    table(
      ["check", "µs/op", "× bare HMAC"],
      [
        ["bare HMAC-SHA256 + compare_digest", fmt(m.median_us.hmac, 2), "1.0"],
        ["verify_backend_token (pure verifier)", fmt(m.median_us.verifier, 1), fmt(m.ratio_median.verifier_over_hmac)],
        ["get_current_user (verifier + session query)", fmt(m.median_us.dependency, 0), fmt(m.ratio_median.dependency_over_hmac, 0)],
      ],
    ),
  );
}
