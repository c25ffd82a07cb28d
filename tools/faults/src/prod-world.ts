// The production scenarios' world: the topology of `npm run prod` (tools/prod/src/topology.ts) on the
// fault scenarios' own crashable cluster (.data/postgres-faults, :5436) with a fresh database, on
// ports of its own, directly or through PgBouncer, or over a link that adds a delay per round trip.
// The throttle keeps its default limits: every simulated user connects from its own loopback address.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { appDb, assertPortsFree, BACKEND_DIR, buildFrontend, ensureCaddy, ensureDevTls, ensurePgBouncer, freshDatabaseEnv, FRONTEND_DIR, LocalPostgres, TlsClient, waitForHttp } from "@authbridge/harness";
import { type ProdPorts, startTopology, type Topology } from "@authbridge/prod";
import { FAULT_PORTS } from "./world.ts";

const PROD_FAULT_PORTS: ProdPorts = { public: 9443, internal: 9480, admin: 2519, frontends: [3501, 3502], backends: [8501, 8502], pooler: 6533 };
/** The delayed database link's own port (backend/scripts/db_delay_proxy.py). */
const DELAY_PROXY_PORT = 5446;

export interface ProdWorld {
  topology: Topology;
  client: TlsClient;
  cluster: LocalPostgres;
  env: Record<string, string>;
  /** Application-database client on the direct URL (to read what was stored). */
  db(): Promise<pg.Client>;
  stop(): Promise<void>;
}

export interface ProdWorldOptions {
  pooler: boolean;
  /** Milliseconds added to each direction of the database link (0: none). */
  delayMs?: number;
  /** Settings on top of the world's (e.g. the browser tests' mail and limits). */
  extraEnv?: Record<string, string>;
  log?: boolean;
}

/** No production build yet (the fault world before these scenarios rebuilds a stale one). */
const noBuild = () => !fs.existsSync(path.join(FRONTEND_DIR, ".next", "BUILD_ID"));

/** Starts the delay proxy in front of `targetPort`; resolves once it listens. */
async function startDelayProxy(targetPort: number, delayMs: number): Promise<{ stop(): Promise<void> }> {
  const child = spawn(path.join(BACKEND_DIR, ".venv", "bin", "python"), [
    "scripts/db_delay_proxy.py", "--listen-port", String(DELAY_PROXY_PORT), "--target-port", String(targetPort), "--delay-ms", String(delayMs),
  ], { cwd: BACKEND_DIR, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the database delay proxy did not start within 10 s")), 10_000);
    child.stdout!.once("data", () => (clearTimeout(timer), resolve()));
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`the database delay proxy exited (${code})`))));
  });
  return {
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export async function startProdWorld(o: ProdWorldOptions): Promise<ProdWorld> {
  const p = PROD_FAULT_PORTS;
  await assertPortsFree([p.public, p.internal, p.admin, ...p.frontends, ...p.backends, ...(o.pooler ? [p.pooler] : []), ...(o.delayMs ? [DELAY_PROXY_PORT] : [])]);
  ensureCaddy();
  if (o.pooler) ensurePgBouncer();
  const tls = await ensureDevTls();
  const cluster = new LocalPostgres({ name: "postgres-faults", port: FAULT_PORTS.postgres, tls });
  const startedCluster = cluster.start();
  const base = await freshDatabaseEnv(cluster, tls.caCert, "authbridge_prod_faults", { frontend: p.frontends[0], backend: p.backends[0] });
  if (noBuild()) {
    console.log("[faults] next build (production)…");
    buildFrontend(base);
  }
  const delay = o.delayMs ? await startDelayProxy(cluster.port, o.delayMs) : null;
  const env = { ...base, ...o.extraEnv };
  if (delay) {
    const u = new URL(env.DATABASE_URL);
    u.port = String(DELAY_PROXY_PORT);
    env.DATABASE_URL = u.toString();
  }
  const stopOthers = async () => {
    await delay?.stop();
    if (startedCluster) cluster.stop();
  };
  let topology: Topology;
  try {
    topology = await startTopology({ name: "prod-faults", ports: p, env, tls, pooler: o.pooler, workers: 1, quiet: !o.log });
    await waitForHttp(`${topology.internalUrl}/health`, { timeoutMs: 20_000 });
  } catch (err) {
    await stopOthers();
    throw err;
  }
  const client = new TlsClient(tls.caCert);
  return {
    topology,
    client,
    cluster,
    env,
    db: () => appDb({ ...env, DATABASE_URL: base.DATABASE_URL }),
    stop: async () => {
      client.close();
      await topology.stop();
      await stopOthers();
    },
  };
}
