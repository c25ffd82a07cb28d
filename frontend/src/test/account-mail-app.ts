// The app's /api/auth/* with email verification on (route handler + throttle + Better Auth, the product
// default) on the real TLS test database, with real SMTP into the test mail catcher, for the account mail
// tests (src/server/mail/account-mail.integration.test.ts, src/server/mail/account-recovery.integration.test.ts).
import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import type { Pool } from "pg";
import { afterAll, beforeAll, expect } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { ensureMailCatcher, linksOf, SMTP_URL, waitForMail, type CaughtMail } from "./mail-catcher";
import { authOptions } from "@/server/auth-options";
import { authRouteHandler } from "@/server/auth-route";
import { createPool, poolConfigFor } from "@/server/db";
import { authThrottle } from "@/server/throttle";
import type { ThrottleSettings } from "@/server/throttle-settings";

// The test environment (.dev/test-env.sh), read as the app would read its own: not the app's configuration.
// eslint-disable-next-line no-restricted-properties
const testEnv = process.env;

if (!testEnv.DATABASE_URL) {
  throw new Error(
    "the account mail integration tests need DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

export const baseEnv = parseServerEnv({ ...testEnv, SMTP_URL, REQUIRE_EMAIL_VERIFICATION: "true" });
const caCert = baseEnv.DATABASE_CA_CERT ? resolveFromRepoRoot(baseEnv.DATABASE_CA_CERT) : undefined;
export const base = baseEnv.BETTER_AUTH_URL;
export const PASSWORD = "Correct-Horse-9-battery";
export const NEW_PASSWORD = "Other-Horse-7-staple";
export const newEmail = (tag = "mail") => `${tag}-${randomUUID()}@example.test`;

const pools: Pool[] = [];
let stopCatcher: () => void = () => undefined;
beforeAll(async () => {
  stopCatcher = await ensureMailCatcher();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  stopCatcher();
});

export interface Answer {
  status: number;
  body: Record<string, unknown> | null;
  cookie?: string;
  location: string | null;
  ms: number;
}

/** The app's /api/auth/* with the given settings. */
export function app(envOverrides: Record<string, string> = {}, settings: Partial<ThrottleSettings> = {}) {
  const env = parseServerEnv({ ...testEnv, SMTP_URL, REQUIRE_EMAIL_VERIFICATION: "true", ...envOverrides });
  const pool = createPool(poolConfigFor(env.DATABASE_URL, caCert));
  pools.push(pool);
  const auth = betterAuth(authOptions(env, pool));
  const handle = authRouteHandler(authThrottle(auth, pool, env, settings), { quietDuplicates: env.REQUIRE_EMAIL_VERIFICATION });
  const send = async (method: string, path: string, body?: unknown, cookie?: string): Promise<Answer> => {
    const started = performance.now();
    const res = await handle(
      new Request(`${base}/api/auth${path}`, {
        method,
        headers: { origin: base, ...(body === undefined ? {} : { "content-type": "application/json" }), ...(cookie ? { cookie } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: "manual",
      }),
    );
    const ms = performance.now() - started;
    const raw = res.headers.getSetCookie().find((c) => c.includes("session_token=") && !/max-age=0/i.test(c));
    return { status: res.status, body: (await res.json().catch(() => null)) as Answer["body"], cookie: raw?.split(";")[0], location: res.headers.get("location"), ms };
  };
  return {
    pool,
    post: (path: string, body: unknown, cookie?: string) => send("POST", path, body, cookie),
    get: (path: string, cookie?: string) => send("GET", path, undefined, cookie),
  };
}

export const main = app();
/** Many sign-ups of one email (the enumeration samples) stay under the per-email limit. */
export const roomy = app({}, { signUpPerEmail: { limit: 1000, seconds: 3600 } });

/** The token in the single action link of `mail`, whose page is `path` on the public URL. */
export function tokenOf(mail: CaughtMail, path: string): string {
  const links = linksOf(mail);
  expect(links).toHaveLength(1);
  const url = new URL(links[0]!);
  expect(url.origin + url.pathname).toBe(`${base}${path}`);
  expect(mail.text).toContain(links[0]!);
  return url.searchParams.get("token")!;
}

export async function signUp(email = newEmail(), a = main) {
  const r = await a.post("/sign-up/email", { name: "Ada Lovelace", email, password: PASSWORD });
  expect(r.status).toBe(200);
  return { email, answer: r };
}

/** A confirmed, signed-in user: the link opened in a browser that signs in with the password (src/server/verify-address/). */
export async function verifiedUser(a = main) {
  const { email } = await signUp(newEmail(), a);
  const token = tokenOf(await waitForMail(email, /Confirm your email/), "/verify-email");
  const verified = await a.post("/verify-address/with-password", { token, password: PASSWORD });
  expect(verified.status).toBe(200);
  return { email, cookie: verified.cookie! };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The body with what is random per answer (ids, timestamps) masked. */
export const shape = (body: Record<string, unknown> | null) => JSON.parse(JSON.stringify(body, (k, v) => (["id", "createdAt", "updatedAt"].includes(k) ? "…" : v)));
