// The app's /api/auth/* (route handler + throttle + Better Auth) on the real (TLS) test database, with
// the throttle's settings of a test, and what the throttle tests read of it (src/server/throttle*.integration.test.ts).
import { randomInt, randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import type { Pool } from "pg";
import { afterAll, expect } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { authOptions } from "@/server/auth-options";
import { authRouteHandler } from "@/server/auth-route";
import { createPool, poolConfigFor } from "@/server/db";
import { authThrottle } from "@/server/throttle";
import type { ThrottleSettings } from "@/server/throttle-settings";
import { throttleKeys } from "@/server/throttle-store";
import { captureConsole } from "./console-capture";

// The test environment (.dev/test-env.sh), read as the app would read its own: not the app's configuration.
// eslint-disable-next-line no-restricted-properties
const testEnv = process.env;

if (!testEnv.DATABASE_URL) {
  throw new Error(
    "the throttle's integration tests need DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

export const baseEnv = parseServerEnv(testEnv);
const caCert = baseEnv.DATABASE_CA_CERT ? resolveFromRepoRoot(baseEnv.DATABASE_CA_CERT) : undefined;
const base = baseEnv.BETTER_AUTH_URL;
export const PASSWORD = "Correct-Horse-9-battery";
export const WRONG = "Wrong-Horse-9-battery";
export const newEmail = () => `throttle-${randomUUID()}@example.test`;
// Counters outlive a test run: start at a random address so a rerun within the minute starts clean.
let nextIp = randomInt(1 << 24);
/** A fresh client address per call (for instances that trust X-Forwarded-For). */
export const freshIp = () => {
  const n = nextIp++ % (1 << 24);
  return `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`;
};
export const from = (ip: string) => ({ "x-forwarded-for": ip });
export const TRUSTED = { AUTH_TRUSTED_IP_HEADER: "x-forwarded-for" };
/** Locks short enough to wait for. */
export const FAST_LOCK: Partial<ThrottleSettings> = { lock: { afterFailures: 5, baseSeconds: 1, maxSeconds: 2, memorySeconds: 60 } };

const pools: Pool[] = [];
afterAll(() => Promise.all(pools.map((p) => p.end())));
export const newPool = (databaseUrl = baseEnv.DATABASE_URL) => {
  const pool = createPool(poolConfigFor(databaseUrl, caCert));
  pools.push(pool);
  return pool;
};

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown> | null;
}

/** The app's /api/auth/* (route handler + throttle + Better Auth) with the given settings. */
export function app(envOverrides: Record<string, string> = {}, settings: Partial<ThrottleSettings> = {}, databaseUrl = baseEnv.DATABASE_URL) {
  // Email verification off: users here sign in at once (the verification flow: account-mail.integration.test.ts).
  const env = parseServerEnv({ ...testEnv, REQUIRE_EMAIL_VERIFICATION: "false", ...envOverrides });
  const pool = newPool(databaseUrl);
  const auth = betterAuth(authOptions(env, pool));
  const handle = authRouteHandler(authThrottle(auth, pool, env, settings));
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await handle(
      new Request(`${base}/api/auth${path}`, {
        method,
        headers: { origin: base, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      }),
    );
    const text = await res.text();
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      parsed = null;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) => send("POST", path, body, headers);
  const get = (path: string, headers: Record<string, string> = {}) => send("GET", path, undefined, headers);
  /** A new account, signed in: its email and the session cookie to send. */
  const signUp = async (headers: Record<string, string> = {}) => {
    const email = newEmail();
    const res = await handle(
      new Request(`${base}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { origin: base, "content-type": "application/json", ...headers },
        body: JSON.stringify({ name: "Victim", email, password: PASSWORD }),
      }),
    );
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    return { email, cookie: { cookie } };
  };
  return { post, get, signUp, pool };
}

/**
 * Returns once the account's lock has passed by the database's clock, the one the lock is kept by: a bounded
 * poll of its row (the locks here last at most FAST_LOCK's 2 s), never a guessed sleep.
 */
export async function lockPassed(pool: Pool, email: string): Promise<void> {
  const key = throttleKeys(baseEnv.BETTER_AUTH_SECRET)("sign-in-account", email.toLowerCase());
  const passed = async () =>
    (await pool.query<{ passed: boolean }>("SELECT locked_until IS NULL OR locked_until <= now() AS passed FROM auth_throttle WHERE key = $1", [key])).rows[0]?.passed;
  await expect.poll(passed, { timeout: 5_000, interval: 50 }).toBe(true);
}

export const expectRateLimited = (r: Answer) => {
  expect(r.status).toBe(429);
  const retryAfter = Number(r.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(r.body).toEqual({ code: "RATE_LIMITED", message: expect.stringMatching(/^Too many attempts\. Please try again in \d+ (seconds?|minutes)\.$/) });
  return retryAfter;
};

/**
 * Better Auth logs each sign-in it refuses ("User not found", "Invalid password") and answers 401
 * all the same. Captured for the test; the returned function counts what reached Better Auth.
 */
export const quietSignInLogs = () => {
  const warnings = captureConsole("warn");
  return () => {
    const lines = warnings.lines();
    for (const line of lines) expect(line).toMatch(/User not found|Invalid password/);
    return { unknown: lines.filter((l) => l.includes("User not found")).length, wrong: lines.filter((l) => l.includes("Invalid password")).length };
  };
};

