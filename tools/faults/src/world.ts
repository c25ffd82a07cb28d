// The fault scenarios' own world: a DEDICATED local TLS PostgreSQL cluster (.data/postgres-faults,
// port 5436) that the outage scenario may kill and restart without touching the dev/test server, a fresh
// database on it, the production frontend (next start) and TWO backend instances on their own ports.
import fs from "node:fs";
import path from "node:path";
import { assertPortsFree, buildFrontend, ensureDevTls, freshDatabaseEnv, FRONTEND_DIR, LocalPostgres, migrate, type Service, startBackend, startFrontend, waitForHttp } from "@authbridge/harness";

// backendTtl and backendOff: the instances of session-modes.ts, started by that scenario only.
export const FAULT_PORTS = { postgres: 5436, frontend: 3300, backendA: 8300, backendB: 8301, backendTtl: 8302, backendOff: 8303 } as const;

export interface FaultWorld {
  env: Record<string, string>;
  cluster: LocalPostgres;
  frontendUrl: string;
  backendA: string;
  backendB: string;
  stop(): Promise<void>;
}

/** True when frontend/.next is missing or older than any source file of the frontend. */
function frontendBuildIsStale(): boolean {
  const buildId = path.join(FRONTEND_DIR, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  const newer = (p: string): boolean => {
    const st = fs.statSync(p);
    if (st.isDirectory()) return fs.readdirSync(p).some((f) => newer(path.join(p, f)));
    return st.mtimeMs > built;
  };
  const sources = ["src", "next.config.ts", "package.json"].map((p) => path.join(FRONTEND_DIR, p)).filter((p) => fs.existsSync(p));
  return sources.some(newer);
}

export async function startFaultWorld(opts: { build: "always" | "if-stale"; log?: boolean }): Promise<FaultWorld> {
  await assertPortsFree([FAULT_PORTS.frontend, FAULT_PORTS.backendA, FAULT_PORTS.backendB]);
  const tls = await ensureDevTls();
  const cluster = new LocalPostgres({ name: "postgres-faults", port: FAULT_PORTS.postgres, tls });
  cluster.start();
  const env = {
    ...(await freshDatabaseEnv(cluster, tls.caCert, "authbridge_faults", { frontend: FAULT_PORTS.frontend, backend: FAULT_PORTS.backendA })),
    // Each simulated client names its address in X-Forwarded-For, as clients behind a proxy would appear;
    // the default limits stay on (the rate-limit scenario measures them).
    AUTH_TRUSTED_IP_HEADER: "x-forwarded-for",
  };
  migrate(env);
  if (opts.build === "always" || frontendBuildIsStale()) {
    console.log("[faults] next build (production)…");
    buildFrontend(env);
  }
  const quiet = !opts.log;
  const services: Service[] = [
    startBackend(env, FAULT_PORTS.backendA, { quiet, name: "backend-a" }),
    startBackend(env, FAULT_PORTS.backendB, { quiet, name: "backend-b" }),
    startFrontend(env, FAULT_PORTS.frontend, { quiet }),
  ];
  const stop = async () => {
    await Promise.all(services.map((s) => s.stop()));
    cluster.stop(); // dedicated to these scenarios: never left running
  };
  const world: FaultWorld = {
    env,
    cluster,
    frontendUrl: `http://localhost:${FAULT_PORTS.frontend}`,
    backendA: `http://localhost:${FAULT_PORTS.backendA}`,
    backendB: `http://localhost:${FAULT_PORTS.backendB}`,
    stop,
  };
  try {
    await waitForHttp(`${world.backendA}/health`, { timeoutMs: 60_000, service: services[0] });
    await waitForHttp(`${world.backendB}/health`, { timeoutMs: 60_000, service: services[1] });
    await waitForHttp(`${world.frontendUrl}/sign-in`, { timeoutMs: 90_000, service: services[2] });
  } catch (err) {
    await stop();
    throw err;
  }
  return world;
}

/** The postmaster's pid (first line of postmaster.pid), or null when the server is not running. */
function postmasterPid(cluster: LocalPostgres): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(cluster.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    if (!pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * Takes the database away like a crash: SIGQUIT to the postmaster (PostgreSQL's immediate shutdown, every
 * connection dropped, crash recovery on the next start). Non-blocking, so the traffic keeps running.
 * Resolves once the server process is gone (bounded).
 */
export async function crashDatabase(cluster: LocalPostgres, timeoutMs = 15_000): Promise<void> {
  const pid = postmasterPid(cluster);
  if (pid === null) throw new Error("the faults database is not running");
  process.kill(pid, "SIGQUIT");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`PostgreSQL (pid ${pid}) did not stop within ${timeoutMs / 1000} s`);
}
