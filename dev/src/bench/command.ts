// `npm run bench`: bounded, loopback-only measurements in ONE run, printed as tables with the ratios
// that do not depend on the machine's speed (issue 3 §6, issue 4 §5, issue 5 §3):
//   a. backend auth dependency vs a bare HMAC-SHA256 check (backend/scripts/bench_auth.py)
//   b. authenticated GET /api/tasks vs the same route without auth (backend/app/bench_app.py),
//      alternating A/B rounds in one server, plus authenticated create
//   c. the load matrix against the production builds (next build + start, uvicorn with 2 workers):
//      sign-up, sign-in, task list, task create at several concurrencies, and sign-in vs the raw
//      scrypt rate of Better Auth's own hashPassword measured in the same run.
// Flags: --skip-build reuses frontend/.next; --quick shortens every phase (a smoke run).
// Results also go to .dev/bench/last.json. docs/benchmarks.md explains each figure.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import nodeOs from "node:os";
import path from "node:path";
import { migrate } from "../database.ts";
import { BACKEND_DIR, DEV_DIR, FRONTEND_DIR } from "../paths.ts";
import { type Service, startService, waitForHttp } from "../proc.ts";
import { buildFrontend, startBackend, startFrontend } from "../stack.ts";
import { syncPython, uv, UV_ENV } from "../toolchain.ts";
import {
  appDb,
  backendToken,
  bearer,
  clientIp,
  insertAccount,
  mintToken,
  signIn,
  signUp,
  uniqueEmail,
} from "../harness/accounts.ts";
import { BENCH_PORTS, prepareBenchWorld } from "./bench-env.ts";
import { measureHashRate, type HashRate } from "./hash-rate.ts";
import { fmt, table } from "../harness/format.ts";
import { type HttpRequest, type LoadResult, median, runLoad, send } from "../harness/http-load.ts";
import { assertPortsFree } from "../harness/ports.ts";

interface Timing {
  rounds: number;
  roundMs: number;
  matrixMs: number;
  levels: number[];
  httpConcurrency: number;
}

const FULL: Timing = { rounds: 5, roundMs: 2_000, matrixMs: 3_000, levels: [1, 8, 32], httpConcurrency: 16 };
const QUICK: Timing = { rounds: 3, roundMs: 700, matrixMs: 1_000, levels: [1, 8], httpConcurrency: 8 };

export async function benchCommand(args: string[] = []): Promise<number> {
  const timing = args.includes("--quick") ? QUICK : FULL;
  const t0 = performance.now();
  const date = new Date().toISOString();
  console.log(`bench: ${date}, ${os().cpus} CPU(s), node ${process.version}, loopback only`);
  await assertPortsFree(Object.values(BENCH_PORTS));
  syncPython();
  const world = await prepareBenchWorld();
  const { env } = world;
  const services: Service[] = [];
  try {
    migrate(env);
    const micro = authMicroBench(env, timing);
    printMicro(micro);

    const http = await authVsUnauthenticated(env, timing, services);
    printHttp(http, timing);

    if (!args.includes("--skip-build") || !fs.existsSync(path.join(FRONTEND_DIR, ".next", "BUILD_ID"))) {
      console.log("\n[bench] next build (production)…");
      buildFrontend(env);
    }
    const matrix = await loadMatrix(env, timing, services);
    printMatrix(matrix);

    const seconds = (performance.now() - t0) / 1000;
    const out = path.join(DEV_DIR, "bench", "last.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ date, cpus: os().cpus, node: process.version, timing, micro, http, matrix, seconds }, null, 2));
    console.log(`\nbench: done in ${seconds.toFixed(0)} s (raw figures in ${path.relative(process.cwd(), out)})`);
    return 0;
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    if (world.startedCluster) world.cluster.stop();
  }
}

function os() {
  return { cpus: nodeOs.availableParallelism() };
}

// ---------------------------------------------------------------- a. auth dependency vs HMAC

interface Micro {
  rounds: number;
  median_us: { hmac: number; verifier: number; dependency: number };
  ratio_median: { verifier_over_hmac: number; dependency_over_hmac: number; dependency_over_verifier: number };
}

function authMicroBench(env: Record<string, string>, timing: Timing): Micro {
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

function printMicro(m: Micro) {
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

// ---------------------------------------------------------------- b. authenticated vs unauthenticated list

interface HttpRow {
  name: string;
  rounds: LoadResult[];
}
interface HttpBench {
  concurrency: number;
  workers: number;
  rows: HttpRow[];
  ratio: { rps: number; p50: number; p99: number };
}

const HTTP_WORKERS = 2;

async function authVsUnauthenticated(env: Record<string, string>, timing: Timing, services: Service[]): Promise<HttpBench> {
  console.log(`\n[bench] b. GET /api/tasks with and without auth (app.bench_app, ${HTTP_WORKERS} workers)…`);
  const port = BENCH_PORTS.benchApp;
  const [cmd, ...pre] = uv();
  // python -m app.bench_app: uvicorn with TCP_NODELAY set per connection (see NoDelayH11Protocol there).
  const app = startService("bench-app", cmd, [...pre, "run", "--frozen", "python", "-m", "app.bench_app", "--port", String(port), "--workers", String(HTTP_WORKERS)], {
    cwd: BACKEND_DIR,
    env: { ...env, ...UV_ENV, AUTHBRIDGE_BENCH: "1" },
    quiet: true,
  });
  services.push(app);
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/health`, { timeoutMs: 60_000, service: app });

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
  const listToken = mintToken(env, lister.userId, lister.sessionId);
  const createToken = mintToken(env, creator.userId, creator.sessionId);
  const check = await send({ url: `${base}/api/tasks`, headers: bearer(listToken) });
  const plain = await send({ url: `${base}/bench/tasks?user_id=${lister.userId}` });
  if (check.status !== 200 || plain.status !== 200 || check.body !== plain.body) {
    throw new Error(`the two list routes must answer the same 200 body before being compared (got ${check.status} / ${plain.status})`);
  }

  const c = timing.httpConcurrency;
  const specs = {
    "GET /api/tasks (auth)": () => ({ url: `${base}/api/tasks`, headers: bearer(listToken) }),
    "GET /bench/tasks (no auth)": () => ({ url: `${base}/bench/tasks?user_id=${lister.userId}` }),
    "POST /api/tasks (auth)": (i: number) => ({ method: "POST", url: `${base}/api/tasks`, headers: bearer(createToken), json: { title: `bench ${i}` } }),
  };
  const names = Object.keys(specs) as (keyof typeof specs)[];
  // Warm-up (connections, pools, JIT) is not measured.
  for (const name of names) await runLoad({ name, concurrency: c, durationMs: 500, maxRequests: 5_000, request: specs[name] });
  const rows: HttpRow[] = names.map((name) => ({ name, rounds: [] }));
  for (let r = 0; r < timing.rounds; r++) {
    const order = [...names.slice(r % names.length), ...names.slice(0, r % names.length)];
    for (const name of order) {
      const res = await runLoad({ name, concurrency: c, durationMs: timing.roundMs, maxRequests: 100_000, request: specs[name] });
      rows[names.indexOf(name)].rounds.push(res);
    }
  }
  const [auth, unauth] = rows;
  const perRound = (f: (a: LoadResult, b: LoadResult) => number) => median(auth.rounds.map((a, i) => f(a, unauth.rounds[i])));
  return {
    concurrency: c,
    workers: HTTP_WORKERS,
    rows,
    ratio: { rps: perRound((a, b) => a.rps / b.rps), p50: perRound((a, b) => a.p50 / b.p50), p99: perRound((a, b) => a.p99 / b.p99) },
  };
}

function summarise(rounds: LoadResult[]) {
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

const pct = (x: number) => `${fmt(x * 100, 1)}%`;

function printHttp(h: HttpBench, timing: Timing) {
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
    `ratio auth/no-auth list: throughput ×${fmt(h.ratio.rps, 2)}, p50 latency ×${fmt(h.ratio.p50, 2)}, p99 latency ×${fmt(h.ratio.p99, 2)}`,
  );
}

// ---------------------------------------------------------------- c. the load matrix on the production builds

interface Matrix {
  rows: LoadResult[];
  hash: Record<string, HashRate>;
  ratios: Record<string, number>;
}

async function loadMatrix(env: Record<string, string>, timing: Timing, services: Service[]): Promise<Matrix> {
  console.log("\n[bench] c. load matrix on the production builds…");
  const frontendUrl = env.BETTER_AUTH_URL;
  const backendUrl = env.BACKEND_URL;
  const backend = startBackend(env, BENCH_PORTS.backend, { workers: 2, quiet: true });
  const frontend = startFrontend(env, BENCH_PORTS.frontend, { quiet: true });
  services.push(backend, frontend);
  await waitForHttp(`${backendUrl}/health`, { timeoutMs: 60_000, service: backend });
  await waitForHttp(`${frontendUrl}/sign-in`, { timeoutMs: 90_000, service: frontend });

  // Accounts through the real frontend; tokens from GET /api/auth/token.
  let ipSeq = 1;
  const account = async (tag: string) => {
    const email = uniqueEmail(tag);
    const s = await signUp(frontendUrl, email, clientIp(ipSeq++));
    if (s.answer.status !== 200 || !s.cookie) throw new Error(`sign-up answered ${s.answer.status}: ${s.answer.body.slice(0, 200)}`);
    return { email, cookie: s.cookie };
  };
  const signInUsers = await Promise.all([0, 1, 2, 3].map(() => account("bench-signin")));
  const lister = await account("bench-list");
  const creator = await account("bench-create");
  const listToken = await backendToken(frontendUrl, lister.cookie);
  const createToken = await backendToken(frontendUrl, creator.cookie);
  for (let i = 0; i < 50; i++) {
    const a = await send({ method: "POST", url: `${backendUrl}/api/tasks`, headers: bearer(listToken), json: { title: `seed ${i}` } });
    if (a.status !== 201) throw new Error(`seeding tasks: POST /api/tasks answered ${a.status}: ${a.body.slice(0, 200)}`);
  }

  // The raw hash rate is measured right before each sign-up/sign-in cell, with as many hashes in flight
  // as that cell has requests in flight (up to the libuv pool's 4), so both meet the same machine noise.
  const hashBudget = timing === QUICK ? 800 : 1_500;
  const hash: Record<string, HashRate> = {};

  const rows: LoadResult[] = [];
  const authOps: Record<string, (i: number) => HttpRequest> = {
    "sign-up": (i) => ({
      method: "POST",
      url: `${frontendUrl}/api/auth/sign-up/email`,
      headers: { origin: frontendUrl, "x-forwarded-for": clientIp(ipSeq + i) },
      json: { name: "Bench User", email: uniqueEmail("bench-signup"), password: "Bench-Pass-4fK9q2" },
    }),
    "sign-in": (i) => ({
      method: "POST",
      url: `${frontendUrl}/api/auth/sign-in/email`,
      headers: { origin: frontendUrl, "x-forwarded-for": clientIp(ipSeq + i) },
      json: { email: signInUsers[i % signInUsers.length].email, password: "Bench-Pass-4fK9q2" },
    }),
  };
  for (const [name, request] of Object.entries(authOps)) {
    for (const c of timing.levels) {
      hash[`${name}@${c}`] = await measureHashRate(Math.min(c, 4), hashBudget);
      rows.push(await runLoad({ name, concurrency: c, durationMs: timing.matrixMs, maxRequests: 400, request }));
      ipSeq += 1_000;
    }
  }
  const taskOps = {
    "task list (auth)": () => ({ url: `${backendUrl}/api/tasks`, headers: bearer(listToken) }),
    "task create (auth)": (i: number) => ({ method: "POST", url: `${backendUrl}/api/tasks`, headers: bearer(createToken), json: { title: `load ${i}` } }),
  };
  for (const [name, request] of Object.entries(taskOps)) {
    for (const c of timing.levels) {
      rows.push(await runLoad({ name, concurrency: c, durationMs: timing.matrixMs, maxRequests: 20_000, request }));
    }
  }
  // A sign-in that the bench's own check proves went through (so a broken endpoint cannot look fast).
  const probe = await signIn(frontendUrl, signInUsers[0].email, clientIp(ipSeq++));
  if (probe.answer.status !== 200) throw new Error(`sign-in probe answered ${probe.answer.status}: ${probe.answer.body.slice(0, 200)}`);

  const ratios: Record<string, number> = {};
  for (const r of rows) {
    const h = hash[`${r.name}@${r.concurrency}`];
    if (h) ratios[`${r.name} c=${r.concurrency}: ${fmt(r.rps, 1)}/s vs raw hash ${fmt(h.perSecond, 1)}/s with ${h.parallel} in flight`] = r.rps / h.perSecond;
  }
  return { rows, hash, ratios };
}

function printMatrix(m: Matrix) {
  console.log("\nc. Load matrix, production builds (next start; uvicorn 2 workers), each cell bounded in time and count");
  console.log(
    table(
      ["operation", "concurrency", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "requests", "statuses"],
      m.rows.map((r) => [
        r.name,
        r.concurrency,
        fmt(r.rps, r.rps < 100 ? 1 : 0),
        fmt(r.p50, 0),
        fmt(r.p95, 0),
        fmt(r.p99, 0),
        pct(r.requests ? r.errors / r.requests : Number.NaN),
        r.requests,
        Object.entries(r.statuses).map(([s, n]) => `${s}×${n}`).join(" "),
      ]),
    ),
  );
  console.log("raw rate of Better Auth's own hashPassword (scrypt N=16384 r=16 p=1, node:crypto), measured right before each cell:");
  for (const [name, v] of Object.entries(m.ratios)) console.log(`  ratio ${fmt(v, 2)}  ${name}`);
}
