// The backend token as the app issues it, on the real (TLS) test database: the plugin of
// @authbridge/better-auth installed by auth-options.ts with the env's settings, and the path the
// pages take (session.ts getBackendToken → backendTokenForSession with the session already read).
// Non-default settings here, so a token that fell back to the package's defaults would fail.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { backendTokenForSession } from "@authbridge/better-auth";
import { betterAuth } from "better-auth";
import { jwtVerify } from "jose";
import { Pool } from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { authOptions } from "./auth-options";
import { poolConfigFor } from "./db";

if (!process.env.DATABASE_URL) {
  throw new Error("backend-token.integration needs DATABASE_URL: run `npm test` from the repo root, or `source .dev/test-env.sh` first.");
}

const env = parseServerEnv({
  ...process.env,
  REQUIRE_EMAIL_VERIFICATION: "false",
  BACKEND_JWT_ISSUER: "it-frontend",
  BACKEND_JWT_AUDIENCE: "it-backend",
  BACKEND_JWT_LIFETIME_SECONDS: "3600",
});
const pool = new Pool(poolConfigFor(env.DATABASE_URL, env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT) : undefined));
const auth = betterAuth(authOptions(env, pool));
afterAll(() => pool.end());

const base = env.BETTER_AUTH_URL;
const key = new TextEncoder().encode(env.BETTER_AUTH_SECRET);
const verify = (token: string) => jwtVerify(token, key, { algorithms: ["HS256"], typ: "at+jwt", issuer: "it-frontend", audience: "it-backend" });

async function signUp(): Promise<Headers> {
  const res = await auth.handler(
    new Request(`${base}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ name: "Ada Lovelace", email: `bt-${randomUUID()}@example.test`, password: "Correct-Horse-9-battery" }),
    }),
  );
  expect(res.status).toBe(200);
  return new Headers({ cookie: res.headers.getSetCookie().find((c) => c.includes("session_token="))!.split(";")[0]! });
}

describe("the app's backend token", () => {
  it("is signed with the env's issuer, audience and lifetime by the endpoint and by the pages' helper alike", async () => {
    const headers = await signUp();
    const session = (await auth.api.getSession({ headers }))!;

    const res = await auth.handler(new Request(`${base}/api/auth/token`, { headers }));
    expect(res.status).toBe(200);
    const fromEndpoint = (await verify(((await res.json()) as { token: string }).token)).payload;

    const issued = await backendTokenForSession(auth, session);
    const fromHelper = (await verify(issued.token)).payload;

    for (const payload of [fromEndpoint, fromHelper]) {
      expect(payload.sub).toBe(session.user.id);
      expect(payload.sid).toBe(session.session.id);
      expect(payload.exp! - payload.iat!).toBe(3600);
    }
    expect(issued.expiresAt).toBe(fromHelper.exp);
  });
});
