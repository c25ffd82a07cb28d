// Instances going away under load, behind the proxy of the production topology:
// - a rolling restart (each backend, then each frontend: drained, stopped, started, put back) must
//   cost zero failed requests, and every acknowledged write must be stored;
// - a SIGKILL of one backend may fail the requests that were on it, with a clean 5xx from the proxy;
//   within a few seconds the proxy routes around it, and once it is back it serves again.
import { histogram, type Report, sleep } from "./report.ts";
import { describeFailures, makeUsers, startTraffic, storedCount, tasksOf, type TrafficResult } from "./prod-load.ts";
import type { ProdWorld } from "./prod-world.ts";

/**
 * Answers the load has had before the first restart or the kill: every instance has served it (4 users, each two
 * requests and a 40 ms pause a round: a second or so).
 */
const WARM_ANSWERS = 150;
/** Seconds after the kill by which no request may fail any more. */
const ROUTE_AROUND_BOUND_S = 5;
/** Seconds after the instance is ready again by which it must be serving through the proxy. */
const REJOIN_BOUND_S = 10;

export async function rollingRestart(w: ProdWorld, report: Report, users = 4): Promise<void> {
  const check = report.scenario(`rolling restart under load (${users} users through the proxy, 2 backends + 2 frontends)`);
  const traffic = startTraffic(w, await makeUsers(w, users, "roll"));
  const took: string[] = [];
  let r: TrafficResult;
  try {
    await traffic.answered(WARM_ANSWERS); // the load flows through every instance before anything happens to one
    for (const instance of [...w.topology.backends, ...w.topology.frontends]) {
      const t = performance.now();
      await w.topology.restart(instance);
      took.push(`${instance.name} ${((performance.now() - t) / 1000).toFixed(1)} s`);
      await traffic.answered(WARM_ANSWERS); // requests meet the instance that came back before the next one goes
    }
  } finally {
    r = await traffic.stop();
  }
  check(
    "zero failed requests while each instance restarts in turn",
    r.failures.length === 0 && r.outcomes.length > 0,
    `${r.outcomes.length} requests: ${histogram(r.outcomes.map((o) => o.status))}; restarts ${took.join(", ")}; ` +
      `${r.resent} resent on a fresh connection after a proxy reload closed their idle one, as browsers do; failures: ${describeFailures(r.failures)}`,
  );
  await storedOnce(w, r, check);
}

/**
 * Every acknowledged create is stored, and nothing else: no resent request stored twice. A create that
 * failed without an answer may or may not have been stored (it is counted as either).
 */
async function storedOnce(w: ProdWorld, r: TrafficResult, check: (c: string, ok: boolean, f: string) => boolean): Promise<void> {
  const stored = await storedCount(w, r.acked);
  const all = await tasksOf(w, r.emails);
  const unanswered = r.failures.filter((f) => f.what.startsWith("POST /backend")).length;
  check(
    "every acknowledged write is stored, once",
    stored === r.acked.length && all >= r.acked.length && all <= r.acked.length + unanswered && r.acked.length > 0,
    `${stored} of ${r.acked.length} acknowledged creates in the database; ${all} tasks in all for these users (${unanswered} creates failed)`,
  );
}

export async function backendCrash(w: ProdWorld, report: Report, users = 4): Promise<void> {
  const check = report.scenario(`SIGKILL one backend instance under load (${users} users through the proxy)`);
  const [victim] = w.topology.backends;
  const traffic = startTraffic(w, await makeUsers(w, users, "crash"));
  let killedAt = 0;
  let readyAt = 0;
  let servingAt = Number.NaN;
  let r: TrafficResult;
  try {
    await traffic.answered(WARM_ANSWERS); // the load flows through every instance before anything happens to one
    killedAt = (performance.now() - traffic.t0) / 1000;
    await victim.kill();
    // The window the check is about (no failure later than the bound), in time: the load runs through it.
    await sleep(ROUTE_AROUND_BOUND_S * 1000 + 1_000);
    await victim.start();
    readyAt = (performance.now() - traffic.t0) / 1000;
    const deadline = performance.now() + REJOIN_BOUND_S * 1000;
    while (performance.now() < deadline && victim.taskLines === 0) await sleep(50);
    if (victim.taskLines > 0) servingAt = (performance.now() - traffic.t0) / 1000;
    await traffic.answered(WARM_ANSWERS); // the load goes on through the instance that came back
  } finally {
    r = await traffic.stop();
  }
  const failed = r.failures;
  const clean = failed.every((f) => f.status >= 500 && f.status <= 504);
  const lastFailure = failed.length ? Math.max(...failed.map((f) => f.at)) - killedAt : 0;
  check(
    "requests that fail are clean 5xx answers from the proxy (none unanswered, none 4xx)",
    clean,
    `${failed.length} of ${r.outcomes.length} failed: ${histogram(failed.map((f) => f.status))}; ${describeFailures(failed, 2)}`,
  );
  check(
    `the proxy routes around the dead instance within ${ROUTE_AROUND_BOUND_S} s`,
    lastFailure <= ROUTE_AROUND_BOUND_S && failed.every((f) => f.at >= killedAt),
    failed.length ? `last failure ${lastFailure.toFixed(2)} s after the kill` : "no request failed at all (refused connections were retried on the other instance)",
  );
  check(
    `it serves again within ${REJOIN_BOUND_S} s of being ready`,
    Number.isFinite(servingAt),
    Number.isFinite(servingAt) ? `ready ${(readyAt - killedAt).toFixed(1)} s after the kill; first task request served ${(servingAt - readyAt).toFixed(2)} s later` : `no task request reached it within ${REJOIN_BOUND_S} s`,
  );
  await storedOnce(w, r, check);
}
