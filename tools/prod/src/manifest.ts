// How each service starts in production, read from deploy/services.json: the one source that
// `npm run prod`, the Dockerfiles and the compose file share (deploy/README.md describes its shape).
// Without that file (an older checkout) the same commands serve as defaults.
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "@authbridge/harness";

export type ServiceName = "migrate" | "frontend" | "backend";

export interface ServiceSpec {
  /** argv of the start command, run in `workdir`. */
  command: string[];
  /** Working directory, relative to the repository root. */
  workdir: string;
  runtime: "python" | "node";
  /** Names of the variables that carry the listening port and address. */
  portEnv: string;
  hostEnv: string;
  /** Liveness (process answers) and readiness (can serve) paths. */
  health: { live: string; ready: string };
  /** Variables the service refuses to start without. */
  required: string[];
  /** Settings every production instance gets (NODE_ENV, LOG_FORMAT, …). */
  production: Record<string, string>;
}

const MANIFEST = path.join(ROOT, "deploy", "services.json");
/** The direct (non-pooled) database URL: migrations and the backend's LISTEN use it (Neon's name for it). */
export const DIRECT_URL_ENV = "DATABASE_URL_UNPOOLED";

const web = { portEnv: "PORT", hostEnv: "HOST", health: { live: "/health/live", ready: "/health" } };
const DEFAULTS: Record<ServiceName, ServiceSpec> = {
  migrate: { ...web, command: ["alembic", "upgrade", "head"], workdir: "backend", runtime: "python", required: ["BETTER_AUTH_SECRET", "DATABASE_URL"], production: {} },
  backend: { ...web, command: ["python", "-m", "app"], workdir: "backend", runtime: "python", required: ["BETTER_AUTH_SECRET", "DATABASE_URL", "BETTER_AUTH_URL"], production: {} },
  frontend: {
    ...web,
    command: ["node", "server.js"],
    workdir: "frontend/.next/standalone/frontend",
    runtime: "node",
    required: ["BETTER_AUTH_SECRET", "DATABASE_URL", "BETTER_AUTH_URL", "BACKEND_URL"],
    production: { NODE_ENV: "production" },
  },
};

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
const text = (v: unknown, fallback: string) => (typeof v === "string" && v ? v : fallback);

/** One service's spec from deploy/services.json (each missing field from the defaults). */
export function serviceSpec(name: ServiceName, file = MANIFEST): ServiceSpec {
  const base = DEFAULTS[name];
  if (!fs.existsSync(file)) return base;
  const all = JSON.parse(fs.readFileSync(file, "utf8")) as { services?: Record<string, Record<string, unknown>> };
  const raw = all.services?.[name];
  if (!raw) return base;
  const listen = (raw.listen ?? {}) as Record<string, unknown>;
  const health = (raw.health ?? {}) as Record<string, unknown>;
  const env = (raw.env ?? {}) as Record<string, unknown>;
  return {
    command: strings(raw.command) ? raw.command : base.command,
    workdir: text(raw.workdir, base.workdir),
    runtime: raw.runtime === "node" || raw.runtime === "python" ? raw.runtime : base.runtime,
    portEnv: text(listen.portEnv, base.portEnv),
    hostEnv: text(listen.hostEnv, base.hostEnv),
    health: { live: text(health.live, base.health.live), ready: text(health.ready, base.health.ready) },
    required: strings(env.required) ? env.required : base.required,
    production: { ...base.production, ...((env.production ?? {}) as Record<string, string>) },
  };
}
