// `npm run dev`: .env (created once) → local TLS PostgreSQL (unless DATABASE_URL is yours) →
// migrations → mail catcher (inbox on :1080, unless SMTP_URL names a real server) → local OpenID
// provider "Local SSO" on :9400 (unless OIDC_ISSUER names another) → backend on :8000 and frontend on
// :3000 → clean shutdown on Ctrl-C.
import { BACKEND_DIR, DEV_IDP_CLIENT_ID, DEV_IDP_PORT, DEV_MAIL_PORTS, devClientSecret, ensureEnvFile, ENV_FILE, FRONTEND_DIR, loadConfig, type LocalIdp, localSmtpPort, type MailCatcher, migrate, provisionDatabase, type Service, startLocalIdp, startMailCatcher, startService, syncPython, uv, UV_ENV, waitForHttp, wantsLocalIdp } from "@authbridge/harness";
import { PROD_PORTS } from "@authbridge/prod";

/** One local provider serves `npm run dev` and `npm run prod -- --local-idp` (whichever started it): both callbacks. */
const PROD_PUBLIC_URL = `https://localhost:${PROD_PORTS.public}`;

/**
 * Mail goes to a local catcher unless SMTP_URL names a real server (README.md "Email"); "Continue with Local SSO"
 * unless .env names another OpenID provider (docs/operations.md "Sign-in providers"). Nothing is left running when
 * one of them does not start.
 */
async function startStandIns(cfg: Record<string, string>, oidc: Record<string, string | undefined>, frontendUrl: URL): Promise<{ mail: MailCatcher | null; idp: LocalIdp | null }> {
  const smtpPort = localSmtpPort(cfg.SMTP_URL);
  const mail = smtpPort === null ? null : await startMailCatcher("dev", { smtp: smtpPort, web: DEV_MAIL_PORTS.web });
  try {
    if (!wantsLocalIdp(oidc)) return { mail, idp: null };
    const client = { clientId: oidc.OIDC_CLIENT_ID || DEV_IDP_CLIENT_ID, clientSecret: oidc.OIDC_CLIENT_SECRET || devClientSecret(), appUrls: [frontendUrl.href, PROD_PUBLIC_URL] };
    return { mail, idp: await startLocalIdp(DEV_IDP_PORT, client) };
  } catch (err) {
    await mail?.service?.stop();
    throw err;
  }
}

/** The backend (`python -m app`) and the frontend (`next dev`) on the configured ports. */
function startApp(backendUrl: URL, frontendUrl: URL, frontendEnv: Record<string, string>): [Service, Service] {
  const [uvCmd, ...uvPre] = uv();
  return [
    startService("backend", uvCmd!, [...uvPre, "run", "--frozen", "python", "-m", "app"], {
      cwd: BACKEND_DIR,
      env: { ...UV_ENV, BACKEND_PORT: backendUrl.port || "8000" },
    }),
    startService("frontend", "npm", ["run", "dev"], { cwd: FRONTEND_DIR, env: { PORT: frontendUrl.port || "3000", ...frontendEnv } }),
  ];
}

export async function devCommand(): Promise<number> {
  const t0 = performance.now();
  const since = () => `${((performance.now() - t0) / 1000).toFixed(1)}s`;
  if (ensureEnvFile()) console.log(`[dev] created ${ENV_FILE} with a fresh BETTER_AUTH_SECRET and a local database password`);
  const cfg = loadConfig();

  syncPython();
  const db = await provisionDatabase(cfg);
  console.log(db.cluster ? `[dev] local TLS PostgreSQL on :${db.cluster.port} (${since()})` : "[dev] using your DATABASE_URL");
  migrate();
  console.log(`[dev] migrations at head (${since()})`);
  // The OIDC variables as the frontend will see them (.env, and the shell's on top even when .env has none).
  const oidc = Object.fromEntries(["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"].map((k) => [k, process.env[k] ?? cfg[k]]));
  const backendUrl = new URL(cfg.BACKEND_URL || "http://localhost:8000");
  const frontendUrl = new URL(cfg.BETTER_AUTH_URL || "http://localhost:3000");
  let mail: MailCatcher | null;
  let idp: LocalIdp | null;
  try {
    ({ mail, idp } = await startStandIns(cfg, oidc, frontendUrl));
  } catch (err) {
    console.error(`[dev] ${(err as Error).message}`);
    if (db.startedHere) db.cluster?.stop();
    return 1;
  }
  // The local provider's OIDC_* variables when .env has none (a variable set in the environment wins over .env).
  const services = startApp(backendUrl, frontendUrl, idp && !oidc.OIDC_ISSUER ? idp.env : {});

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\n[dev] stopping…");
    await Promise.all([...services, ...(mail?.service ? [mail.service] : []), ...(idp?.service ? [idp.service] : [])].map((s) => s.stop()));
    if (db.startedHere) db.cluster?.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  for (const s of services) {
    void s.exited.then((code) => {
      if (stopping) return;
      console.error(`[dev] ${s.name} exited (${code})`);
      void shutdown(1);
    });
  }

  try {
    await waitForHttp(new URL("/health", backendUrl).href, { timeoutMs: 60_000, service: services[0] });
    await waitForHttp(new URL("/sign-in", frontendUrl).href, { timeoutMs: 120_000, service: services[1] });
  } catch (err) {
    console.error(`[dev] ${(err as Error).message}`);
    await shutdown(1);
  }
  console.log(`\n[dev] ready in ${since()}: frontend ${frontendUrl.origin} · backend ${backendUrl.origin} (health: ${new URL("/health", backendUrl).href}) · ${mail ? `mail inbox ${mail.inboxUrl}` : "mail via SMTP_URL"} · ${idp ? `sign-in "Local SSO" at ${idp.issuer}` : "sign-in via OIDC_ISSUER"} · Ctrl-C stops\n`);
  await new Promise(() => {});
  return 0;
}
