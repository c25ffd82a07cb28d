// Session cookies as the app configures Better Auth (auth-options.ts), on the real (TLS) test
// database: `Secure` and `__Secure-`-prefixed in production builds even on an http BETTER_AUTH_URL,
// and whenever BETTER_AUTH_URL is https; plain in development on http (docs/security.md "Cookies").
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import type { Pool } from "pg";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { authOptions } from "./auth-options";
import { createPool, poolConfigFor } from "./db";

if (!process.env.DATABASE_URL) {
  throw new Error(
    "secure-cookies.integration needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

const pools: Pool[] = [];
afterAll(() => Promise.all(pools.map((p) => p.end())));
afterEach(() => vi.unstubAllEnvs());

/** Signs up through Better Auth built for `nodeEnv` and `publicUrl`; the parsed session cookie and a session check with it. */
async function signUpWith(nodeEnv: string, publicUrl: string) {
  vi.stubEnv("NODE_ENV", nodeEnv);
  // Email verification off: users here sign in at once (the verification flow: account-mail.integration.test.ts).
  const env = parseServerEnv({ ...process.env, REQUIRE_EMAIL_VERIFICATION: "false", BETTER_AUTH_URL: publicUrl });
  const pool = createPool(poolConfigFor(env.DATABASE_URL, env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT) : undefined));
  pools.push(pool);
  const auth = betterAuth({ ...authOptions(env, pool), rateLimit: { enabled: false } });
  const res = await auth.handler(
    new Request(`${publicUrl}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: publicUrl },
      body: JSON.stringify({ name: "Cookie Monster", email: `cookie-${randomUUID()}@example.test`, password: "Correct-Horse-9-battery" }),
    }),
  );
  expect(res.status).toBe(200);
  const raw = res.headers.getSetCookie().find((c) => c.includes("session_token="));
  if (!raw) throw new Error("no session cookie");
  const [pair, ...attrs] = raw.split(";").map((p) => p.trim());
  const name = pair!.slice(0, pair!.indexOf("="));
  const session = await auth.handler(new Request(`${publicUrl}/api/auth/get-session`, { headers: { cookie: pair! } }));
  const sessionUser = ((await session.json()) as { user?: { name: string } } | null)?.user?.name;
  return { name, attrs: attrs.map((a) => a.toLowerCase()), sessionUser };
}

describe("session cookie", () => {
  it("production on http: __Secure- prefix, Secure, HttpOnly, SameSite=Lax, Path=/, and it signs the user in", async () => {
    const c = await signUpWith("production", "http://localhost:3100");
    expect(c.name).toBe("__Secure-better-auth.session_token");
    expect(c.attrs).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));
    expect(c.sessionUser).toBe("Cookie Monster");
  });

  it("any mode on https: __Secure- prefix and Secure", async () => {
    const c = await signUpWith("development", "https://auth.example.test");
    expect(c.name).toBe("__Secure-better-auth.session_token");
    expect(c.attrs).toContain("secure");
    expect(c.sessionUser).toBe("Cookie Monster");
  });

  it("development on http (npm run dev): a plain cookie the browser keeps on http://localhost", async () => {
    const c = await signUpWith("development", "http://localhost:3000");
    expect(c.name).toBe("better-auth.session_token");
    expect(c.attrs).not.toContain("secure");
    expect(c.attrs).toEqual(expect.arrayContaining(["httponly", "samesite=lax"]));
  });
});
