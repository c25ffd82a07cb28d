// The app of the sign-in methods tests (src/server/sign-in-methods/provider-linking.integration.test.ts,
// src/server/sign-in-methods/sign-in-methods.integration.test.ts) with the OpenID provider `oidc` pointed at
// the local one (src/test/local-idp.ts), a browser's cookies, the whole redirect flow through the provider,
// and what those tests read of the database: the user, its accounts, its security activity. Closed after
// its file.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect } from "vitest";
import { type AuthApp, authApp } from "./auth-app";
import { authorizeAtIdp, type IdpLogin, OIDC_TEST_ENV } from "./local-idp";
import { ensureMailCatcher } from "./mail-catcher";

export const PASSWORD = "Squatters-Own-Horse-4";
export const newEmail = (tag = "person") => `${tag}-${randomUUID()}@example.test`;

/** A browser's cookies for the app: what answers set, sent back. */
export class Jar {
  private readonly cookies = new Map<string, string>();
  constructor(cookie?: string) {
    if (cookie) this.take([cookie]);
  }
  take(setCookies: string[]) {
    for (const c of setCookies) {
      const pair = c.split(";")[0]!;
      const at = pair.indexOf("=");
      if (/max-age=0/i.test(c)) this.cookies.delete(pair.slice(0, at));
      else this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  get header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** The app with the OpenID provider `oidc` pointed at the local one (src/test/local-idp.ts). */
export const providerApp = (overrides: Record<string, string>) => authApp({ ...OIDC_TEST_ENV, ...overrides });

/** The app in the default mode (an address need not be confirmed to sign in). */
export const app = providerApp({ REQUIRE_EMAIL_VERIFICATION: "false" });
let stopCatcher: () => void = () => undefined;
beforeAll(async () => {
  stopCatcher = await ensureMailCatcher();
});
afterAll(async () => {
  await app.close();
  stopCatcher();
});

interface Outcome {
  /** Where the app sent the browser in the end: the callback URL, or the error page with `?error=`. */
  location: URL;
  error: string | null;
  /** The browser's cookies after it (a session cookie if it signed in). */
  jar: Jar;
}

/** The whole redirect flow: the app's start (`/sign-in/social`, or `/link-social` with a session), the provider, the app's callback. */
async function throughProvider(target: AuthApp, person: IdpLogin, opts: { link?: Jar; answer?: "allow" | "deny" } = {}): Promise<Outcome> {
  const jar = opts.link ?? new Jar();
  const body = { provider: "oidc", callbackURL: opts.link ? "/settings/sign-in" : "/dashboard", errorCallbackURL: opts.link ? "/settings/sign-in" : "/sign-in" };
  const start = await target.post(opts.link ? "/link-social" : "/sign-in/social", body, jar.header);
  expect(start.status, JSON.stringify(start.body)).toBe(200);
  jar.take(start.setCookies);
  const back = await authorizeAtIdp(String(start.body!.url), person, opts.answer);
  expect(back.pathname).toBe("/api/auth/callback/oidc");
  const callback = await target.get(`/callback/oidc${back.search}`, jar.header);
  expect(callback.status).toBe(302);
  jar.take(callback.setCookies);
  const location = new URL(callback.location!, target.env.BETTER_AUTH_URL);
  return { location, error: location.searchParams.get("error"), jar };
}

export const signInWith = (person: IdpLogin, target = app) => throughProvider(target, person);
export const linkFromSettings = (session: string, person: IdpLogin, target = app) => throughProvider(target, person, { link: new Jar(session) });

export async function userRow(email: string) {
  const r = await app.pool.query<{ id: string; name: string; email_verified: boolean }>('SELECT id, name, email_verified FROM "user" WHERE email = $1', [email]);
  return r.rows[0];
}
export async function accounts(userId: string) {
  const r = await app.pool.query<{ id: string; provider_id: string; account_id: string; password: string | null; access_token: string | null; refresh_token: string | null; id_token: string | null; access_token_expires_at: Date | null }>(
    "SELECT id, provider_id, account_id, password, access_token, refresh_token, id_token, access_token_expires_at FROM account WHERE user_id = $1 ORDER BY provider_id",
    [userId],
  );
  return r.rows;
}
/** A password account; `verified` as if its address were confirmed (or not, as a sign-up leaves it). */
export async function localAccount(email: string, { verified, password = true }: { verified: boolean; password?: boolean }) {
  const r = await app.post("/sign-up/email", { name: "Local Person", email, password: PASSWORD });
  expect(r.status).toBe(200);
  const user = (await userRow(email))!;
  await app.pool.query('UPDATE "user" SET email_verified = $2 WHERE id = $1', [user.id, verified]);
  if (!password) await app.pool.query("DELETE FROM account WHERE user_id = $1 AND provider_id = 'credential'", [user.id]);
  return { id: user.id, cookie: r.cookie! };
}
/** The account's security activity, oldest first (docs/security.md "Security activity"). */
export async function activity(userId: string) {
  const r = await app.pool.query<{ type: string; method: string | null }>("SELECT type, method FROM auth_event WHERE user_id = $1 ORDER BY created_at, id", [userId]);
  return r.rows.map((e) => `${e.type}:${e.method ?? ""}`);
}
export const tokenStatus = async (cookie: string | undefined) => (await app.get("/token", cookie)).status;
export const passwordSignIn = async (email: string, password = PASSWORD) => (await app.post("/sign-in/email", { email, password })).status;
