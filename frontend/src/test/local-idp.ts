// The local OpenID provider for integration tests: `npm test` starts it (tools/harness/src/local-idp.ts) on OIDC_ISSUER
// with the test client; run alone (vitest with .dev/test-env.sh), the run starts its own once
// (src/test/global-setup.ts). `signInThroughIdp` walks a sign-in as a browser would: the app's
// /sign-in/social, the provider's login and consent pages, back to the app's callback.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { findRepoRoot } from "@/config/repo-root";
import type { Answer, AuthApp } from "./auth-app";

// Test-only settings of the test environment (.dev/test-env.sh), not the app's configuration.
/* eslint-disable no-restricted-properties */
export const OIDC_TEST_ENV = {
  OIDC_ISSUER: process.env.OIDC_ISSUER ?? "http://localhost:9410",
  OIDC_CLIENT_ID: process.env.OIDC_CLIENT_ID ?? "authbridge-test",
  OIDC_CLIENT_SECRET: process.env.OIDC_CLIENT_SECRET ?? "test-only-oidc-client-secret-never-use-in-production",
  OIDC_NAME: process.env.OIDC_NAME ?? "Local SSO",
};
const APP_URL = process.env.BETTER_AUTH_URL ?? "http://localhost:3100";
/* eslint-enable no-restricted-properties */
export const IDP = OIDC_TEST_ENV.OIDC_ISSUER;

async function answers(): Promise<boolean> {
  try {
    return (await fetch(`${IDP}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Makes sure the provider answers; returns a stop function (a no-op when it was already running). */
export async function ensureLocalIdp(): Promise<() => void> {
  if (await answers()) return () => undefined;
  const root = findRepoRoot();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(root, "tools", "harness", "src", "local-idp-server.ts"),
      ...["--port", new URL(IDP).port, "--client-id", OIDC_TEST_ENV.OIDC_CLIENT_ID, "--client-secret", OIDC_TEST_ENV.OIDC_CLIENT_SECRET],
      ...["--redirect-uri", `${new URL(APP_URL).origin}/api/auth/callback/oidc`, "--state-dir", path.join(root, ".dev", "local-idp")],
    ],
    { cwd: root, stdio: "ignore" },
  );
  for (let i = 0; i < 100 && !(await answers()); i++) await sleep(100);
  if (!(await answers())) {
    child.kill();
    throw new Error(`the local OpenID provider did not start on ${IDP}`);
  }
  return () => void child.kill();
}

/** A browser's cookies for one site, enough to walk the provider's pages with fetch. */
export class CookieJar {
  private cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  take(setCookies: string[]): void {
    for (const c of setCookies) {
      const [name, ...value] = c.split(";")[0]!.split("=");
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name!);
      else this.cookies.set(name!, value.join("="));
    }
  }
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.header());
    const res = await fetch(url, { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(10_000) });
    this.take(res.headers.getSetCookie());
    return res;
  }
}

/** Who signs in at the provider: a test user (`alice`, `bob`, `carol`) or another address, confirmed or not. */
export type IdpLogin = { user: "alice" | "bob" | "carol" } | { email: string; verified: boolean };

export interface IdpSignIn {
  /** The app's answer to POST /sign-in/social. */
  start: Answer;
  /** The app's state cookie (`name=value`) from that answer. */
  stateCookie: string;
  /** Where the provider sent the browser back: the app's /api/auth/callback/oidc with code and state (or error). */
  callback: URL;
  /** The app's answer to that callback, with the state cookie. */
  answer: Answer;
}

const formAction = (html: string, step: string) => {
  const m = new RegExp(`action="(/interaction/[\\w-]+/${step})"`).exec(html);
  if (!m) throw new Error(`no ${step} form on the provider's page: ${html.slice(0, 200)}`);
  return `${IDP}${m[1]}`;
};

/** Follows the provider's redirects until one leads out of it; the provider's page when one answers instead. */
async function walk(jar: CookieJar, url: string, init?: RequestInit): Promise<{ url: string; res: Response }> {
  let res = await jar.fetch(url, init);
  for (let hops = 0; hops < 10 && res.status >= 300 && res.status < 400; hops++) {
    url = new URL(res.headers.get("location")!, url).href;
    if (!url.startsWith(IDP)) return { url, res };
    res = await jar.fetch(url);
  }
  return { url, res };
}

const post = (jar: CookieJar, url: string, form: Record<string, string>) =>
  walk(jar, url, { method: "POST", body: new URLSearchParams(form), headers: { "content-type": "application/x-www-form-urlencoded" } });

/** The provider's half: from its authorization URL to the redirect back to the app (`consent: "deny"` presses Deny). */
export async function authorizeAtIdp(authorizationUrl: string, login: IdpLogin, consent: "allow" | "deny" = "allow"): Promise<URL> {
  const jar = new CookieJar();
  const loginPage = await walk(jar, authorizationUrl);
  if (loginPage.res.status !== 200) throw new Error(`the provider answered ${loginPage.res.status} at ${loginPage.url}`);
  const form: Record<string, string> = "user" in login ? { user: login.user } : { email: login.email, ...(login.verified ? { verified: "yes" } : {}) };
  const consentPage = await post(jar, formAction(await loginPage.res.text(), "login"), form);
  const html = await consentPage.res.text();
  const back = consent === "allow" ? await post(jar, formAction(html, "consent"), {}) : await post(jar, formAction(html, "abort"), { deny: "yes" });
  return new URL(back.url);
}

export const stateCookieOf = (answer: Answer) => {
  const cookie = answer.setCookies.find((c) => /^(__Secure-)?better-auth\.state=/.test(c));
  if (!cookie) throw new Error(`no state cookie in ${JSON.stringify(answer.setCookies)}`);
  return cookie.split(";")[0]!;
};

/** A whole sign-in through the provider, as the sign-in page's button starts it. */
export async function signInThroughIdp(app: AuthApp, login: IdpLogin, opts: { consent?: "allow" | "deny"; callbackURL?: string } = {}): Promise<IdpSignIn> {
  const start = await app.post("/sign-in/social", { provider: "oidc", callbackURL: opts.callbackURL ?? "/dashboard", errorCallbackURL: "/sign-in?via=oidc" });
  if (start.status !== 200 || typeof start.body?.url !== "string") throw new Error(`sign-in/social answered ${start.status}: ${JSON.stringify(start.body)}`);
  const stateCookie = stateCookieOf(start);
  const callback = await authorizeAtIdp(start.body.url, login, opts.consent);
  const answer = await app.get(`${callback.pathname.replace(/^\/api\/auth/, "")}${callback.search}`, stateCookie);
  return { start, stateCookie, callback, answer };
}
