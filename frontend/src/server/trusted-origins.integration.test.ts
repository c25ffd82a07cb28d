// Preview deployments: Better Auth as the app configures it trusts BETTER_AUTH_URL's origin and the
// origins of BETTER_AUTH_TRUSTED_ORIGINS (exact or narrow pattern), and nothing a request says
// about itself: a Host or X-Forwarded-Host naming the caller's origin does not make it trusted.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { afterAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { captureConsole } from "@/test/console-capture";
import { authOptions } from "./auth-options";
import { createPool, poolConfigFor } from "./db";

if (!process.env.DATABASE_URL) {
  throw new Error(
    "trusted-origins.integration needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

const PREVIEW = "https://app-git-feature-team.vercel.app";
const env = parseServerEnv({
  ...process.env,
  // Users here sign in at once (no email verification step, where that setting exists).
  REQUIRE_EMAIL_VERIFICATION: "false",
  BETTER_AUTH_TRUSTED_ORIGINS: "https://www.example.test,https://app-*-team.vercel.app",
});
const pool = createPool(poolConfigFor(env.DATABASE_URL, env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT) : undefined));
const auth = betterAuth({ ...authOptions(env, pool), rateLimit: { enabled: false } });
afterAll(() => pool.end());

const base = env.BETTER_AUTH_URL;

function post(path: string, body: unknown, headers: Record<string, string>) {
  return auth.handler(
    new Request(`${base}/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
}

async function signedInCookie(): Promise<string> {
  const email = `origins-${randomUUID()}@example.test`;
  const res = await post("/sign-up/email", { name: "Ada", email, password: "Correct-Horse-9-battery" }, { origin: base });
  expect(res.status).toBe(200);
  const raw = res.headers.getSetCookie().find((c) => c.includes("session_token="));
  if (!raw) throw new Error("no session cookie");
  return raw.split(";")[0]!;
}

const rename = (cookie: string, origin: string, extra: Record<string, string> = {}) =>
  post("/update-user", { name: "Renamed" }, { cookie, origin, ...extra });

describe("trusted origins", () => {
  it("accepts BETTER_AUTH_URL's origin, a listed origin and one a pattern matches", async () => {
    const cookie = await signedInCookie();
    for (const origin of [new URL(base).origin, "https://www.example.test", PREVIEW]) {
      expect((await rename(cookie, origin)).status, origin).toBe(200);
    }
  });

  it("refuses any other origin, whatever the request says its host is", async () => {
    const cookie = await signedInCookie();
    const logged = captureConsole("error");
    const refused = ["https://evil.vercel.app", "https://app-x.evil.test", "https://app-a.b-team.vercel.app.evil.test"];
    for (const origin of refused) {
      const res = await rename(cookie, origin, { host: new URL(origin).host, "x-forwarded-host": new URL(origin).host });
      expect(res.status, origin).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe("INVALID_ORIGIN");
    }
    expect(logged.lines().filter((l) => l.includes("Invalid origin"))).toHaveLength(refused.length);
  });
});
