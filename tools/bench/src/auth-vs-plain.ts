// b. Authenticated GET /api/tasks vs the same query without auth (backend/app/bench_app.py), in one
// server, alternating A/B rounds so both meet the same machine noise; plus authenticated create.
import http from "node:http";
import { appDb, BACKEND_DIR, bearer, fmt, type HttpRequest, insertAccount, type LoadResult, median, mintToken, pct, runLoad, send, type Service, startService, table, uv, UV_ENV, waitForHttp } from "@authbridge/harness";
import { BENCH_PORTS } from "./bench-env.ts";
import type { Timing } from "./timing.ts";

export interface HttpRow {
  name: string;
  rounds: LoadResult[];
}
export interface HttpBench {
  concurrency: number;
  workers: number;
  rows: HttpRow[];
  ratio: { rps: number; p50: number; p99: number };
  /** The two list routes again at concurrency 1: what auth adds to one request's latency. */
  single: { rows: HttpRow[]; ratio: { rps: number; p50: number; p99: number } };
}

const HTTP_WORKERS = 2;

export async function authVsUnauthenticated(env: Record<string, string>, timing: Timing, services: Service[]): Promise<HttpBench> {
  console.log(`\n[bench] b. GET /api/tasks with and without auth (app.bench_app, ${HTTP_WORKERS} workers)…`);
  const base = await startBenchApp(env, services);
  const { listerId, listToken, createToken } = await seedUsers(env);
  await assertSameListBody(base, listerId, listToken);

  const c = timing.httpConcurrency;
  const specs = {
    "GET /api/tasks (auth)": () => ({ url: `${base}/api/tasks`, headers: bearer(listToken) }),
    "GET /bench/tasks (no auth)": () => ({ url: `${base}/bench/tasks?user_id=${listerId}` }),
    "POST /api/tasks (auth)": (i: number) => ({ method: "POST", url: `${base}/api/tasks`, headers: bearer(createToken), json: { title: `bench ${i}` } }),
  };
  const rows = await alternatingRounds(specs, c, timing);
  const { "POST /api/tasks (auth)": _create, ...lists } = specs;
  const single = await alternatingRounds(lists, 1, timing);
  return { concurrency: c, workers: HTTP_WORKERS, rows, ratio: ratios(rows), single: { rows: single, ratio: ratios(single) } };
}

/** Per-round ratios of the first row (auth) over the second (no auth), medians over the rounds. */
function ratios([auth, unauth]: HttpRow[]): { rps: number; p50: number; p99: number } {
  const perRound = (f: (a: LoadResult, b: LoadResult) => number) => median(auth.rounds.map((a, i) => f(a, unauth.rounds[i])));
  return { rps: perRound((a, b) => a.rps / b.rps), p50: perRound((a, b) => a.p50 / b.p50), p99: perRound((a, b) => a.p99 / b.p99) };
}

/** python -m app.bench_app on its own port; returns its base URL once /health answers. */
export async function startBenchApp(
  env: Record<string, string>,
  services: Service[],
  opts: { port?: number; workers?: number; name?: string } = {},
): Promise<string> {
  const port = opts.port ?? BENCH_PORTS.benchApp;
  const [cmd, ...pre] = uv();
  // python -m app.bench_app: the same uvicorn protocol as `python -m app` (app/core/server.py).
  const args = ["run", "--frozen", "python", "-m", "app.bench_app", "--port", String(port), "--workers", String(opts.workers ?? HTTP_WORKERS)];
  const app = startService(opts.name ?? "bench-app", cmd, [...pre, ...args], {
    cwd: BACKEND_DIR,
    env: { ...env, ...UV_ENV, AUTHBRIDGE_BENCH: "1" },
    quiet: true,
  });
  services.push(app);
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/health`, { timeoutMs: 60_000, service: app });
  return base;
}

/** A lister with 50 tasks and a creator, straight into the database, with tokens minted by the contract. */
async function seedUsers(env: Record<string, string>): Promise<{ listerId: string; listToken: string; createToken: string }> {
  const db = await appDb(env);
  let lister, creator;
  try {
    lister = await insertAccount(db, "bench_list");
    creator = await insertAccount(db, "bench_create");
    // 50 tasks: the list answers a full page of 20 with a total, as a real user's would.
    await db.query(
      "INSERT INTO task (id, user_id, title, description) SELECT gen_random_uuid(), $1, 'task ' || g, 'seeded by the bench' FROM generate_series(1, 50) g",
      [lister.userId],
    );
  } finally {
    await db.end();
  }
  return {
    listerId: lister.userId,
    listToken: mintToken(env, lister.userId, lister.sessionId),
    createToken: mintToken(env, creator.userId, creator.sessionId),
  };
}

/** The comparison is only fair when both routes do the same work: same 200 body. */
async function assertSameListBody(base: string, listerId: string, listToken: string): Promise<void> {
  const check = await send({ url: `${base}/api/tasks`, headers: bearer(listToken) });
  const plain = await send({ url: `${base}/bench/tasks?user_id=${listerId}` });
  if (check.status !== 200 || plain.status !== 200 || check.body !== plain.body) {
    throw new Error(`the two list routes must answer the same 200 body before being compared (got ${check.status} / ${plain.status})`);
  }
}

/**
 * A warm-up of each request, then `timing.rounds` rounds of all of them, the order rotating each round.
 * All of them go over the same `c` keep-alive connections per server: with several uvicorn workers, which
 * worker accepts a connection is luck (one often takes them all), so fresh connections per run would make
 * throughput jump by 2× between runs for reasons that have nothing to do with the requests compared.
 */
export async function alternatingRounds(specs: Record<string, (i: number) => HttpRequest>, c: number, timing: Timing): Promise<HttpRow[]> {
  const names = Object.keys(specs);
  const agent = new http.Agent({ keepAlive: true, maxSockets: c });
  try {
    // Warm-up (connections, pools, JIT) is not measured.
    for (const name of names) await runLoad({ name, concurrency: c, durationMs: 500, maxRequests: 5_000, request: specs[name], agent });
    const rows: HttpRow[] = names.map((name) => ({ name, rounds: [] }));
    for (let r = 0; r < timing.rounds; r++) {
      const order = [...names.slice(r % names.length), ...names.slice(0, r % names.length)];
      for (const name of order) {
        const res = await runLoad({ name, concurrency: c, durationMs: timing.roundMs, maxRequests: 100_000, request: specs[name], agent });
        rows[names.indexOf(name)].rounds.push(res);
      }
    }
    return rows;
  } finally {
    agent.destroy();
  }
}

export function summarise(rounds: LoadResult[]) {
  const requests = rounds.reduce((s, r) => s + r.requests, 0);
  const errors = rounds.reduce((s, r) => s + r.errors, 0);
  return {
    requests,
    errorRate: requests ? errors / requests : Number.NaN,
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p95: median(rounds.map((r) => r.p95)),
    p99: median(rounds.map((r) => r.p99)),
  };
}

export function printHttp(h: HttpBench, timing: Timing) {
  console.log(
    `\nb. HTTP on loopback, concurrency ${h.concurrency}, uvicorn ${h.workers} workers, ${timing.rounds} alternating rounds of ${timing.roundMs / 1000} s (medians)`,
  );
  console.log(
    table(
      ["request", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "requests"],
      h.rows.map((row) => {
        const s = summarise(row.rounds);
        return [row.name, fmt(s.rps, 0), fmt(s.p50), fmt(s.p95), fmt(s.p99), pct(s.errorRate), s.requests];
      }),
    ),
  );
  console.log(
    `ratio auth/no-auth list: throughput ×${fmt(h.ratio.rps, 2)} (target ≥ 0.95), p50 latency ×${fmt(h.ratio.p50, 2)}, p99 latency ×${fmt(h.ratio.p99, 2)}`,
  );
  console.log(`\nThe two list routes at concurrency 1 (${timing.rounds} alternating rounds)`);
  console.log(
    table(
      ["request", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "requests"],
      h.single.rows.map((row) => {
        const s = summarise(row.rounds);
        return [row.name, fmt(s.rps, 0), fmt(s.p50, 2), fmt(s.p95, 2), fmt(s.p99, 2), pct(s.errorRate), s.requests];
      }),
    ),
  );
  console.log(`ratio auth/no-auth list at concurrency 1: p50 latency ×${fmt(h.single.ratio.p50, 2)} (target ≤ 1.1)`);
}
