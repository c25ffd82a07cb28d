// `npm run doctor`'s production checks: the database URL pair (always; Neon's pair too), the
// frontends' BACKEND_URL case, and, while `npm run prod` runs, the topology it recorded in
// .dev/prod/topology.json: the public origin (HTTPS verified against the local CA, HSTS), every
// instance's health directly and through the proxy, the same secret in every instance (each backend
// is asked to judge a token signed with the .env secret), and the trusted address header in the
// proxy's live configuration.
import fs from "node:fs";
import path from "node:path";
import { keyCheckValue } from "../../../frontend/src/config/key-check-value.ts";
import { DEV_DIR, mintToken, TlsClient } from "@authbridge/harness";
import { HSTS, TRUSTED_IP_HEADER } from "./caddy.ts";
import { DIRECT_URL_ENV } from "./manifest.ts";

export type Outcome = "pass" | "fail" | "skip" | "warn";
export type AddCheck = (name: string, outcome: Outcome, detail: string) => void;

export const TOPOLOGY_STATE = path.join(DEV_DIR, "prod", "topology.json");

export interface TopologyState {
  publicUrl: string;
  adminUrl: string;
  caCert: string;
  /** BACKEND_URL as the frontends got it. */
  backendUrl: string;
  trustedIpHeader: string;
  instances: { name: string; kind: "frontend" | "backend"; url: string; health: string; secretKcv: string }[];
  database: { runtime: string; direct: string; pooled: boolean };
}

/** A URL without its password (what the state file keeps). */
export const withoutPassword = (url: string): string => {
  try {
    const u = new URL(url);
    u.password = "";
    return u.toString();
  } catch {
    return "";
  }
};

/** host:port of a database URL, never its password. */
const where = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "(not a URL)";
  }
};

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Which rule lets the frontends call BACKEND_URL with 30-day tokens (docs/operations.md). */
export function backendUrlCase(backendUrl: string, internalHosts: string): { ok: boolean; detail: string } {
  let u: URL;
  try {
    u = new URL(backendUrl);
  } catch {
    return { ok: false, detail: `${backendUrl} is not a URL` };
  }
  if (u.protocol === "https:") return { ok: true, detail: `${u.origin}: https` };
  if (LOOPBACK.has(u.hostname)) return { ok: true, detail: `${u.origin}: plain http on loopback (allowed)` };
  const allowed = internalHosts.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
  if (allowed.includes(u.hostname.toLowerCase())) return { ok: true, detail: `${u.origin}: plain http to a host on BACKEND_INTERNAL_HOSTS` };
  return { ok: false, detail: `${u.origin}: plain http to a host that is neither loopback nor on BACKEND_INTERNAL_HOSTS. Fix: use https, or name the host in BACKEND_INTERNAL_HOSTS if it is on a private network` };
}

/** The two database URLs: the direct one must not be a pooler, and a pooled one needs DATABASE_POOLED=true. */
export function databasePairCheck(runtime: string, direct: string | undefined, pooledSetting: string | undefined): { outcome: Outcome; detail: string } {
  const looksPooled = (url: string) => /-pooler\./.test(url);
  const pooled = /^(1|true|yes)$/i.test(pooledSetting ?? "");
  if (direct && looksPooled(direct)) {
    return { outcome: "fail", detail: `${DIRECT_URL_ENV} points at a pooler (${where(direct)}). Fix: use Neon's direct URL (without -pooler) there` };
  }
  if (!direct || direct === runtime) {
    if (looksPooled(runtime)) {
      return { outcome: "fail", detail: `DATABASE_URL is a pooled URL (${where(runtime)}) and there is no direct one. Fix: set ${DIRECT_URL_ENV} to the direct URL (migrations and the backend's LISTEN need it) and DATABASE_POOLED=true` };
    }
    return { outcome: "pass", detail: `one direct URL (${where(runtime)}) for run time and migrations` };
  }
  if (!pooled) {
    return { outcome: "warn", detail: `DATABASE_URL (${where(runtime)}) differs from ${DIRECT_URL_ENV} (${where(direct)}) but DATABASE_POOLED is not true. Fix: set DATABASE_POOLED=true if DATABASE_URL goes through a transaction-mode pooler` };
  }
  return { outcome: "pass", detail: `pooled DATABASE_URL ${where(runtime)} at run time (DATABASE_POOLED=true); direct ${DIRECT_URL_ENV} ${where(direct)} for migrations and LISTEN` };
}

interface CaddyRoute {
  handle?: { handler?: string; routes?: CaddyRoute[]; headers?: { request?: { set?: Record<string, string[]> } } }[];
}

/** Every reverse_proxy handler in Caddy's live JSON config. */
function proxyHandlers(config: unknown): { headers?: { request?: { set?: Record<string, string[]> } } }[] {
  const found: { headers?: { request?: { set?: Record<string, string[]> } } }[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown> & CaddyRoute;
      if (o.handler === "reverse_proxy") found.push(o as never);
      Object.values(o).forEach(walk);
    }
  };
  walk(config);
  return found;
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return res.json();
}

export async function productionChecks(cfg: Record<string, string>, add: AddCheck): Promise<void> {
  const pair = databasePairCheck(cfg.DATABASE_URL ?? "", cfg[DIRECT_URL_ENV], cfg.DATABASE_POOLED);
  add(`database URLs (DATABASE_URL, ${DIRECT_URL_ENV})`, pair.outcome, pair.detail);
  const configured = backendUrlCase(cfg.BACKEND_URL || "http://localhost:8000", cfg.BACKEND_INTERNAL_HOSTS ?? "");
  add("BACKEND_URL (.env)", configured.ok ? "pass" : "warn", configured.detail);

  if (!fs.existsSync(TOPOLOGY_STATE)) {
    add("production topology", "skip", "npm run prod is not running");
    return;
  }
  const state = JSON.parse(fs.readFileSync(TOPOLOGY_STATE, "utf8")) as TopologyState;
  const client = new TlsClient(state.caCert);
  try {
    const origin = await client.send({ url: `${state.publicUrl}/sign-in`, headers: { accept: "text/html" }, timeoutMs: 6_000 });
    if (origin.status === 0) {
      add("production topology", "skip", `nothing answers at ${state.publicUrl} (npm run prod is not running)`);
      return;
    }
    const hsts = origin.headers["strict-transport-security"];
    add(`public origin ${state.publicUrl}`, origin.status === 200 && hsts === HSTS ? "pass" : "fail",
      `${origin.status} over TLS verified against the local CA; HSTS ${hsts ?? "missing"}`);

    const kcv = cfg.BETTER_AUTH_SECRET ? keyCheckValue(cfg.BETTER_AUTH_SECRET) : "";
    for (const i of state.instances) {
      const direct = await fetch(i.url + i.health, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status, () => 0);
      add(`${i.name} health (${i.url}${i.health})`, direct === 200 ? "pass" : "fail", direct ? `HTTP ${direct}` : "no answer. Fix: restart npm run prod");
      if (i.kind === "backend") {
        // Signed with the .env secret for a session that does not exist: the same secret says TOKEN_REVOKED.
        const token = mintToken(cfg, "doctor-probe-user", "doctor-probe-session");
        const a = await fetch(`${i.url}/api/me`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) })
          .then(async (r) => (await r.json().catch(() => ({}))) as { code?: string }, () => ({ code: "no answer" }));
        add(`${i.name} holds the .env BETTER_AUTH_SECRET`, a.code === "TOKEN_REVOKED" ? "pass" : "fail",
          a.code === "TOKEN_REVOKED" ? "a token signed with it verifies (its session does not exist: TOKEN_REVOKED)" : `answered ${a.code}. Fix: restart npm run prod so every instance reads the same secret`);
      } else {
        add(`${i.name} holds the .env BETTER_AUTH_SECRET`, i.secretKcv === kcv ? "pass" : "fail",
          i.secretKcv === kcv ? `key check value ${kcv}` : `started with ${i.secretKcv}, .env has ${kcv}. Fix: restart npm run prod`);
      }
    }
    const viaProxy = await Promise.all([0, 1, 2, 3].map(() => client.send({ url: `${state.publicUrl}/backend/health`, timeoutMs: 6_000 })));
    add("backends healthy through the proxy", viaProxy.every((a) => a.status === 200) ? "pass" : "fail",
      `GET ${state.publicUrl}/backend/health ×4: ${viaProxy.map((a) => a.status).join(", ")}`);
    const upstreams = (await getJson(`${state.adminUrl}/reverse_proxy/upstreams`).catch(() => [])) as { address: string; fails: number }[];
    const failing = upstreams.filter((u) => u.fails > 0);
    add("proxy upstreams", upstreams.length && !failing.length ? "pass" : "warn",
      upstreams.length ? upstreams.map((u) => `${u.address} fails ${u.fails}`).join(", ") : "the proxy's admin API did not list its upstreams");

    const handlers = proxyHandlers(await getJson(`${state.adminUrl}/config/`).catch(() => null));
    const setsIp = handlers.filter((h) => h.headers?.request?.set?.["X-Real-Ip"]?.[0] === "{http.request.remote.host}");
    add("trusted client-address header", handlers.length > 0 && setsIp.length === handlers.length && state.trustedIpHeader === TRUSTED_IP_HEADER ? "pass" : "fail",
      `${setsIp.length} of ${handlers.length} proxy routes overwrite X-Real-IP with the connection's address; the frontends trust ${state.trustedIpHeader || "no header"}`);

    const backendCase = backendUrlCase(state.backendUrl, cfg.BACKEND_INTERNAL_HOSTS ?? "");
    add("production frontends' BACKEND_URL", backendCase.ok ? "pass" : "fail", backendCase.detail);
    const db = databasePairCheck(state.database.runtime, state.database.direct, String(state.database.pooled));
    add("production topology database URLs", db.outcome, db.detail);
  } finally {
    client.close();
  }
}
