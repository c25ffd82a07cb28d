// The production scenarios (docs/operations.md "Production topology"), each in the world it needs:
// the topology direct on PostgreSQL, through PgBouncer in transaction mode (also under the whole browser
// suite), and over a database link that adds 2 ms each way. `fast` is the short set for `npm test`: the limit through the proxy, a
// flood of large bodies (directly and through the proxy) and a cold start, direct.
import type { Report } from "./report.ts";
import { bodyFlood } from "./prod-body-flood.ts";
import { coldStart } from "./prod-cold-start.ts";
import { e2eThroughPooler } from "./prod-e2e.ts";
import { latencyThroughTopology } from "./prod-latency.ts";
import { limitsThroughProxy } from "./prod-limits.ts";
import { backendCrash, rollingRestart } from "./prod-restarts.ts";
import { type ProdWorld, type ProdWorldOptions, startProdWorld } from "./prod-world.ts";
import { runInWorld, type Scenario } from "./runner.ts";

/** The scenarios of `steps` in a world of the topology made with `opts`; one that does not start is one failed check. */
const inWorld = (report: Report, name: string, opts: ProdWorldOptions, steps: Scenario<ProdWorld>[]) =>
  runInWorld(report, () => startProdWorld(opts), steps, `production topology (${name})`);

export async function runProdScenarios(report: Report, set: "fast" | "full", log = false): Promise<void> {
  if (set === "fast") {
    await inWorld(report, "direct", { pooler: false, log }, [
      { name: "limits through the proxy", run: limitsThroughProxy },
      { name: "body flood", run: bodyFlood },
      { name: "cold start (direct)", run: (w, r) => coldStart(w, r, 1) },
    ]);
    return;
  }
  await inWorld(report, "direct", { pooler: false, log }, [
    { name: "limits through the proxy", run: limitsThroughProxy },
    { name: "body flood", run: bodyFlood },
    { name: "rolling restart", run: (w, r) => rollingRestart(w, r) },
    { name: "backend crash", run: (w, r) => backendCrash(w, r) },
    { name: "cold start (direct)", run: (w, r) => coldStart(w, r) },
    { name: "latency (direct link)", run: (w, r) => latencyThroughTopology(w, r, "direct database link") },
  ]);
  await inWorld(report, "pooler", { pooler: true, log }, [
    { name: "cold start (pooler)", run: (w, r) => coldStart(w, r) },
    { name: "rolling restart (pooler)", run: (w, r) => rollingRestart(w, r, 2) },
  ]);
  try {
    await e2eThroughPooler(report, log);
  } catch (err) {
    report.crashed("pooler mode browser suite", err);
  }
  await inWorld(report, "delayed link", { pooler: false, delayMs: 2, log }, [
    { name: "latency (2 ms each way)", run: (w, r) => latencyThroughTopology(w, r, "database link +2 ms each way") },
  ]);
}
