// The account lifecycle by email, as the app runs it (route handler + throttle + Better Auth with
// verification on, the product default) on the real TLS test database, with real SMTP into the
// test mail catcher (src/test/mail-catcher.ts): verification links (use, reuse, expiry, tampering),
// the enumeration-safe sign-up and password reset (same status and body, timing within noise over
// several samples), the reset's single-use link and its end of every session, the throttle on the
// mail routes, and a mail server that is down.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { SignJWT } from "jose";
import type { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { captureConsole } from "@/test/console-capture";
import { ensureMailCatcher, linksOf, mailsTo, SMTP_URL, waitForMail, type CaughtMail } from "@/test/mail-catcher";
import { authOptions } from "../auth-options";
import { authRouteHandler } from "../auth-route";
import { createPool, poolConfigFor } from "../db";
import { authThrottle } from "../throttle";
import type { ThrottleSettings } from "../throttle-settings";
import { verificationLinkProblem } from "./verification-link";

if (!process.env.DATABASE_URL) {
  throw new Error(
    "account-mail.integration needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

const baseEnv = parseServerEnv({ ...process.env, SMTP_URL, REQUIRE_EMAIL_VERIFICATION: "true" });
const caCert = baseEnv.DATABASE_CA_CERT ? resolveFromRepoRoot(baseEnv.DATABASE_CA_CERT) : undefined;
const base = baseEnv.BETTER_AUTH_URL;
const PASSWORD = "Correct-Horse-9-battery";
const NEW_PASSWORD = "Other-Horse-7-staple";
const newEmail = (tag = "mail") => `${tag}-${randomUUID()}@example.test`;

const pools: Pool[] = [];
let stopCatcher: () => void = () => undefined;
beforeAll(async () => {
  stopCatcher = await ensureMailCatcher();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  stopCatcher();
});

interface Answer {
  status: number;
  body: Record<string, unknown> | null;
  cookie?: string;
  location: string | null;
  ms: number;
}

/** The app's /api/auth/* with the given settings. */
function app(envOverrides: Record<string, string> = {}, settings: Partial<ThrottleSettings> = {}) {
  const env = parseServerEnv({ ...process.env, SMTP_URL, REQUIRE_EMAIL_VERIFICATION: "true", ...envOverrides });
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

const main = app();
/** Many sign-ups of one email (the enumeration samples) stay under the per-email limit. */
const roomy = app({}, { signUpPerEmail: { limit: 1000, seconds: 3600 } });

/** The token in the single action link of `mail`, whose page is `path` on the public URL. */
function tokenOf(mail: CaughtMail, path: string): string {
  const links = linksOf(mail);
  expect(links).toHaveLength(1);
  const url = new URL(links[0]!);
  expect(url.origin + url.pathname).toBe(`${base}${path}`);
  expect(mail.text).toContain(links[0]!);
  return url.searchParams.get("token")!;
}

async function signUp(email = newEmail(), a = main) {
  const r = await a.post("/sign-up/email", { name: "Ada Lovelace", email, password: PASSWORD });
  expect(r.status).toBe(200);
  return { email, answer: r };
}

/** A confirmed, signed-in user: the link opened in a browser that signs in with the password (src/server/verify-address/). */
async function verifiedUser(a = main) {
  const { email } = await signUp(newEmail(), a);
  const token = tokenOf(await waitForMail(email, /Confirm your email/), "/verify-email");
  const verified = await a.post("/verify-address/with-password", { token, password: PASSWORD });
  expect(verified.status).toBe(200);
  return { email, cookie: verified.cookie! };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The body with what is random per answer (ids, timestamps) masked. */
const shape = (body: Record<string, unknown> | null) => JSON.parse(JSON.stringify(body, (k, v) => (["id", "createdAt", "updatedAt"].includes(k) ? "…" : v)));

describe("email verification", () => {
  it("sign-up signs nobody in and mails one link (HTML and text, product name) to the public URL", async () => {
    const { email, answer } = await signUp();
    expect(answer.cookie).toBeUndefined();
    expect(answer.body).toMatchObject({ token: null, user: { email, emailVerified: false } });
    const mail = await waitForMail(email, /Confirm your email/);
    expect(mail.from[0]).toMatchObject({ address: expect.any(String) });
    expect(mail.html).toContain("authbridge");
    expect(mail.text).toContain("authbridge");
    expect(mail.text).toContain("60 minutes");
    tokenOf(mail, "/verify-email");
  });

  it("refuses to sign in before the email is verified (only with the right password), then signs in after", async () => {
    const { email } = await signUp();
    const wrong = await main.post("/sign-in/email", { email, password: NEW_PASSWORD });
    expect(wrong.status).toBe(401);
    const early = await main.post("/sign-in/email", { email, password: PASSWORD });
    expect(early.status).toBe(403);
    expect(early.body).toMatchObject({ code: "EMAIL_NOT_VERIFIED" });
    expect(early.cookie).toBeUndefined();

    const token = tokenOf(await waitForMail(email, /Confirm your email/), "/verify-email");
    expect(await verificationLinkProblem(token, baseEnv.BETTER_AUTH_SECRET, main.pool)).toBeNull();
    const verified = await main.post("/verify-address/with-password", { token, password: PASSWORD });
    expect(verified.status).toBe(200);
    expect(verified.cookie).toMatch(/session_token=/); // the link with the password signs the user in
    expect((await main.get("/token", verified.cookie)).status).toBe(200);
    expect((await main.post("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  });
});

describe("email verification links: broken ones named, new ones on request", () => {
  it("names a used, expired, tampered or foreign link, so the page can offer a new one", async () => {
    const { email } = await signUp();
    const token = tokenOf(await waitForMail(email, /Confirm your email/), "/verify-email");
    const secret = baseEnv.BETTER_AUTH_SECRET;
    const [head, payload, signature] = token.split(".");
    const flipped = `${head}.${payload}.${signature!.startsWith("A") ? "B" : "A"}${signature!.slice(1)}`;
    expect(await verificationLinkProblem(flipped, secret, main.pool)).toBe("invalid");
    expect(await verificationLinkProblem("not-a-token", secret, main.pool)).toBe("invalid");
    const userId = (await main.pool.query<{ id: string }>('SELECT id FROM "user" WHERE email = $1', [email])).rows[0]!.id;
    const key = new TextEncoder().encode(secret);
    const expired = await new SignJWT({ email, userId }).setProtectedHeader({ alg: "HS256" }).setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 3600).sign(key);
    expect(await verificationLinkProblem(expired, secret, main.pool)).toBe("expired");
    const foreign = await new SignJWT({ email, userId }).setProtectedHeader({ alg: "HS256" }).setExpirationTime("1h").sign(new TextEncoder().encode(`${secret}-other`));
    expect(await verificationLinkProblem(foreign, secret, main.pool)).toBe("invalid");

    // A tampered link is refused and signs nobody in; the real one works once.
    const refused = await main.post("/verify-address/with-password", { token: flipped, password: PASSWORD });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: "INVALID_TOKEN" });
    expect(refused.cookie).toBeUndefined();
    expect((await main.post("/verify-address/with-password", { token, password: PASSWORD })).status).toBe(200);
    expect(await verificationLinkProblem(token, secret, main.pool)).toBe("used");
  });

  it("resends a link on request, the same answer for any address, and throttles per address", async () => {
    const { email } = await signUp();
    await waitForMail(email, /Confirm your email/);
    const before = (await mailsTo(email)).length;
    const known = await main.post("/send-verification-email", { email, callbackURL: "/dashboard" });
    const unknown = await main.post("/send-verification-email", { email: newEmail("nobody"), callbackURL: "/dashboard" });
    expect([known.status, unknown.status]).toEqual([200, 200]);
    expect(known.body).toEqual(unknown.body);
    await expect.poll(async () => (await mailsTo(email)).length).toBe(before + 1);
    const limit = baseEnv.AUTH_RATE_LIMIT_MAIL_PER_EMAIL_PER_HOUR;
    for (let i = 1; i < limit; i++) expect((await main.post("/send-verification-email", { email })).status).toBe(200);
    const limited = await main.post("/send-verification-email", { email });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: "RATE_LIMITED" });
  });
});

describe("a sign-up that reveals nothing", () => {
  it("answers an existing email like a new one (status, body, time) and tells the owner", async () => {
    const { email: existing } = await signUp(newEmail("owner"), roomy);
    const samples = 6;
    const taken: Answer[] = [];
    const fresh: Answer[] = [];
    for (let i = 0; i < samples; i++) {
      taken.push(await roomy.post("/sign-up/email", { name: "Ada Lovelace", email: existing, password: PASSWORD }));
      fresh.push(await roomy.post("/sign-up/email", { name: "Ada Lovelace", email: newEmail("fresh"), password: PASSWORD }));
    }
    for (const [t, f] of taken.map((t, i) => [t, fresh[i]!] as const)) {
      expect(t.status).toBe(200);
      expect(f.status).toBe(200);
      expect(Object.keys(t.body!.user as object).sort()).toEqual(Object.keys(f.body!.user as object).sort());
      expect({ ...shape(t.body), user: { ...shape(t.body).user, email: "…" } }).toEqual({ ...shape(f.body), user: { ...shape(f.body).user, email: "…" } });
    }
    const [mt, mf] = [median(taken.map((a) => a.ms)), median(fresh.map((a) => a.ms))];
    // Both hash the password (the cost that dominates); the new account's few inserts are noise.
    expect(Math.abs(mt - mf), `medians: existing ${mt.toFixed(1)} ms, new ${mf.toFixed(1)} ms`).toBeLessThan(Math.max(25, 0.3 * Math.max(mt, mf)));
    const notice = await waitForMail(existing, /You already have an account/);
    expect(new URL(linksOf(notice)[0]!).pathname).toBe("/forgot-password");
    expect((await mailsTo(existing)).filter((m) => /Confirm your email/.test(m.subject))).toHaveLength(1);
  });

  it("answers concurrent sign-ups with one email alike: 200 each, one user", async () => {
    const errors = captureConsole("error"); // Better Auth logs each unique violation it lost
    const email = newEmail("racer");
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => roomy.post("/sign-up/email", { name: `Racer ${i}`, email, password: PASSWORD })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(errors.lines().every((l) => !l.includes("auth: unexpected error"))).toBe(true);
    const keys = new Set(answers.map((a) => JSON.stringify(Object.keys(a.body!.user as object).sort())));
    expect(keys.size).toBe(1);
    expect(answers.every((a) => a.body!.token === null && (a.body!.user as { email: string }).email === email)).toBe(true);
    const { rows } = await roomy.pool.query('SELECT count(*)::int AS n FROM "user" WHERE email = $1', [email]);
    expect(rows[0]).toEqual({ n: 1 });
  });
});

describe("forgotten password", () => {
  it("answers known and unknown emails alike (status, body, time)", async () => {
    const { email } = await verifiedUser();
    const known: Answer[] = [];
    const unknown: Answer[] = [];
    const wide = app({ AUTH_RATE_LIMIT_MAIL_PER_EMAIL_PER_HOUR: "1000" });
    for (let i = 0; i < 6; i++) {
      known.push(await wide.post("/request-password-reset", { email }));
      unknown.push(await wide.post("/request-password-reset", { email: newEmail("nobody") }));
    }
    for (const a of [...known, ...unknown]) {
      expect(a.status).toBe(200);
      expect(a.body).toEqual(known[0]!.body);
    }
    const [mk, mu] = [median(known.map((a) => a.ms)), median(unknown.map((a) => a.ms))];
    expect(Math.abs(mk - mu), `medians: known ${mk.toFixed(1)} ms, unknown ${mu.toFixed(1)} ms`).toBeLessThan(25);
  });

  it("mails a single-use link; the reset ends every session and sends a notice", async () => {
    const { email, cookie } = await verifiedUser();
    const second = await main.post("/sign-in/email", { email, password: PASSWORD });
    expect((await main.post("/request-password-reset", { email })).status).toBe(200);
    const mail = await waitForMail(email, /Reset your password/);
    const token = tokenOf(mail, "/reset-password");
    expect(mail.text).toContain("60 minutes");

    const weak = await main.post("/reset-password", { token, newPassword: "short" });
    expect(weak.status).toBe(422); // the password policy, and the link stays good
    const reset = await main.post("/reset-password", { token, newPassword: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    for (const c of [cookie, second.cookie!]) expect((await main.get("/token", c)).status).toBe(401);
    // Every session before it is gone; the one left is the reset's own, in this browser (reset-sign-in.ts).
    const { rows } = await main.pool.query('SELECT count(*)::int AS n FROM session s JOIN "user" u ON u.id = s.user_id WHERE u.email = $1', [email]);
    expect(rows[0]).toEqual({ n: 1 });
    expect((await main.get("/token", reset.cookie!)).status).toBe(200);
    const again = await main.post("/reset-password", { token, newPassword: "Third-Horse-5-staple" });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: "INVALID_TOKEN" });
    expect((await main.post("/sign-in/email", { email, password: NEW_PASSWORD })).status).toBe(200);
    await waitForMail(email, /Your password was changed/);
  });
});

describe("forgotten password: tokens refused, and the notice after a change", () => {
  it("refuses an expired or made-up token", async () => {
    const { email } = await verifiedUser();
    await main.post("/request-password-reset", { email });
    const token = tokenOf(await waitForMail(email, /Reset your password/), "/reset-password");
    expect((await main.post("/reset-password", { token: `${token}x`, newPassword: NEW_PASSWORD })).body).toMatchObject({ code: "INVALID_TOKEN" });
    await main.pool.query("UPDATE verification SET expires_at = now() - interval '1 second' WHERE identifier = $1", [`reset-password:${token}`]);
    const expired = await main.post("/reset-password", { token, newPassword: NEW_PASSWORD });
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({ code: "INVALID_TOKEN" });
  });

  it("sends a notice after a change of password too", async () => {
    const { email, cookie } = await verifiedUser();
    const changed = await main.post("/change-password", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeOtherSessions: true }, cookie);
    expect(changed.status).toBe(200);
    const notice = await waitForMail(email, /Your password was changed/);
    expect(notice.text).toContain("changed from your settings");
  });
});

describe("deleting the account", () => {
  const rowsOf = async (pool: Pool, email: string) => {
    const { rows } = await pool.query<{ users: number; sessions: number; tasks: number }>(
      `SELECT (SELECT count(*)::int FROM "user" WHERE email = $1) AS users,
              (SELECT count(*)::int FROM session s JOIN "user" u ON u.id = s.user_id WHERE u.email = $1) AS sessions,
              (SELECT count(*)::int FROM task t JOIN "user" u ON u.id = t.user_id WHERE u.email = $1) AS tasks`,
      [email],
    );
    return rows[0]!;
  };
  const withTask = async (email: string) => {
    await main.pool.query(`INSERT INTO task (id, user_id, title) SELECT gen_random_uuid(), id, 'kept?' FROM "user" WHERE email = $1`, [email]);
  };

  it("needs the current password; then the user, their sessions and tasks are gone, and a goodbye email follows", async () => {
    const { email, cookie } = await verifiedUser();
    await withTask(email);
    const wrong = await main.post("/delete-user", { password: NEW_PASSWORD }, cookie);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: "INVALID_PASSWORD" });
    expect(await rowsOf(main.pool, email)).toEqual({ users: 1, sessions: 1, tasks: 1 });
    const userId = (await main.pool.query<{ id: string }>('SELECT id FROM "user" WHERE email = $1', [email])).rows[0]!.id;

    const deleted = await main.post("/delete-user", { password: PASSWORD }, cookie);
    expect(deleted.status).toBe(200);
    const { rows } = await main.pool.query(
      "SELECT (SELECT count(*)::int FROM session WHERE user_id = $1) + (SELECT count(*)::int FROM task WHERE user_id = $1) + (SELECT count(*)::int FROM account WHERE user_id = $1) AS n",
      [userId],
    );
    expect(rows[0]).toEqual({ n: 0 });
    expect((await rowsOf(main.pool, email)).users).toBe(0);
    expect((await main.get("/token", cookie)).status).toBe(401);
    await waitForMail(email, /Your account was deleted/);
  });

  it("or a fresh email link: single use, and refused once expired", async () => {
    const { email, cookie } = await verifiedUser();
    await withTask(email);
    expect((await main.post("/delete-user/request-link", {}, cookie)).status).toBe(200);
    const stale = new URL(linksOf(await waitForMail(email, /Confirm the deletion/))[0]!);
    expect(stale.origin + stale.pathname).toBe(`${base}/settings/danger`);
    const staleToken = stale.searchParams.get("token")!;
    await main.pool.query("UPDATE verification SET expires_at = now() - interval '1 second' WHERE identifier = $1", [`delete-account-${staleToken}`]);
    const expired = await main.post("/delete-user", { token: staleToken }, cookie);
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({ code: "INVALID_TOKEN" });
    expect((await main.post("/delete-user", { token: "made-up" }, cookie)).body).toMatchObject({ code: "INVALID_TOKEN" });
    expect((await rowsOf(main.pool, email)).users).toBe(1);

    const seen = new Set((await mailsTo(email)).map((m) => m.id));
    expect((await main.post("/delete-user/request-link", {}, cookie)).status).toBe(200);
    await expect.poll(async () => (await mailsTo(email)).filter((m) => !seen.has(m.id)).length).toBe(1);
    const token = tokenOf((await mailsTo(email)).find((m) => !seen.has(m.id))!, "/settings/danger");
    expect(token).not.toBe(staleToken);
    expect((await main.post("/delete-user", { token }, cookie)).status).toBe(200);
    expect(await rowsOf(main.pool, email)).toEqual({ users: 0, sessions: 0, tasks: 0 });
    expect((await main.post("/delete-user", { token }, cookie)).body).toMatchObject({ code: "INVALID_TOKEN" }); // used up
  });
});

describe("a mail server that is down", () => {
  it("never fails or slows the request; the failure is logged with its cause", async () => {
    const errors = captureConsole("error");
    const down = app({ SMTP_URL: "smtp://127.0.0.1:9" }); // discard port: nothing listens
    const email = newEmail("outage");
    const r = await down.post("/sign-up/email", { name: "Ada Lovelace", email, password: PASSWORD });
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(2000);
    expect((await down.post("/request-password-reset", { email })).status).toBe(200);
    await expect.poll(() => errors.lines().filter((l) => l.startsWith("mail: could not send")).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    expect(errors.lines().find((l) => l.startsWith("mail: could not send"))).toMatch(/^mail: could not send a verification email to o…@example\.test: .*ECONNREFUSED 127\.0\.0\.1:9/);
  });
});
