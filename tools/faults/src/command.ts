// `npm run faults`: the fault scenarios (docs/benchmarks.md, "Fault scenarios") against the production builds, pass/fail with figures:
//   duplicate sign-up race, two backend instances + revocation (each way a session ends, lag p50/p99,
//   with the listeners killed, and in the modes without a listener: SESSION_CACHE=ttl and off), two frontend instances sharing the
//   throttle's limits, rate limit, invalid-token flood,
//   and a database outage under load (last: it crashes the dedicated faults database); then the
//   production topology's scenarios (prod-run.ts). `--prod-only` runs just those; `--only <text>` only the scenarios
//   (not the production topology's) whose name contains the text, e.g. `npm run faults -- --only "session modes"`.
// `runFastFaults(env)` is the short set for `npm test` (about a minute once the frontend is built).
// Everything runs on a dedicated cluster (.data/postgres-faults, :5436) and ports 3300/8300/8301 (8302/8303: session modes).
import { syncPython } from "@authbridge/harness";
import { invalidTokenFlood, signInRateLimit } from "./abuse.ts";
import { outageUnderLoad, type OutageTiming } from "./outage.ts";
import { runProdScenarios } from "./prod-run.ts";
import { Report } from "./report.ts";
import { runInWorld, type Scenario as RunnerScenario } from "./runner.ts";
import { revocationLag, revocationWithoutListener } from "./revocation.ts";
import { revocationInModesWithoutListener } from "./session-modes.ts";
import { signupRace } from "./signup-race.ts";
import { sharedLimits } from "./shared-limits.ts";
import { twoInstances } from "./two-instances.ts";
import { type FaultWorld, startFaultWorld } from "./world.ts";

type Scenario = RunnerScenario<FaultWorld>;

const FULL_OUTAGE: OutageTiming = { clients: 6, beforeMs: 3_000, outageMs: 6_000, afterMs: 3_000 };
const FAST_OUTAGE: OutageTiming = { clients: 3, beforeMs: 1_500, outageMs: 3_000, afterMs: 1_000 };

async function runScenarios(
  scenarios: Scenario[],
  opts: { build: "always" | "if-stale"; log?: boolean; prod?: "fast" | "full" | "only" },
): Promise<number> {
  const t0 = performance.now();
  const report = new Report();
  if (opts.prod !== "only") {
    await runInWorld(report, () => startFaultWorld(opts), scenarios);
  }
  // The production topology's scenarios (prod-run.ts), after: they reuse the build and the cluster.
  if (opts.prod) await runProdScenarios(report, opts.prod === "fast" ? "fast" : "full", opts.log);
  console.log(`(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  return report.close();
}

/**
 * The short set for `npm test`: race, two instances, revocation, shared limits, a 3-second outage, then on the
 * production topology the sign-in limit through the proxy, a flood of 20 MB bodies and a cold start. Prints `faults: N passed, M failed`.
 */
export async function runFastFaults(_env: Record<string, string> = {}): Promise<number> {
  // The suite's env is not needed: the scenarios provision their own database on a cluster they may crash.
  return runScenarios(
    [
      { name: "signup race", run: (w, r) => signupRace(w, r) },
      { name: "two instances", run: (w, r) => twoInstances(w, r) },
      { name: "revocation", run: (w, r) => revocationLag(w, r, 2) },
      { name: "revocation without listener", run: (w, r) => revocationWithoutListener(w, r) },
      { name: "session modes", run: (w, r) => revocationInModesWithoutListener(w, r, 2) },
      { name: "shared limits", run: (w, r) => sharedLimits(w, r) },
      { name: "outage", run: (w, r) => outageUnderLoad(w, r, FAST_OUTAGE) },
    ],
    { build: "if-stale", log: Boolean(process.env.FAULTS_VERBOSE), prod: "fast" },
  );
}

export async function faultsCommand(args: string[] = []): Promise<number> {
  syncPython();
  const only = args.includes("--only") ? (args[args.indexOf("--only") + 1] ?? "") : null;
  const chosen = (scenarios: Scenario[]) => (only === null ? scenarios : scenarios.filter((s) => s.name.includes(only)));
  return runScenarios(
    chosen([
      { name: "signup race", run: (w, r) => signupRace(w, r) },
      { name: "two instances", run: (w, r) => twoInstances(w, r) },
      { name: "revocation", run: (w, r) => revocationLag(w, r, 5) },
      { name: "revocation without listener", run: (w, r) => revocationWithoutListener(w, r) },
      { name: "session modes", run: (w, r) => revocationInModesWithoutListener(w, r, 5) },
      { name: "shared limits", run: (w, r) => sharedLimits(w, r) },
      { name: "rate limit", run: (w, r) => signInRateLimit(w, r) },
      { name: "invalid-token flood", run: (w, r) => invalidTokenFlood(w, r) },
      { name: "outage", run: (w, r) => outageUnderLoad(w, r, FULL_OUTAGE) },
    ]),
    {
      build: args.includes("--skip-build") ? "if-stale" : "always",
      log: args.includes("--verbose"),
      // --only picks among the scenarios above: the production topology's run only with --prod-only.
      prod: args.includes("--prod-only") ? "only" : only === null ? "full" : undefined,
    },
  );
}
