// d. What a database round trip costs a request, and what the session cache saves: the bench app on the
//    database directly and through a proxy that adds 2 ms to each direction of the link
//    (backend/scripts/db_delay_proxy.py), GET /api/me and GET /api/tasks with a warm session cache at
//    concurrency 1, alternating rounds. Budget: /api/me ≤ 1 ms slower (no round trip), /api/tasks ≤ 2 round
//    trips' worth slower (it needs one: the page with its total).
// e. Revocation lag across two instances with the cache on: a session deleted in the database, both
//    instances polled until they refuse its token (docs/security.md "Revocation").
import { appDb, BACKEND_DIR, bearer, fmt, insertAccount, type LagSummary, median, mintToken, type Refusal, refusalTimes, type Service, startService, summariseLags, table, uv, UV_ENV, warm } from "@authbridge/harness";
import { alternatingRounds, type HttpRow, startBenchApp, summarise } from "./auth-vs-plain.ts";
import { BENCH_PORTS } from "./bench-env.ts";
import { QUICK, type Timing } from "./timing.ts";

const LINK_DELAY_MS = 2; // each direction: a round trip gains 4 ms
const REFUSED_WITHIN_MS = 1_000;

export interface SlowDb {
  delayMs: number;
  rows: HttpRow[];
  /** p50 through the delayed link minus p50 direct, median over the rounds, per request. */
  addedP50Ms: { me: number; tasks: number };
  revocation: LagSummary & { sessions: number; instances: number };
}

export async function slowDatabase(env: Record<string, string>, timing: Timing, services: Service[]): Promise<SlowDb> {
  console.log(`\n[bench] d. the same app with ${LINK_DELAY_MS} ms added to each direction of the database link; e. revocation lag…`);
  const proxied = { ...env, DATABASE_URL: throughPort(env.DATABASE_URL, BENCH_PORTS.delayProxy) };
  services.push(startDelayProxy(env));
  const [a, b, slow] = await Promise.all([
    startBenchApp(env, services, { port: BENCH_PORTS.instanceA, workers: 1, name: "instance-a" }),
    startBenchApp(env, services, { port: BENCH_PORTS.instanceB, workers: 1, name: "instance-b" }),
    startBenchApp(proxied, services, { port: BENCH_PORTS.delayedInstance, workers: 1, name: "instance-slow-db" }),
  ]);
  const db = await appDb(env);
  try {
    const lister = await insertAccount(db, "bench_slow");
    await db.query(
      "INSERT INTO task (id, user_id, title, description) SELECT gen_random_uuid(), $1, 'task ' || g, 'seeded by the bench' FROM generate_series(1, 50) g",
      [lister.userId],
    );
    const token = mintToken(env, lister.userId, lister.sessionId);
    await warm([a, slow], token, 5); // session cached, statements prepared
    const specs = {
      "GET /api/me (direct)": () => ({ url: `${a}/api/me`, headers: bearer(token) }),
      [`GET /api/me (+${LINK_DELAY_MS} ms each way)`]: () => ({ url: `${slow}/api/me`, headers: bearer(token) }),
      "GET /api/tasks (direct)": () => ({ url: `${a}/api/tasks`, headers: bearer(token) }),
      [`GET /api/tasks (+${LINK_DELAY_MS} ms each way)`]: () => ({ url: `${slow}/api/tasks`, headers: bearer(token) }),
    };
    const rows = await alternatingRounds(specs, 1, timing);
    const added = (direct: HttpRow, delayed: HttpRow) => median(delayed.rounds.map((d, i) => d.p50 - direct.rounds[i].p50));
    const revocation = await revocationLag(env, db, [a, b], timing === QUICK ? 10 : 30);
    return { delayMs: LINK_DELAY_MS, rows, addedP50Ms: { me: added(rows[0], rows[1]), tasks: added(rows[2], rows[3]) }, revocation };
  } finally {
    await db.end();
  }
}

/** The same URL on another port of the same host (the TLS host name stays the certificate's). */
function throughPort(databaseUrl: string, port: number): string {
  const u = new URL(databaseUrl);
  u.port = String(port);
  return u.toString();
}

function startDelayProxy(env: Record<string, string>): Service {
  const target = new URL(env.DATABASE_URL);
  const [cmd, ...pre] = uv();
  const args = ["run", "--frozen", "python", "scripts/db_delay_proxy.py", "--listen-port", String(BENCH_PORTS.delayProxy)];
  args.push("--target-host", target.hostname, "--target-port", target.port || "5432", "--delay-ms", String(LINK_DELAY_MS));
  return startService("delay-proxy", cmd, [...pre, ...args], { cwd: BACKEND_DIR, env: { ...UV_ENV }, quiet: true });
}

/** `sessions` times: a session cached on both instances is deleted, both are polled until they refuse it. */
async function revocationLag(
  env: Record<string, string>,
  db: Awaited<ReturnType<typeof appDb>>,
  instances: string[],
  sessions: number,
): Promise<SlowDb["revocation"]> {
  const refusals: Refusal[] = [];
  for (let i = 0; i < sessions; i++) {
    const account = await insertAccount(db, "bench_revoke");
    const token = mintToken(env, account.userId, account.sessionId);
    await warm(instances, token);
    await db.query("DELETE FROM session WHERE id = $1", [account.sessionId]);
    refusals.push(...(await refusalTimes(instances, token, performance.now(), REFUSED_WITHIN_MS)));
  }
  return { ...summariseLags(refusals), sessions, instances: instances.length };
}

export function printSlowDb(s: SlowDb, timing: Timing) {
  console.log(`\nd. One request at a time, warm session cache, ${timing.rounds} alternating rounds of ${timing.roundMs / 1000} s (medians)`);
  console.log(
    table(
      ["request", "req/s", "p50 ms", "p95 ms", "p99 ms"],
      s.rows.map((row) => {
        const r = summarise(row.rounds);
        return [row.name, fmt(r.rps, 0), fmt(r.p50, 2), fmt(r.p95, 2), fmt(r.p99, 2)];
      }),
    ),
  );
  const rt = 2 * s.delayMs;
  console.log(`added by the slow link: GET /api/me p50 +${fmt(s.addedP50Ms.me, 2)} ms (target ≤ 1), GET /api/tasks p50 +${fmt(s.addedP50Ms.tasks, 2)} ms (target ≤ ${2 * rt}: 2 round trips of ${rt} ms)`);
  const r = s.revocation;
  console.log(
    `\ne. Revocation lag, ${r.sessions} sessions deleted × ${r.instances} instances (cache on): p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms (target ≤ 100), max ${fmt(r.max, 1)} ms, still accepted after ${REFUSED_WITHIN_MS / 1000} s: ${r.missed}`,
  );
}
