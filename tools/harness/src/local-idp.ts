// The local OpenID provider ("Local SSO", local-idp-server.ts), started like the mail catcher: `npm run dev` on
// :9400 and points the app's `oidc` provider at it unless OIDC_ISSUER names another issuer; `npm test` one of
// its own on :9410 for the integration and browser tests; `npm run prod -- --local-idp` on request. Plain http,
// loopback only (docs/operations.md "Sign-in providers").
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { DEV_DIR, ROOT } from "./paths.ts";
import { type Service, startService, waitForHttp } from "./proc.ts";

export const DEV_IDP_PORT = 9400;
export const TEST_IDP_PORT = 9410;
/** Where the provider keeps its signing key and cookie key (git-ignored, made once). */
const LOCAL_IDP_STATE_DIR = path.join(DEV_DIR, "local-idp");
const LOCAL_IDP_NAME = "Local SSO";
export const DEV_IDP_CLIENT_ID = "authbridge-dev";
export const TEST_IDP_CLIENT_ID = "authbridge-test";
export const TEST_IDP_CLIENT_SECRET = "test-only-oidc-client-secret-never-use-in-production";

/** The callback path every provider shares in Better Auth 1.7 (`/api/auth/callback/:id`). */
const oidcRedirectUri = (appUrl: string) => `${new URL(appUrl).origin}/api/auth/callback/oidc`;

export const localIssuer = (port: number) => `http://localhost:${port}`;

/** The dev client's secret: local, stable per machine, never committed (like the test database passwords). */
export function devClientSecret(): string {
  const file = path.join(LOCAL_IDP_STATE_DIR, "dev-client-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(LOCAL_IDP_STATE_DIR, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, randomBytes(24).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

export interface LocalIdpClient {
  clientId: string;
  clientSecret: string;
  /** The app URLs (BETTER_AUTH_URL of each stack) whose `/api/auth/callback/oidc` may receive codes. */
  appUrls: string[];
}

export interface LocalIdp {
  /** Null when a provider was already answering on the port (it is reused, and left running). */
  service: Service | null;
  issuer: string;
  /** The app's OIDC_* variables for this provider. */
  env: Record<string, string>;
}

export function localIdpEnv(port: number, client: Pick<LocalIdpClient, "clientId" | "clientSecret">): Record<string, string> {
  return { OIDC_ISSUER: localIssuer(port), OIDC_CLIENT_ID: client.clientId, OIDC_CLIENT_SECRET: client.clientSecret, OIDC_NAME: LOCAL_IDP_NAME };
}

async function discoveryIssuer(port: number): Promise<string | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? ((await res.json()) as { issuer?: string }).issuer ?? null : null;
  } catch {
    return null;
  }
}

/** Starts the provider on loopback `port` for `client`, or reuses one already answering there. */
export async function startLocalIdp(port: number, client: LocalIdpClient, opts: { quiet?: boolean } = {}): Promise<LocalIdp> {
  const issuer = localIssuer(port);
  const env = localIdpEnv(port, client);
  if ((await discoveryIssuer(port)) === issuer) {
    // Reused as it is: it knows the client it was started with, which may not be this one.
    return { service: null, issuer, env };
  }
  const args = ["--import", "tsx", fileURLToPath(new URL("./local-idp-server.ts", import.meta.url)), "--port", String(port), "--client-id", client.clientId, "--client-secret", client.clientSecret, "--state-dir", LOCAL_IDP_STATE_DIR];
  for (const url of client.appUrls) args.push("--redirect-uri", oidcRedirectUri(url));
  const service = startService("sso", process.execPath, args, { cwd: ROOT, quiet: opts.quiet });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/.well-known/openid-configuration`, { timeoutMs: 30_000, service });
  } catch (err) {
    await service.stop();
    throw new Error(`the local OpenID provider did not start on :${port} (${(err as Error).message}). Is something else on that port? Fix: stop it, or set OIDC_ISSUER to your own provider`);
  }
  return { service, issuer, env };
}

/** Whether the app's OIDC_ISSUER (from .env or the shell) leaves `npm run dev` to start the local provider. */
export function wantsLocalIdp(cfg: Record<string, string | undefined>): boolean {
  const issuer = cfg.OIDC_ISSUER?.trim();
  return !issuer || issuer.replace(/\/+$/, "") === localIssuer(DEV_IDP_PORT);
}
