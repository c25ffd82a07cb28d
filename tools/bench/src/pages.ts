// i. What pages cost to serve, on production builds (next start; uvicorn with 2 workers): the
// dashboard of a user with a full page of tasks (20), the signed-out pages and the /settings
// redirect. Per render: the Next.js server's CPU time (/proc, over N sequential renders), the SQL
// statements the database received (PostgreSQL's log, `log_statement = 'all'` on the bench database
// only), and latency; the dashboard also under load at concurrency 1 and 8; and the time from
// clicking "Add task" to the task in the list, in Chromium (add-latency.ts).
// `--pages-compare DIR` measures the frontend built in another checkout (DIR, e.g. a git worktree of
// the commit before a change, with its own `next build`) beside this one's, in the same run, against
// the same backend and database: the before and after of docs/benchmarks.md "i. Pages".
import path from "node:path";
import { backendToken, bearer, clientIp, FRONTEND_DIR, type HttpAnswer, type LoadResult, type LocalPostgres, percentile, runLoad, send, type Service, signUp, startBackend, startService, uniqueEmail, waitForHttp } from "@authbridge/harness";
import { type AddLatency, addTaskLatency } from "./add-latency.ts";
import { BENCH_PORTS } from "./bench-env.ts";
import { countStatements, logStatements, type StatementCount, treeCpuMs } from "./server-cost.ts";
import { QUICK, type Timing } from "./timing.ts";

const TASKS = 20; // one full dashboard page

interface RenderCost {
  page: string;
  status: number;
  renders: number;
  /** Next.js server CPU per render, ms. */
  cpuMs: number;
  p50: number;
  p99: number;
}

export interface PagesSide {
  label: string;
  frontendDir: string;
  statements: StatementCount & { renders: number; perRender: number };
  costs: RenderCost[];
  load: LoadResult[];
  add?: AddLatency;
}

interface PageRequest {
  page: string;
  url: string;
  cookie?: string;
  /** The status a correct answer has (a redirect is correct for /settings). */
  status: number;
  /** Text a correct answer contains (a broken page must not look fast). */
  contains?: string;
}

interface Frontend {
  label: string;
  dir: string;
  base: string;
  service: Service;
}

const html = (r: PageRequest) => ({ url: r.url, headers: { accept: "text/html", ...(r.cookie ? { cookie: r.cookie } : {}) } });

function check(r: PageRequest, a: HttpAnswer): void {
  if (a.status !== r.status || (r.contains && !a.body.includes(r.contains))) {
    throw new Error(`${r.page} answered ${a.status} (expected ${r.status}${r.contains ? ` with "${r.contains}"` : ""}): ${a.body.slice(0, 200)}`);
  }
}

/**
 * `n` sequential renders of one page: the server's CPU over all of them, per render, and their
 * latency. After n/4 renders of warm-up: a fresh server's first hundred renders of a page still run
 * code V8 has not optimised yet, and would count that, not the page.
 */
async function renderCost(r: PageRequest, n: number, serverPid: number): Promise<RenderCost> {
  for (let i = 0; i < n / 4; i++) check(r, await send(html(r)));
  const latencies: number[] = [];
  const cpu0 = treeCpuMs(serverPid);
  for (let i = 0; i < n; i++) {
    const a = await send(html(r));
    check(r, a);
    latencies.push(a.ms);
  }
  const cpuMs = (treeCpuMs(serverPid) - cpu0) / n;
  latencies.sort((x, y) => x - y);
  return { page: r.page, status: r.status, renders: n, cpuMs, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** `next start` of the build in `frontendDir` (as stack.ts's startFrontend, from any checkout). */
function startFrontendIn(env: Record<string, string>, frontendDir: string, port: number, name: string): Service {
  return startService(name, "npm", ["run", "start"], { cwd: frontendDir, env: { ...env, PORT: String(port), NODE_ENV: "production" }, quiet: true });
}

async function startPagesStack(env: Record<string, string>, services: Service[], compareDir?: string) {
  const backendUrl = `http://localhost:${BENCH_PORTS.pagesBackend}`;
  const backend = startBackend({ ...env, BACKEND_URL: backendUrl }, BENCH_PORTS.pagesBackend, { workers: 2, quiet: true, name: "pages-backend" });
  services.push(backend);
  const sides: { label: string; dir: string; port: number }[] = [
    ...(compareDir ? [{ label: `before (${compareDir})`, dir: path.join(path.resolve(compareDir), "frontend"), port: BENCH_PORTS.pagesFrontendBefore }] : []),
    { label: compareDir ? "after (this checkout)" : "this checkout", dir: FRONTEND_DIR, port: BENCH_PORTS.pagesFrontend },
  ];
  const frontends: Frontend[] = sides.map((s) => {
    const base = `http://localhost:${s.port}`;
    const service = startFrontendIn({ ...env, BETTER_AUTH_URL: base, BACKEND_URL: backendUrl }, s.dir, s.port, `pages-frontend-${s.port}`);
    services.push(service);
    return { label: s.label, dir: s.dir, base, service };
  });
  await waitForHttp(`${backendUrl}/health`, { timeoutMs: 60_000, service: backend });
  for (const f of frontends) await waitForHttp(`${f.base}/sign-in`, { timeoutMs: 90_000, service: f.service });
  return { backendUrl, frontends };
}

/** A user with a full page of tasks, signed up through `base`; the session cookie works on every frontend (one database, one secret). */
async function pageUser(base: string, backendUrl: string): Promise<string> {
  const s = await signUp(base, uniqueEmail("bench-pages"), clientIp(60_000), undefined, "Page Bench");
  if (s.answer.status !== 200 || !s.cookie) throw new Error(`sign-up answered ${s.answer.status}: ${s.answer.body.slice(0, 200)}`);
  const token = await backendToken(base, s.cookie);
  for (let i = 0; i < TASKS; i++) {
    const a = await send({ method: "POST", url: `${backendUrl}/api/tasks`, headers: bearer(token), json: { title: `Page task ${i}` } });
    if (a.status !== 201) throw new Error(`seeding tasks: ${a.status} ${a.body.slice(0, 200)}`);
  }
  return s.cookie;
}

async function measureSide(f: Frontend, cookie: string, logFile: string, timing: Timing): Promise<PagesSide> {
  console.log(`[bench] i. ${f.label}…`);
  const dashboard: PageRequest = { page: "/dashboard (signed in, 20 tasks)", url: `${f.base}/dashboard`, cookie, status: 200, contains: "Page task 0" };
  for (let i = 0; i < 10; i++) check(dashboard, await send(html(dashboard))); // warm: compiled paths, cached session
  const renders = 20;
  const counted = await countStatements(logFile, async () => {
    for (let i = 0; i < renders; i++) check(dashboard, await send(html(dashboard)));
  });
  const n = timing === QUICK ? 60 : 200;
  const pid = f.service.child.pid!;
  const costs = [
    await renderCost(dashboard, n, pid),
    await renderCost({ page: "/sign-in (signed out)", url: `${f.base}/sign-in`, status: 200, contains: "Sign in" }, n, pid),
    await renderCost({ page: "/ (signed out)", url: `${f.base}/`, status: 200 }, n, pid),
    await renderCost({ page: "/settings (signed in)", url: `${f.base}/settings`, cookie, status: 307 }, n, pid),
  ];
  const load: LoadResult[] = [];
  for (const c of [1, 8]) {
    load.push(await runLoad({ name: "dashboard", concurrency: c, durationMs: timing.matrixMs, maxRequests: 5_000, request: () => html(dashboard) }));
  }
  return { label: f.label, frontendDir: f.dir, statements: { ...counted, renders, perRender: counted.total / renders }, costs, load };
}

export async function pagesBench(world: { env: Record<string, string>; cluster: LocalPostgres }, timing: Timing, services: Service[], compareDir?: string): Promise<PagesSide[]> {
  console.log("\n[bench] i. pages: server CPU and statements per render, dashboard load, add-task latency in Chromium…");
  const database = decodeURIComponent(new URL(world.env.DATABASE_URL).pathname.slice(1));
  await logStatements(world.cluster, database, true); // before the services open their connections
  try {
    const { backendUrl, frontends } = await startPagesStack(world.env, services, compareDir);
    const cookie = await pageUser(frontends[0].base, backendUrl);
    const sides: PagesSide[] = [];
    for (const f of frontends) sides.push(await measureSide(f, cookie, world.cluster.logFile, timing));
    // Last: each timed add grows the list the renders above measured.
    for (const [i, f] of frontends.entries()) {
      try {
        sides[i].add = await addTaskLatency(f.base, cookie, timing === QUICK ? 5 : 9);
      } catch (err) {
        console.error(`[bench] i. ${f.label}: the timed adds failed: ${(err as Error).message}`); // the rest still prints
      }
    }
    return sides;
  } finally {
    await logStatements(world.cluster, database, false);
  }
}
