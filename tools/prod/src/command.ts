// `npm run prod`: the production topology on this machine (topology.ts), from a fresh clone:
// .env (created once) → database (the local TLS PostgreSQL, or yours) → build (uv sync, next build
// standalone) → release step (migrations on the direct URL) → mail catcher (unless SMTP_URL is a real
// server) → 2 backends + 2 frontends → Caddy on https://localhost:8443 → Ctrl-C stops everything.
// Flags: --pooler (PgBouncer in transaction mode in front of the local database), --workers N
// (uvicorn workers per backend instance), --skip-build (reuse the last build), --local-idp (the local
// OpenID provider "Local SSO" on :9400 as `oidc`; never started otherwise).
import fs from "node:fs";
import path from "node:path";
import { DEV_IDP_CLIENT_ID, DEV_IDP_PORT, DEV_MAIL_PORTS, devClientSecret, ensureCaddy, ensureDevTls, ensureEnvFile, ensurePgBouncer, ENV_FILE, type LocalIdp, loadConfig, localSmtpPort, type MailCatcher, provisionDatabase, resolveFromRoot, startLocalIdp, startMailCatcher, syncPython } from "@authbridge/harness";
import { keyCheckValue } from "../../../frontend/src/config/key-check-value.ts";
import { PUBLIC_API_PREFIX } from "./caddy.ts";
import { TOPOLOGY_STATE, type TopologyState, withoutPassword } from "./doctor.ts";
import { DIRECT_URL_ENV } from "./manifest.ts";
import { buildForProduction, PROD_PORTS, startTopology, type Topology } from "./topology.ts";

export interface ProdArgs {
  pooler: boolean;
  workers: number;
  build: boolean;
  localIdp: boolean;
}

export function parseProdArgs(args: string[]): ProdArgs {
  const out: ProdArgs = { pooler: false, workers: 1, build: true, localIdp: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--pooler") out.pooler = true;
    else if (a === "--skip-build") out.build = false;
    else if (a === "--local-idp") out.localIdp = true;
    else if (a === "--workers") {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error("--workers takes a whole number from 1 to 16");
      out.workers = n;
    } else throw new Error(`unknown option ${a}: use --pooler, --workers N, --skip-build or --local-idp`);
  }
  return out;
}

/** What `npm run doctor` checks while the topology runs (no secret, no password). */
function writeState(t: Topology, caCert: string): void {
  const state: TopologyState = {
    publicUrl: t.publicUrl,
    adminUrl: `http://127.0.0.1:${PROD_PORTS.admin}`,
    caCert,
    backendUrl: t.frontendEnv.BACKEND_URL,
    trustedIpHeader: t.frontendEnv.AUTH_TRUSTED_IP_HEADER ?? "",
    instances: [...t.backends, ...t.frontends].map((i) => ({
      name: i.name,
      kind: i.kind,
      url: i.url,
      health: i.healthPath,
      secretKcv: keyCheckValue((i.kind === "backend" ? t.backendEnv : t.frontendEnv).BETTER_AUTH_SECRET ?? ""),
    })),
    database: { runtime: withoutPassword(t.runtimeDatabaseUrl), direct: withoutPassword(t.directDatabaseUrl), pooled: t.runtimeDatabaseUrl !== t.directDatabaseUrl },
  };
  fs.mkdirSync(path.dirname(TOPOLOGY_STATE), { recursive: true });
  fs.writeFileSync(TOPOLOGY_STATE, JSON.stringify(state, null, 2) + "\n");
}

/**
 * The local mail catcher (reused when `npm run dev` already runs one) unless SMTP_URL names a real server, and on
 * request the local OpenID provider; what they set goes into `env`.
 */
async function standIns(opts: ProdArgs, cfg: Record<string, string>, env: Record<string, string>) {
  const smtpPort = localSmtpPort(cfg.SMTP_URL);
  const mail = smtpPort === null ? null : await startMailCatcher("prod", { smtp: smtpPort, web: DEV_MAIL_PORTS.web }, { quiet: true });
  // Said explicitly: a production frontend refuses to start without SMTP_URL (docs/operations.md "Mail"),
  // and accepts the catcher here because the public URL is this machine's.
  if (!env.SMTP_URL && mail) env.SMTP_URL = mail.smtpUrl;
  // Asked for: "Continue with Local SSO" on the public URL (http on loopback, which the production check allows).
  if (opts.localIdp && env.OIDC_ISSUER) throw new Error(`--local-idp: OIDC_ISSUER is set (${env.OIDC_ISSUER}). Fix: empty OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET in .env, or drop --local-idp`);
  const appUrls = [`https://localhost:${PROD_PORTS.public}`, cfg.BETTER_AUTH_URL || "http://localhost:3000"];
  const idp = opts.localIdp ? await startLocalIdp(DEV_IDP_PORT, { clientId: DEV_IDP_CLIENT_ID, clientSecret: devClientSecret(), appUrls }, { quiet: true }) : null;
  if (idp) Object.assign(env, idp.env);
  return { mail, idp };
}

/** What runs where, once the topology is up. */
function readyLines(topology: Topology, opts: ProdArgs, caCert: string, took: string, mail: MailCatcher | null, idp: LocalIdp | null): string[] {
  const { publicUrl } = topology;
  return [
    `\n[prod] ready in ${took}: ${publicUrl} (HTTPS on the local CA ${caCert}, HSTS)`,
    `  frontends ${topology.frontends.map((f) => f.url).join(", ")} · backends ${topology.backends.map((b) => b.url).join(", ")} (${opts.workers} worker(s) each)`,
    `  public API ${publicUrl}${PUBLIC_API_PREFIX}/api/… · frontends reach the backends through ${topology.internalUrl}`,
    `  database ${opts.pooler ? `through PgBouncer (transaction mode) on :${PROD_PORTS.pooler}` : "direct"}; migrations ran on the direct URL`,
    `  mail ${mail ? `inbox ${mail.inboxUrl}` : "via SMTP_URL"}${idp ? ` · sign-in "Local SSO" at ${idp.issuer}` : ""} · npm run doctor checks it · Ctrl-C stops\n`,
  ];
}

export async function prodCommand(args: string[]): Promise<number> {
  const opts = parseProdArgs(args);
  const t0 = performance.now();
  const since = () => `${((performance.now() - t0) / 1000).toFixed(1)}s`;
  if (ensureEnvFile()) console.log(`[prod] created ${ENV_FILE} with a fresh BETTER_AUTH_SECRET and a local database password`);
  const cfg = loadConfig();
  ensureCaddy();
  if (opts.pooler) ensurePgBouncer();
  syncPython();
  const tls = await ensureDevTls();
  const db = await provisionDatabase(cfg);
  if (opts.pooler && !db.cluster) throw new Error("--pooler puts PgBouncer in front of the local database; with yours, set DATABASE_URL to its pooled URL instead");
  // Your own pair (Neon): DATABASE_URL pooled at run time, DATABASE_URL_UNPOOLED direct for the release step.
  const direct = cfg[DIRECT_URL_ENV] || cfg.DATABASE_URL;
  const env: Record<string, string> = {
    ...cfg,
    DATABASE_URL: direct,
    ...(cfg.DATABASE_CA_CERT ? { DATABASE_CA_CERT: resolveFromRoot(cfg.DATABASE_CA_CERT) } : {}),
  };
  console.log(db.cluster ? `[prod] local TLS PostgreSQL on :${db.cluster.port} (${since()})` : "[prod] using your DATABASE_URL");
  if (opts.build) {
    console.log("[prod] building: backend virtualenv, next build (standalone)…");
    buildForProduction(env);
    console.log(`[prod] built (${since()})`);
  }
  const { mail, idp } = await standIns(opts, cfg, env);
  const topology = await startTopology({
    name: "prod",
    ports: PROD_PORTS,
    env,
    tls,
    pooler: opts.pooler,
    pooledUrl: cfg[DIRECT_URL_ENV] && cfg.DATABASE_URL !== direct ? cfg.DATABASE_URL : undefined,
    workers: opts.workers,
  });

  writeState(topology, tls.caCert);
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\n[prod] stopping…");
    fs.rmSync(TOPOLOGY_STATE, { force: true });
    await topology.stop();
    await mail?.service?.stop();
    await idp?.service?.stop();
    if (db.startedHere) db.cluster?.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  console.log(readyLines(topology, opts, tls.caCert, since(), mail, idp).join("\n"));
  await new Promise(() => {});
  return 0;
}
