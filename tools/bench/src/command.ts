// `npm run bench`: bounded, loopback-only measurements in ONE run, printed as tables with the ratios
// that do not depend on the machine's speed:
//   a. backend auth dependency vs a bare HMAC-SHA256 check (auth-micro.ts)
//   b. authenticated GET /api/tasks vs the same route without auth, alternating A/B rounds in one
//      server, at concurrency 16 and 1, plus authenticated create (auth-vs-plain.ts)
//   d. GET /api/me and /api/tasks with 2 ms added to each direction of the database link, and
//      e. revocation lag across two instances with the session cache on (slow-db.ts)
//   c. the load matrix against the production builds: sign-up, sign-in, task list, task create at
//      several concurrencies, and sign-in vs the raw scrypt rate of Better Auth's own hashPassword
//      measured in the same run (load-matrix.ts)
//   h. sign-in p50 at 1,000 vs 200,000 users, alternating rounds, and their ratio (sign-in-scale.ts)
//   i. pages: the Next.js server's CPU and the database statements per render, the dashboard under
//      load, and the time from clicking "Add task" to the task in the list, in Chromium (pages.ts)
// Flags: --skip-build reuses frontend/.next; --quick shortens every phase (a smoke run); --only NAME[,NAME]
// runs only those sections (micro = a, http = b, slow-db = d and e, matrix = c, scale = h, pages = i; default: all);
// --scale-revision REV migrates h's databases only to that Alembic revision (0003: before the email index);
// --pages-compare DIR measures, in i., the frontend built in another checkout DIR beside this one's.
// Results also go to .dev/bench/last.json. docs/benchmarks.md explains each figure.
import fs from "node:fs";
import nodeOs from "node:os";
import path from "node:path";
import { assertPortsFree, buildFrontend, DEV_DIR, FRONTEND_DIR, migrate, type Service, syncPython } from "@authbridge/harness";
import { authMicroBench, printMicro } from "./auth-micro.ts";
import { authVsUnauthenticated, printHttp } from "./auth-vs-plain.ts";
import { BENCH_PORTS, type BenchWorld, prepareBenchWorld } from "./bench-env.ts";
import { loadMatrix, printMatrix } from "./load-matrix.ts";
import { pagesBench } from "./pages.ts";
import { printPages } from "./pages-report.ts";
import { printScale, signInScale } from "./sign-in-scale.ts";
import { printSlowDb, slowDatabase } from "./slow-db.ts";
import { FULL, QUICK, type Timing } from "./timing.ts";

const SECTIONS = ["micro", "http", "slow-db", "matrix", "scale", "pages"] as const;
type Section = (typeof SECTIONS)[number];

/** The value after `flag` (`--flag value` or `--flag=value`), if given. */
function flagValue(args: string[], flag: string): string | undefined {
  const i = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return undefined;
  const value = args[i].includes("=") ? args[i].slice(flag.length + 1) : args[i + 1];
  if (!value || value.startsWith("--")) throw new Error(`${flag} needs a value`);
  return value;
}

/** The sections --only names (all when absent); an unknown name is an error, not an empty run. */
function selectedSections(args: string[]): Set<Section> {
  const only = flagValue(args, "--only");
  if (only === undefined) return new Set(SECTIONS);
  const names = only.split(",").map((n) => n.trim());
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`--only: unknown section ${unknown.join(", ")} (sections: ${SECTIONS.join(", ")})`);
  return new Set(names as Section[]);
}

/** Each selected section in its order, printed as it ends; the raw figures by section. */
async function measureSections(sections: Set<Section>, world: BenchWorld, timing: Timing, services: Service[], args: string[], scaleRevision: string): Promise<Record<string, unknown>> {
  const { env } = world;
  const results: Record<string, unknown> = {};
  if (sections.has("micro")) {
    const micro = authMicroBench(env, timing);
    printMicro(micro);
    results.micro = micro;
  }
  if (sections.has("http")) {
    const http = await authVsUnauthenticated(env, timing, services);
    printHttp(http, timing);
    results.http = http;
  }
  if (sections.has("slow-db")) {
    const slowDb = await slowDatabase(env, timing, services);
    printSlowDb(slowDb, timing);
    results.slowDb = slowDb;
  }
  if (sections.has("matrix") || sections.has("scale") || sections.has("pages")) {
    if (!args.includes("--skip-build") || !fs.existsSync(path.join(FRONTEND_DIR, ".next", "BUILD_ID"))) {
      console.log("\n[bench] next build (production)…");
      buildFrontend(env);
    }
  }
  if (sections.has("matrix")) {
    const matrix = await loadMatrix(env, timing, services);
    printMatrix(matrix);
    results.matrix = matrix;
  }
  if (sections.has("scale")) {
    const scale = await signInScale(world, timing, services, scaleRevision);
    printScale(scale);
    results.scale = scale;
  }
  if (sections.has("pages")) {
    const pages = await pagesBench(world, timing, services, flagValue(args, "--pages-compare"));
    printPages(pages);
    results.pages = pages;
  }
  return results;
}

export async function benchCommand(args: string[] = []): Promise<number> {
  const timing = args.includes("--quick") ? QUICK : FULL;
  const sections = selectedSections(args);
  const scaleRevision = flagValue(args, "--scale-revision") ?? "head";
  const t0 = performance.now();
  const date = new Date().toISOString();
  const cpus = nodeOs.availableParallelism();
  console.log(`bench: ${date}, ${cpus} CPU(s), node ${process.version}, loopback only, sections: ${[...sections].join(", ")}`);
  await assertPortsFree(Object.values(BENCH_PORTS));
  syncPython();
  const world = await prepareBenchWorld();
  const { env } = world;
  const services: Service[] = [];
  try {
    migrate(env);
    const results = await measureSections(sections, world, timing, services, args, scaleRevision);

    const seconds = (performance.now() - t0) / 1000;
    const out = path.join(DEV_DIR, "bench", "last.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ date, cpus, node: process.version, timing, sections: [...sections], ...results, seconds }, null, 2));
    console.log(`\nbench: done in ${seconds.toFixed(0)} s (raw figures in ${path.relative(process.cwd(), out)})`);
    return 0;
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    if (world.startedCluster) world.cluster.stop();
  }
}
