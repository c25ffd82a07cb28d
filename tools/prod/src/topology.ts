// The production topology on one machine: Caddy (HTTPS, HSTS, trusted client-address header,
// request ids, health checks, load balancing) in front of two frontend instances (the Next.js
// standalone server) and two backend instances (uvicorn), on the local TLS PostgreSQL directly or
// through a transaction-mode PgBouncer. The release step (migrations on the direct URL) runs once,
// before any instance starts. Every start command comes from deploy/services.json (manifest.ts).
// `npm run prod` and the production fault scenarios (tools/faults/src/prod-*.ts) both build on it.
import fs from "node:fs";
import path from "node:path";
import { BACKEND_DIR, buildFrontend, DATA_DIR, DEV_DIR, FRONTEND_DIR, ROOT, run, type Service, startService, syncPython, type TlsFiles, UV_ENV } from "@authbridge/harness";
import { Caddy, TRUSTED_IP_HEADER } from "./caddy.ts";
import { DIRECT_URL_ENV, type ServiceName, type ServiceSpec, serviceSpec } from "./manifest.ts";
import { PgBouncer } from "./pgbouncer.ts";

export interface ProdPorts {
  public: number;
  /** The proxy's loopback listener for the frontends' calls to the backends. */
  internal: number;
  /** Caddy's admin API (reloads). */
  admin: number;
  frontends: number[];
  backends: number[];
  pooler: number;
}

export const PROD_PORTS: ProdPorts = { public: 8443, internal: 8480, admin: 2419, frontends: [3401, 3402], backends: [8401, 8402], pooler: 6433 };

export interface TopologyOptions {
  /** Folder name for the generated configuration (.dev/<name>/) and the pooler (.data/<name>-pgbouncer/). */
  name: string;
  ports: ProdPorts;
  /** Both services' configuration. DATABASE_URL is the direct URL of the application database. */
  env: Record<string, string>;
  tls: TlsFiles;
  /** Put PgBouncer (transaction mode) between the instances and PostgreSQL. */
  pooler: boolean;
  /** A pooled URL of your own (Neon's `-pooler` host) for the instances; DATABASE_URL stays the direct one. */
  pooledUrl?: string;
  /** uvicorn worker processes per backend instance. */
  workers: number;
  quiet?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `paths` on `base` until one answers 200; returns that path. Bounded; stops early if the process exits. */
async function waitReady(base: string, paths: string[], service: Service, timeoutMs = 90_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(`${service.name} exited (${service.child.exitCode ?? service.child.signalCode}) before it was ready`);
    }
    for (const p of paths) {
      try {
        const res = await fetch(base + p, { signal: AbortSignal.timeout(3_000), redirect: "manual" });
        if (res.status === 200) return p;
        last = `${p}: HTTP ${res.status}`;
      } catch (err) {
        last = `${p}: ${(err as Error).message}`;
      }
    }
    await sleep(200);
  }
  throw new Error(`${service.name} was not ready at ${base} within ${timeoutMs / 1000}s (last: ${last})`);
}

/** The argv and folder that start `name` here: the manifest's command with its runtime resolved locally. */
function localCommand(name: ServiceName, spec: ServiceSpec): { cmd: string; args: string[]; cwd: string; note?: string } {
  const [bin, ...args] = spec.command;
  const cwd = path.join(ROOT, spec.workdir);
  if (spec.runtime === "python") {
    // The image's python is the project's virtualenv here (uv sync made it).
    const venvBin = path.join(BACKEND_DIR, ".venv", "bin", bin);
    return { cmd: fs.existsSync(venvBin) ? venvBin : bin, args, cwd };
  }
  if (fs.existsSync(path.join(cwd, args[0] ?? ""))) return { cmd: bin === "node" ? process.execPath : bin, args, cwd };
  if (fs.existsSync(path.join(cwd, "server.js"))) return { cmd: process.execPath, args: ["server.js"], cwd };
  // No standalone output (next.config.ts without output: "standalone"): the same build through next start.
  return { cmd: "npm", args: ["run", "start"], cwd: FRONTEND_DIR, note: `no ${spec.workdir}/${args[0]}: next start instead` };
}

/** One running instance of a service, restartable and killable by the scenarios. */
class Instance {
  service: Service | null = null;
  /** The path that answered readiness (the proxy health-checks it). */
  healthPath: string;
  /** Log lines naming the task API since the last start: which instance served (the scenarios count them). */
  taskLines = 0;

  constructor(
    readonly kind: "frontend" | "backend",
    readonly name: string,
    readonly port: number,
    private readonly spec: ServiceSpec,
    private readonly env: Record<string, string>,
    private readonly quiet: boolean,
  ) {
    this.healthPath = spec.health.ready;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const c = localCommand(this.kind, this.spec);
    if (c.note && !this.quiet) console.log(`[prod] ${this.name}: ${c.note}`);
    const listen = { [this.spec.portEnv]: String(this.port), [this.spec.hostEnv]: "127.0.0.1" };
    // The backend's own names too, for a checkout whose backend predates PORT/HOST.
    const legacy = this.kind === "backend" ? { BACKEND_PORT: String(this.port), BACKEND_HOST: "127.0.0.1" } : { HOSTNAME: "127.0.0.1" };
    this.service = startService(this.name, c.cmd, c.args, { cwd: c.cwd, env: { ...this.env, ...legacy, ...listen }, quiet: this.quiet });
    this.taskLines = 0;
    for (const stream of [this.service.child.stdout, this.service.child.stderr]) {
      stream?.on("data", (chunk: Buffer) => (this.taskLines += chunk.toString().split("/api/tasks").length - 1));
    }
    this.healthPath = await waitReady(this.url, [this.spec.health.ready], this.service);
  }

  async stop(): Promise<void> {
    await this.service?.stop();
    this.service = null;
  }

  /** SIGKILL to the whole process group (uvicorn's workers too): a crash, nothing finishes. */
  async kill(): Promise<void> {
    const s = this.service;
    if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
    try {
      process.kill(-s.child.pid!, "SIGKILL");
    } catch {
      /* already gone */
    }
    await s.exited;
    this.service = null;
  }
}

export interface Topology {
  publicUrl: string;
  /** BACKEND_URL of the frontends: the proxy's loopback listener. */
  internalUrl: string;
  /** The URL the instances use at run time (PgBouncer's when pooled) and the direct one. */
  runtimeDatabaseUrl: string;
  directDatabaseUrl: string;
  frontends: Instance[];
  backends: Instance[];
  proxy: Caddy;
  pooler: PgBouncer | null;
  frontendEnv: Record<string, string>;
  backendEnv: Record<string, string>;
  /** Takes an instance out of the proxy (graceful reload), stops it, starts it, puts it back. */
  restart(i: Instance): Promise<void>;
  stop(): Promise<void>;
}

/** The build a fresh clone needs: the backend's virtualenv and the frontend's standalone server (its build script completes it). */
export function buildForProduction(env: Record<string, string>): void {
  syncPython();
  buildFrontend(env);
}

/** The release step: migrations once, on the direct URL, before any instance starts. */
function releaseStep(env: Record<string, string>, directUrl: string): void {
  const spec = serviceSpec("migrate");
  const c = localCommand("migrate", spec);
  const status = run(c.cmd, c.args, { cwd: c.cwd, env: { ...UV_ENV, ...env, DATABASE_URL: directUrl, [DIRECT_URL_ENV]: directUrl }, timeoutMs: 180_000 });
  if (status !== 0) throw new Error(`release step failed: ${spec.command.join(" ")} on the direct database URL`);
}

/** Each service's environment in the topology (its production settings from services.json) and the two origins. */
function instanceEnvs(o: TopologyOptions, runtimeUrl: string, directUrl: string) {
  const publicUrl = `https://localhost:${o.ports.public}`;
  const internalUrl = `http://127.0.0.1:${o.ports.internal}`;
  const shared = { ...o.env, DATABASE_URL: runtimeUrl, [DIRECT_URL_ENV]: directUrl, BETTER_AUTH_URL: publicUrl };
  const backendEnv = {
    ...shared,
    ...UV_ENV,
    ...serviceSpec("backend").production,
    DATABASE_POOLED: runtimeUrl !== directUrl ? "true" : "false",
    BACKEND_WORKERS: String(o.workers),
  };
  const frontendEnv = {
    ...shared,
    ...serviceSpec("frontend").production,
    NODE_ENV: "production",
    BACKEND_URL: internalUrl,
    AUTH_TRUSTED_IP_HEADER: TRUSTED_IP_HEADER,
  };
  return { publicUrl, internalUrl, backendEnv, frontendEnv };
}

/** The proxy in front of the instances, health-checking each on its liveness path. */
function proxyOf(o: TopologyOptions, dir: string, frontends: Instance[], backends: Instance[]): Caddy {
  return new Caddy({
    dir,
    publicPort: o.ports.public,
    internalPort: o.ports.internal,
    adminPort: o.ports.admin,
    tls: o.tls,
    // Liveness, not readiness: with the database down every instance would fail readiness, and the
    // proxy's bare 503 would replace the services' own answer (503 DATABASE_UNAVAILABLE + Retry-After).
    frontends: frontends.map((f) => ({ port: f.port, health: serviceSpec("frontend").health.live })),
    backends: backends.map((b) => ({ port: b.port, health: serviceSpec("backend").health.live })),
  });
}

export async function startTopology(o: TopologyOptions): Promise<Topology> {
  const quiet = Boolean(o.quiet);
  const directUrl = o.env.DATABASE_URL;
  const proxyDir = path.join(DEV_DIR, o.name, "caddy");
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const s of started.reverse()) await s.stop();
  };
  try {
    let pooler: PgBouncer | null = null;
    if (o.pooler) {
      pooler = new PgBouncer({ dir: path.join(DATA_DIR, `${o.name}-pgbouncer`), port: o.ports.pooler, directUrl, tls: o.tls });
      pooler.start({ quiet });
      started.push(pooler);
    }
    releaseStep(o.env, directUrl);
    const runtimeUrl = pooler?.url ?? o.pooledUrl ?? directUrl;
    const { publicUrl, internalUrl, backendEnv, frontendEnv } = instanceEnvs(o, runtimeUrl, directUrl);
    const backendSpec = serviceSpec("backend");
    const frontendSpec = serviceSpec("frontend");
    const backends = o.ports.backends.map((p, i) => new Instance("backend", `backend-${i + 1}`, p, backendSpec, backendEnv, quiet));
    const frontends = o.ports.frontends.map((p, i) => new Instance("frontend", `frontend-${i + 1}`, p, frontendSpec, frontendEnv, quiet));
    for (const i of [...backends, ...frontends]) started.push(i);
    await Promise.all(backends.map((b) => b.start()));
    await Promise.all(frontends.map((f) => f.start()));

    const proxy = proxyOf(o, proxyDir, frontends, backends);
    await proxy.start({ quiet });
    started.push(proxy);

    const restart = async (i: Instance) => {
      proxy.reload(new Set([i.port]));
      // A drain period, as a platform gives one before SIGTERM: requests already on their way to it finish. Not an
      // event to wait for: Caddy's admin API (/reverse_proxy/upstreams) drops a removed upstream at once, with its
      // requests still in flight (checked with Caddy 2.6.2), so nothing says when the last one is done.
      await sleep(500);
      await i.stop();
      await i.start();
      proxy.reload();
    };
    return {
      publicUrl,
      internalUrl,
      runtimeDatabaseUrl: runtimeUrl,
      directDatabaseUrl: directUrl,
      frontends,
      backends,
      proxy,
      pooler,
      frontendEnv,
      backendEnv,
      restart,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
