// `npm run doctor`: one line per check, ✓ or ✗ (– when it cannot be checked now, ! for a risky setting) and the fix.
// Each service is asked what IT sees (its own config loader), so a frontend/.env.local or a shell
// variable that makes the two disagree is caught. Secrets are compared by key check value only.
import fs from "node:fs";
import { BACKEND_DIR, capture, DEV_IDP_PORT, ENV_FILE, FRONTEND_DIR, loadConfig, localIssuer, uv, UV_ENV, wantsLocalIdp } from "@authbridge/harness";
import { productionChecks } from "@authbridge/prod";

type Outcome = "pass" | "fail" | "skip" | "warn";
interface Check {
  name: string;
  outcome: Outcome;
  detail: string;
}

function ask(cmd: string[], cwd: string): Record<string, unknown> | null {
  const out = capture(cmd[0], cmd.slice(1), { cwd, env: UV_ENV, timeoutMs: 60_000 });
  if (out === null) return null;
  try {
    return JSON.parse(out.split("\n").at(-1) ?? "") as Record<string, unknown>;
  } catch {
    return null;
  }
}

async function live(url: string, init?: RequestInit): Promise<Response | null> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(6_000), redirect: "manual" });
  } catch {
    return null;
  }
}

/**
 * Both services must run the same REQUIRE_EMAIL_VERIFICATION: a frontend that signs unverified users in
 * and a backend that refuses them would leave those users on /confirm-email (docs/security.md "Email verification").
 */
function samePolicy(name: string, backend: unknown, frontend: unknown, add: (name: string, outcome: Outcome, detail: string) => void): void {
  if (typeof backend !== "string" || typeof frontend !== "string") return add(name, "skip", "a service did not say");
  if (backend === frontend) return add(name, "pass", `${backend} (REQUIRE_EMAIL_VERIFICATION=${backend === "required"})`);
  add(name, "fail", `backend ${backend} ≠ frontend ${frontend}. Fix: set REQUIRE_EMAIL_VERIFICATION once in the root .env and remove the override (shell variable or frontend/.env*)`);
}

/** A failure line with one "Fix:": the services' own messages often carry theirs already. */
function withFix(error: unknown, fix: string): string {
  const text = String(error ?? "unknown error");
  return text.includes("Fix:") ? text : `${text}. Fix: ${fix}`;
}

/** The backend's session_check in /health (backend/app/routes/health.py): its mode, and whether a NOTIFY sent
 * through the database reached the answering process's listener (docs/operations.md "Session check modes"). */
interface SessionCheckHealth {
  mode: string;
  listener: "heard" | "not-heard" | "not-used";
  latency_ms: number | null;
}

function listenerCheck(check: SessionCheckHealth, add: (name: string, outcome: "pass" | "fail", detail: string) => void): void {
  const name = "backend session listener";
  if (check.listener === "heard") add(name, "pass", `SESSION_CACHE=listen: a NOTIFY sent through the database reached it in ${String(check.latency_ms)} ms`);
  else if (check.listener === "not-used") {
    const bound = check.mode === "ttl" ? "revocation within SESSION_CACHE_TTL_SECONDS" : "every request reads the database";
    add(name, "pass", `SESSION_CACHE=${check.mode}: none (${bound})`);
  } else {
    add(name, "fail", "SESSION_CACHE=listen, but a NOTIFY sent through the database did not reach it within 1 s: every request reads the database until it reconnects. Fix: the backend needs a direct connection that can LISTEN (DATABASE_URL_UNPOOLED behind a pooler); its log names the error");
  }
}

/**
 * The OpenID provider's discovery document (docs/operations.md "Sign-in providers"): it answers, names exactly the
 * configured issuer (Better Auth checks ID tokens against the issuer it names) and publishes its keys. `local`: the
 * provider `npm run dev` starts when OIDC_ISSUER is empty, which may simply not be running.
 */
export async function oidcDiscoveryCheck(issuer: string, local: boolean, add: (name: string, outcome: Outcome, detail: string) => void): Promise<void> {
  const name = local ? "OpenID provider discovery (Local SSO)" : "OpenID provider discovery (OIDC_ISSUER)";
  const want = issuer.replace(/\/+$/, "");
  const url = `${want}/.well-known/openid-configuration`;
  const res = await live(url);
  if (!res) {
    if (local) return add(name, "skip", `nothing answers at ${want} (npm run dev starts it)`);
    return add(name, "fail", `${url} did not answer within 6 s: "Continue with" that provider cannot work. Fix: check OIDC_ISSUER (the issuer, without /.well-known/…) and that this machine reaches it`);
  }
  const doc = (await res.json().catch(() => null)) as { issuer?: unknown; jwks_uri?: unknown } | null;
  if (res.status !== 200 || !doc) return add(name, "fail", `${url} answered ${res.status} without a discovery document. Fix: check OIDC_ISSUER against the provider's console (its "issuer" or "authority" URL)`);
  if (typeof doc.issuer !== "string" || doc.issuer.replace(/\/+$/, "") !== want) {
    return add(name, "fail", `${url} names the issuer ${String(doc.issuer)}, not ${want}: ID tokens would be refused. Fix: set OIDC_ISSUER=${String(doc.issuer)}`);
  }
  if (typeof doc.jwks_uri !== "string") return add(name, "fail", `${url} publishes no jwks_uri: ID tokens cannot be verified, the provider is left out. Fix: use the provider's OpenID Connect (not plain OAuth) endpoint`);
  add(name, "pass", `${url} names ${doc.issuer}, keys at ${doc.jwks_uri}`);
}

type Add = (name: string, outcome: Outcome, detail: string) => void;
type Seen = Record<string, unknown> | null;

/** The two services read the same secret and the same email verification policy. */
function agreementChecks(backend: Seen, frontend: Seen, add: Add): void {
  const [kb, kf] = [backend?.secret_kcv, frontend?.secret_kcv];
  if (kb && kf) {
    add("same BETTER_AUTH_SECRET in both services", kb === kf ? "pass" : "fail",
      kb === kf ? `key check value ${kb}` : `backend ${kb} ≠ frontend ${kf}. Fix: remove the override (shell variable or frontend/.env*) so both read the root .env`);
  } else add("same BETTER_AUTH_SECRET in both services", "skip", "a service's configuration is invalid");
  samePolicy("email verification policy in both services' configuration", backend?.email_verification, frontend?.email_verification, add);
}

/** The database as each service sees it: reachable, encrypted, at the latest migration. */
function databaseChecks(backend: Seen, frontend: Seen, add: Add): void {
  const db = backend?.database as Record<string, unknown> | undefined;
  if (!db) add("database reachable", "skip", "backend configuration is invalid");
  else {
    add("database reachable", db.reachable ? "pass" : "fail", db.reachable ? "SELECT 1 answered" : withFix(db.error, "start it (npm run dev) or check DATABASE_URL"));
    if (db.reachable) {
      add("database connection encrypted", db.tls ? "pass" : "fail", db.tls ? String(db.tls_version) : "Fix: use sslmode=require or stricter");
      add("schema at the latest migration", db.current === db.head ? "pass" : "fail",
        db.current === db.head ? `revision ${db.head}` : `at ${db.current ?? "none"}, head is ${db.head}. Fix: cd backend && python3 -m uv run alembic upgrade head`);
    }
  }

  // The frontend connects with node-postgres, which checks the certificate its own way: a database the backend
  // reaches can still be refused here (another CA file, another host name).
  const fdb = frontend?.database as Record<string, unknown> | undefined;
  if (fdb) {
    add("database reachable from the frontend", fdb.reachable ? "pass" : "fail",
      fdb.reachable ? "SELECT 1 answered" : withFix(fdb.error, "check DATABASE_URL and DATABASE_CA_CERT"));
  }
}

/** The mail server and the sign-in providers as the frontend sees them. */
async function mailAndProviderChecks(cfg: Record<string, string>, frontend: Seen, add: Add): Promise<void> {
  const mail = frontend?.mail as Record<string, unknown> | undefined;
  if (mail) {
    add("SMTP server answers (SMTP_URL)", mail.reachable ? "pass" : "fail",
      mail.reachable ? `${String(mail.server)} greeted us` : withFix(`${String(mail.server)}: ${String(mail.error)}`, "start it (npm run dev starts the local catcher) or check SMTP_URL"));
  }

  // Sign-in providers as the frontend sees them; with none named, npm run dev's local one.
  const signIn = frontend?.sign_in as { providers?: string[]; oidc_issuer?: string | null } | undefined;
  if (signIn) add("sign-in providers", "pass", signIn.providers?.length ? signIn.providers.join(", ") : "none configured (email and password only)");
  const oidcIssuer = signIn?.oidc_issuer ?? (wantsLocalIdp(cfg) ? localIssuer(DEV_IDP_PORT) : null);
  if (oidcIssuer) await oidcDiscoveryCheck(oidcIssuer, !signIn?.oidc_issuer, add);
}

/** The running services: the backend's health, its session listener and CORS, the frontend's token endpoint. */
async function runningChecks(cfg: Record<string, string>, add: Add): Promise<void> {
  const backendUrl = cfg.BACKEND_URL || "http://localhost:8000";
  const frontendUrl = cfg.BETTER_AUTH_URL || "http://localhost:3000";
  const health = await live(new URL("/health", backendUrl).href);
  let backendPolicy: unknown;
  if (!health) add("backend running", "skip", `nothing answers at ${backendUrl} (start it with npm run dev)`);
  else {
    const body = (await health.json().catch(() => ({}))) as { tls?: { version?: string }; email_verification?: string; session_check?: SessionCheckHealth };
    backendPolicy = body.email_verification;
    add("backend /health", health.status === 200 ? "pass" : "fail", health.status === 200 ? `200, TLS ${body.tls?.version}` : `${health.status}: ${JSON.stringify(body)}`);
    if (body.session_check) listenerCheck(body.session_check, add);
    const preflight = await live(new URL("/api/me", backendUrl).href, {
      method: "OPTIONS",
      headers: { Origin: new URL(frontendUrl).origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
    });
    const allowed = preflight?.headers.get("access-control-allow-origin");
    add("backend CORS allows the frontend origin", allowed === new URL(frontendUrl).origin ? "pass" : "fail",
      allowed ? `allows ${allowed}` : "Fix: BETTER_AUTH_URL must be the same for both services");
  }
  const token = await live(new URL("/api/auth/token", frontendUrl).href);
  if (!token) add("frontend running", "skip", `nothing answers at ${frontendUrl} (start it with npm run dev)`);
  else {
    add("frontend token endpoint refuses anonymous callers", token.status === 401 ? "pass" : "fail", `GET /api/auth/token → ${token.status}`);
    const frontendHealth = await live(new URL("/health", frontendUrl).href);
    const frontendPolicy = ((await frontendHealth?.json().catch(() => ({}))) as { email_verification?: string } | undefined)?.email_verification;
    if (health) samePolicy("email verification policy of the running services", backendPolicy, frontendPolicy, add);
  }
}

export async function doctorCommand(): Promise<number> {
  const checks: Check[] = [];
  const add: Add = (name, outcome, detail) => checks.push({ name, outcome, detail });

  add(".env exists", fs.existsSync(ENV_FILE) ? "pass" : "fail", fs.existsSync(ENV_FILE) ? ENV_FILE : "Fix: run `npm run dev` once (it creates .env with a fresh secret)");
  const cfg = loadConfig();

  const backend = ask([...uv(), "run", "--frozen", "--quiet", "python", "-m", "app.doctor"], BACKEND_DIR);
  const frontend = ask(["npx", "--no-install", "tsx", "scripts/doctor.ts"], FRONTEND_DIR);
  for (const [name, seen] of [["backend", backend], ["frontend", frontend]] as const) {
    if (!seen) add(`${name} configuration`, "fail", "its configuration check did not run. Fix: run `npm test` to see why");
    else if (seen.config_error) add(`${name} configuration`, "fail", String(seen.config_error));
    else add(`${name} configuration`, "pass", "valid");
    for (const warning of Array.isArray(seen?.warnings) ? seen.warnings : []) add(`${name} configuration`, "warn", String(warning));
  }
  agreementChecks(backend, frontend, add);
  databaseChecks(backend, frontend, add);
  await mailAndProviderChecks(cfg, frontend, add);
  await runningChecks(cfg, add);

  // The database URL pair, BACKEND_URL's case and, while `npm run prod` runs, its topology (tools/prod/src/doctor.ts).
  await productionChecks(cfg, add);

  const mark = { pass: "✓", fail: "✗", skip: "–", warn: "!" } as const;
  for (const c of checks) console.log(`${mark[c.outcome]} ${c.name}: ${c.detail}`);
  const failed = checks.filter((c) => c.outcome === "fail").length;
  console.log(failed ? `\n${failed} check(s) failed` : "\nall checks passed");
  return failed ? 1 : 0;
}
