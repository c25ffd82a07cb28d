// The app's /api/auth/* as src/app/api/auth/[...all]/route.ts builds it (route handler + throttle +
// Better Auth), on the real TLS test database, with settings of the test's choice, and a small
// client that keeps what a test asserts on: status, JSON body, the session cookie, Location, every
// Set-Cookie.
import { betterAuth } from "better-auth";
import type { Pool } from "pg";
import { parseServerEnv, type ServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { authOptions, signupMarkersFor } from "@/server/auth-options";
import { authRouteHandler } from "@/server/auth-route";
import { createPool, poolConfigFor } from "@/server/db";
import { authThrottle } from "@/server/throttle";
import type { ThrottleSettings } from "@/server/throttle-settings";
import { SMTP_URL } from "./mail-catcher";

export interface Answer {
  status: number;
  body: Record<string, unknown> | null;
  /** `name=value` of a session cookie the answer sets (not one it clears). */
  cookie?: string;
  location: string | null;
  /** Every Set-Cookie value of the answer, whole (attributes included). */
  setCookies: string[];
}

export interface AuthApp {
  env: ServerEnv;
  pool: Pool;
  post(path: string, body: unknown, cookie?: string): Promise<Answer>;
  get(path: string, cookie?: string): Promise<Answer>;
  /** Ends the pool. */
  close(): Promise<void>;
}

/** `envOverrides` on top of the test environment (.dev/test-env.sh), mail into the test catcher. */
export function authApp(envOverrides: Record<string, string> = {}, settings: Partial<ThrottleSettings> = {}): AuthApp {
  // eslint-disable-next-line no-restricted-properties -- the test environment is the base of every test app
  const env = parseServerEnv({ ...process.env, SMTP_URL, ...envOverrides });
  const caCert = env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT) : undefined;
  const pool = createPool(poolConfigFor(env.DATABASE_URL, caCert));
  const auth = betterAuth(authOptions(env, pool));
  const handle = authRouteHandler(authThrottle(auth, pool, env, settings), {
    publicUrl: env.BETTER_AUTH_URL,
    quietDuplicates: env.REQUIRE_EMAIL_VERIFICATION,
    signupMarkers: signupMarkersFor(env),
  });
  const base = env.BETTER_AUTH_URL;
  const send = async (method: string, path: string, body?: unknown, cookie?: string): Promise<Answer> => {
    const res = await handle(
      new Request(`${base}/api/auth${path}`, {
        method,
        headers: { origin: base, ...(body === undefined ? {} : { "content-type": "application/json" }), ...(cookie ? { cookie } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: "manual",
      }),
    );
    const raw = res.headers.getSetCookie().find((c) => c.includes("session_token=") && !/max-age=0/i.test(c));
    return {
      status: res.status,
      body: (await res.json().catch(() => null)) as Answer["body"],
      cookie: raw?.split(";")[0],
      location: res.headers.get("location"),
      setCookies: res.headers.getSetCookie(),
    };
  };
  return {
    env,
    pool,
    post: (path, body, cookie) => send("POST", path, body, cookie),
    get: (path, cookie) => send("GET", path, undefined, cookie),
    close: () => pool.end(),
  };
}
