// c. The load matrix against the production builds (next start, uvicorn with 2 workers): sign-up,
// sign-in, task list and task create at several concurrencies, and sign-up/sign-in against the raw
// scrypt rate of Better Auth's own hashPassword measured right before each of those cells.
import { backendToken, bearer, clientIp, fmt, type HttpRequest, type LoadResult, PASSWORD, pct, runLoad, send, type Service, signIn, signUp, startBackend, startFrontend, table, uniqueEmail, waitForHttp } from "@authbridge/harness";
import { BENCH_PORTS } from "./bench-env.ts";
import { type HashRate, measureHashRate } from "./hash-rate.ts";
import { QUICK, type Timing } from "./timing.ts";

export interface Matrix {
  rows: LoadResult[];
  hash: Record<string, HashRate>;
  ratios: Record<string, number>;
}

/** Client addresses handed out in sequence, so every simulated client has its own (per-address limits). */
class ClientAddresses {
  private seq = 1;
  next(): string {
    return clientIp(this.seq++);
  }
  /** The i-th address from the current position, without moving it. */
  at(i: number): string {
    return clientIp(this.seq + i);
  }
  skip(n: number): void {
    this.seq += n;
  }
}

interface FrontendUser {
  email: string;
  cookie: string;
}

export async function loadMatrix(env: Record<string, string>, timing: Timing, services: Service[]): Promise<Matrix> {
  console.log("\n[bench] c. load matrix on the production builds…");
  const frontendUrl = env.BETTER_AUTH_URL;
  const backendUrl = env.BACKEND_URL;
  await startProductionStack(env, services);

  // Accounts through the real frontend; tokens from GET /api/auth/token.
  const ips = new ClientAddresses();
  const account = (tag: string) => signUpThroughFrontend(frontendUrl, tag, ips.next());
  const signInUsers = await Promise.all([0, 1, 2, 3].map(() => account("bench-signin")));
  const lister = await account("bench-list");
  const creator = await account("bench-create");
  const listToken = await backendToken(frontendUrl, lister.cookie);
  const createToken = await backendToken(frontendUrl, creator.cookie);
  await seedTasks(backendUrl, listToken, 50);

  const { rows, hash } = await accountCells(frontendUrl, signInUsers, ips, timing);
  rows.push(...(await taskCells(backendUrl, listToken, createToken, timing)));
  // A sign-in that the bench's own check proves went through (so a broken endpoint cannot look fast).
  const probe = await signIn(frontendUrl, signInUsers[0].email, ips.next());
  if (probe.answer.status !== 200) throw new Error(`sign-in probe answered ${probe.answer.status}: ${probe.answer.body.slice(0, 200)}`);
  return { rows, hash, ratios: hashRatios(rows, hash) };
}

async function startProductionStack(env: Record<string, string>, services: Service[]): Promise<void> {
  const backend = startBackend(env, BENCH_PORTS.backend, { workers: 2, quiet: true });
  const frontend = startFrontend(env, BENCH_PORTS.frontend, { quiet: true });
  services.push(backend, frontend);
  await waitForHttp(`${env.BACKEND_URL}/health`, { timeoutMs: 60_000, service: backend });
  await waitForHttp(`${env.BETTER_AUTH_URL}/sign-in`, { timeoutMs: 90_000, service: frontend });
}

async function signUpThroughFrontend(frontendUrl: string, tag: string, ip: string): Promise<FrontendUser> {
  const email = uniqueEmail(tag);
  const s = await signUp(frontendUrl, email, ip);
  if (s.answer.status !== 200 || !s.cookie) throw new Error(`sign-up answered ${s.answer.status}: ${s.answer.body.slice(0, 200)}`);
  return { email, cookie: s.cookie };
}

async function seedTasks(backendUrl: string, token: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const a = await send({ method: "POST", url: `${backendUrl}/api/tasks`, headers: bearer(token), json: { title: `seed ${i}` } });
    if (a.status !== 201) throw new Error(`seeding tasks: POST /api/tasks answered ${a.status}: ${a.body.slice(0, 200)}`);
  }
}

/**
 * Sign-up and sign-in at each concurrency. The raw hash rate is measured right before each cell, with as
 * many hashes in flight as that cell has requests in flight (up to the libuv pool's 4), so both meet the
 * same machine noise.
 */
async function accountCells(frontendUrl: string, signInUsers: FrontendUser[], ips: ClientAddresses, timing: Timing) {
  const hashBudget = timing === QUICK ? 800 : 1_500;
  const hash: Record<string, HashRate> = {};
  const rows: LoadResult[] = [];
  const authOps: Record<string, (i: number) => HttpRequest> = {
    "sign-up": (i) => ({
      method: "POST",
      url: `${frontendUrl}/api/auth/sign-up/email`,
      headers: { origin: frontendUrl, "x-forwarded-for": ips.at(i) },
      json: { name: "Bench User", email: uniqueEmail("bench-signup"), password: PASSWORD },
    }),
    "sign-in": (i) => ({
      method: "POST",
      url: `${frontendUrl}/api/auth/sign-in/email`,
      headers: { origin: frontendUrl, "x-forwarded-for": ips.at(i) },
      json: { email: signInUsers[i % signInUsers.length].email, password: PASSWORD },
    }),
  };
  for (const [name, request] of Object.entries(authOps)) {
    for (const c of timing.levels) {
      hash[`${name}@${c}`] = await measureHashRate(Math.min(c, 4), hashBudget);
      rows.push(await runLoad({ name, concurrency: c, durationMs: timing.matrixMs, maxRequests: 400, request }));
      ips.skip(1_000);
    }
  }
  return { rows, hash };
}

/** Authenticated task list and create at each concurrency. */
async function taskCells(backendUrl: string, listToken: string, createToken: string, timing: Timing): Promise<LoadResult[]> {
  const taskOps = {
    "task list (auth)": () => ({ url: `${backendUrl}/api/tasks`, headers: bearer(listToken) }),
    "task create (auth)": (i: number) => ({ method: "POST", url: `${backendUrl}/api/tasks`, headers: bearer(createToken), json: { title: `load ${i}` } }),
  };
  const rows: LoadResult[] = [];
  for (const [name, request] of Object.entries(taskOps)) {
    for (const c of timing.levels) {
      rows.push(await runLoad({ name, concurrency: c, durationMs: timing.matrixMs, maxRequests: 20_000, request }));
    }
  }
  return rows;
}

/** Each account cell's throughput over the raw hash rate measured before it. */
function hashRatios(rows: LoadResult[], hash: Record<string, HashRate>): Record<string, number> {
  const ratios: Record<string, number> = {};
  for (const r of rows) {
    const h = hash[`${r.name}@${r.concurrency}`];
    if (h) ratios[`${r.name} c=${r.concurrency}: ${fmt(r.rps, 1)}/s vs raw hash ${fmt(h.perSecond, 1)}/s with ${h.parallel} in flight`] = r.rps / h.perSecond;
  }
  return ratios;
}

export function printMatrix(m: Matrix) {
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
