// Better Auth as configured for the app, on the real (TLS) test database: the password hook,
// duplicate emails, the token endpoint and forced session revocation on password change.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { Pool } from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { captureConsole } from "@/test/console-capture";
import { authOptions } from "./auth-options";
import { poolConfigFor } from "./db";

if (!process.env.DATABASE_URL) {
  throw new Error(
    "auth.integration needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

// Better Auth alone (no throttle in front, and its own limiter off): nothing here is limited.
// Email verification off: users here sign in at once (the verification flow: account-mail.integration.test.ts).
const env = parseServerEnv({ ...process.env, REQUIRE_EMAIL_VERIFICATION: "false" });
const pool = new Pool(poolConfigFor(env.DATABASE_URL, env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT) : undefined));
const auth = betterAuth(authOptions(env, pool));
afterAll(() => pool.end());

const base = env.BETTER_AUTH_URL;
const GOOD_PASSWORD = "Correct-Horse-9-battery";
const newEmail = () => `it-${randomUUID()}@example.test`;

async function post(path: string, body: unknown, cookie?: string) {
  const res = await auth.handler(
    new Request(`${base}/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    }),
  );
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null, cookie: sessionCookie(res) };
}

function sessionCookie(res: Response): string | undefined {
  const raw = res.headers.getSetCookie().find((c) => c.includes("session_token="));
  return raw?.split(";")[0];
}

async function getToken(cookie?: string) {
  const res = await auth.handler(new Request(`${base}/api/auth/token`, { headers: cookie ? { cookie } : {} }));
  return { status: res.status, body: (await res.json()) as { token?: string; expiresAt?: number; code?: string } };
}

async function signUp(email = newEmail(), password = GOOD_PASSWORD) {
  const r = await post("/sign-up/email", { name: "Ada Lovelace", email, password });
  expect(r.status).toBe(200);
  return { email, cookie: r.cookie!, userId: (r.body!.user as { id: string }).id };
}

describe("sign-up", () => {
  it("signs the new user in at once (autoSignIn) and stores a lowercased email", async () => {
    const email = `Mixed-${randomUUID()}@Example.test`;
    const { cookie } = await signUp(email);
    expect(cookie).toMatch(/session_token=/);
    const { rows } = await pool.query<{ email: string }>('select email from "user" where email = $1', [email.toLowerCase()]);
    expect(rows).toHaveLength(1);
  });

  it("refuses a weak password with field-level errors, and creates no user", async () => {
    const email = newEmail();
    const r = await post("/sign-up/email", { name: "Weak", email, password: "alllowercase1" });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: "PASSWORD_NEEDS_UPPERCASE", field: "password" });
    expect(r.body!.fields).toEqual([{ field: "password", code: "PASSWORD_NEEDS_UPPERCASE", message: "Password must contain an uppercase letter." }]);
    expect(JSON.stringify(r.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    const { rowCount } = await pool.query('select 1 from "user" where email = $1', [email]);
    expect(rowCount).toBe(0);
  });

  it("refuses a password that is easy to guess and a blank name", async () => {
    const r = await post("/sign-up/email", { name: "   ", email: newEmail(), password: "Password1" });
    expect(r.status).toBe(422);
    expect((r.body!.fields as Array<{ code: string }>).map((f) => f.code)).toEqual(["NAME_REQUIRED", "PASSWORD_TOO_WEAK"]);
  });

  it("accepts a 128 code point password and refuses 129, never truncating", async () => {
    const warnings = captureConsole("warn");
    const long = "Aa1" + "😀🎻🌵🦉🧲".repeat(25); // 128 code points, hard to guess
    const { email } = await signUp(newEmail(), long);
    expect((await post("/sign-in/email", { email, password: long })).status).toBe(200);
    expect((await post("/sign-in/email", { email, password: long.slice(0, -2) })).status).toBe(401);
    expect(warnings.lines()).toEqual([expect.stringContaining("Invalid password")]); // Better Auth's log of the 401
    expect((await post("/sign-up/email", { name: "Long", email: newEmail(), password: long + "x" })).body).toMatchObject({ code: "PASSWORD_TOO_LONG" });
  });

  it("refuses a duplicate email cleanly, whatever its case (never 5xx)", async () => {
    const { email } = await signUp();
    const r = await post("/sign-up/email", { name: "Twin", email: email.toUpperCase(), password: GOOD_PASSWORD });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" });
  });
});

describe("GET /api/auth/token", () => {
  it("answers 401 without a session", async () => {
    const r = await getToken();
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("issues an HS256 at+jwt for the session's user and session id", async () => {
    const { cookie, userId } = await signUp();
    const r = await getToken(cookie);
    expect(r.status).toBe(200);
    const token = r.body.token!;
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "at+jwt" });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(env.BETTER_AUTH_SECRET), {
      algorithms: ["HS256"], typ: "at+jwt", issuer: env.BACKEND_JWT_ISSUER, audience: env.BACKEND_JWT_AUDIENCE,
    });
    expect(payload.sub).toBe(userId);
    expect(payload.exp! - payload.iat!).toBe(env.BACKEND_JWT_LIFETIME_SECONDS);
    expect(r.body.expiresAt).toBe(payload.exp);
    const { rows } = await pool.query<{ id: string; token: string }>("select id, token from session where user_id = $1", [userId]);
    expect(payload.sid).toBe(rows[0]!.id);
    expect(payload.sid).not.toBe(rows[0]!.token); // the session id, never the session token
    expect(Object.keys(decodeJwt(token))).not.toContain("email");
  });

  it("answers 401 once the session is signed out", async () => {
    const { cookie } = await signUp();
    expect((await post("/sign-out", {}, cookie)).status).toBe(200);
    expect((await getToken(cookie)).status).toBe(401);
  });
});

describe("change password", () => {
  it("always revokes the other sessions, even when the client asks not to", async () => {
    const { email, cookie: first, userId } = await signUp();
    const second = (await post("/sign-in/email", { email, password: GOOD_PASSWORD })).cookie!;
    const r = await post("/change-password", { currentPassword: GOOD_PASSWORD, newPassword: "Another-Horse-8-staple", revokeOtherSessions: false }, second);
    expect(r.status).toBe(200);
    expect((await getToken(first)).status).toBe(401);
    const { rows } = await pool.query("select id from session where user_id = $1", [userId]);
    expect(rows).toHaveLength(1); // only the re-created current session
    expect((await getToken(r.cookie)).status).toBe(200);
  });

  it("refuses a new password equal to the current one, and keeps the other sessions", async () => {
    const { email, cookie: first } = await signUp();
    const second = (await post("/sign-in/email", { email, password: GOOD_PASSWORD })).cookie!;
    const r = await post("/change-password", { currentPassword: GOOD_PASSWORD, newPassword: GOOD_PASSWORD }, second);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ field: "password", code: "PASSWORD_UNCHANGED" });
    expect((await getToken(first)).status).toBe(200);
  });

  it("applies the password policy to the new password", async () => {
    const { cookie } = await signUp();
    const r = await post("/change-password", { currentPassword: GOOD_PASSWORD, newPassword: "short" }, cookie);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ field: "password", code: "PASSWORD_TOO_SHORT" });
  });
});
