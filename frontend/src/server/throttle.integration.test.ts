// The throttle (throttle.ts) with the real Better Auth handler behind the app's route handler, on
// the real (TLS) test database: each lock-out attack on the shared limiter it replaces, the
// per-account lock and its expiry, one answer for existing and unknown emails, atomic counting
// under concurrency, cleanup, and the outage answer. Lock durations are shortened, not mocked.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomInt, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { betterAuth } from "better-auth";
import type { Pool } from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { captureConsole } from "@/test/console-capture";
import { startTcpProxy } from "@/test/tcp-proxy";
import { authOptions } from "./auth-options";
import { authRouteHandler } from "./auth-route";
import { createPool, poolConfigFor } from "./db";
import { authThrottle } from "./throttle";
import type { ThrottleSettings } from "./throttle-settings";
import { createThrottleStore, throttleKeys } from "./throttle-store";

if (!process.env.DATABASE_URL) {
  throw new Error(
    "throttle.integration needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

const baseEnv = parseServerEnv(process.env);
const caCert = baseEnv.DATABASE_CA_CERT ? resolveFromRepoRoot(baseEnv.DATABASE_CA_CERT) : undefined;
const base = baseEnv.BETTER_AUTH_URL;
const PASSWORD = "Correct-Horse-9-battery";
const WRONG = "Wrong-Horse-9-battery";
const newEmail = () => `throttle-${randomUUID()}@example.test`;
// Counters outlive a test run: start at a random address so a rerun within the minute starts clean.
let nextIp = randomInt(1 << 24);
/** A fresh client address per call (for instances that trust X-Forwarded-For). */
const freshIp = () => {
  const n = nextIp++ % (1 << 24);
  return `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`;
};
const from = (ip: string) => ({ "x-forwarded-for": ip });
const TRUSTED = { AUTH_TRUSTED_IP_HEADER: "x-forwarded-for" };
/** Locks short enough to wait for. */
const FAST_LOCK: Partial<ThrottleSettings> = { lock: { afterFailures: 5, baseSeconds: 1, maxSeconds: 2, memorySeconds: 60 } };

const pools: Pool[] = [];
afterAll(() => Promise.all(pools.map((p) => p.end())));
const newPool = (databaseUrl = baseEnv.DATABASE_URL) => {
  const pool = createPool(poolConfigFor(databaseUrl, caCert));
  pools.push(pool);
  return pool;
};

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown> | null;
}

/** The app's /api/auth/* (route handler + throttle + Better Auth) with the given settings. */
function app(envOverrides: Record<string, string> = {}, settings: Partial<ThrottleSettings> = {}, databaseUrl = baseEnv.DATABASE_URL) {
  // Email verification off: users here sign in at once (the verification flow: account-mail.integration.test.ts).
  const env = parseServerEnv({ ...process.env, REQUIRE_EMAIL_VERIFICATION: "false", ...envOverrides });
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
async function lockPassed(pool: Pool, email: string): Promise<void> {
  const key = throttleKeys(baseEnv.BETTER_AUTH_SECRET)("sign-in-account", email.toLowerCase());
  const passed = async () =>
    (await pool.query<{ passed: boolean }>("SELECT locked_until IS NULL OR locked_until <= now() AS passed FROM auth_throttle WHERE key = $1", [key])).rows[0]?.passed;
  await expect.poll(passed, { timeout: 5_000, interval: 50 }).toBe(true);
}

const expectRateLimited = (r: Answer) => {
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
const quietSignInLogs = () => {
  const warnings = captureConsole("warn");
  return () => {
    const lines = warnings.lines();
    for (const line of lines) expect(line).toMatch(/User not found|Invalid password/);
    return { unknown: lines.filter((l) => l.includes("User not found")).length, wrong: lines.filter((l) => l.includes("Invalid password")).length };
  };
};

describe("the lock-out attacks on a shared limiter no longer work", () => {
  it("junk sign-ins (body `x`, `{}`, no password) are 400s that cost no one anything: the victim signs in", async () => {
    const reached = quietSignInLogs();
    const { post, signUp } = app(); // no trusted header: every client looks the same
    const victim = await signUp();
    const junk = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        post("/sign-in/email", [`x`, `{}`, JSON.stringify({ email: victim.email }), JSON.stringify({ email: 1, password: "p" })][i % 4]),
      ),
    );
    expect(new Set(junk.map((r) => r.status))).toEqual(new Set([400]));
    expect(junk[0]!.body).toMatchObject({ code: "VALIDATION_ERROR", fields: [{ field: "body" }] });
    expect(junk[2]!.body).toMatchObject({ code: "VALIDATION_ERROR", fields: [{ field: "password" }] });
    expect((await post("/sign-in/email", { email: victim.email, password: PASSWORD })).status).toBe(200);
    expect(reached()).toEqual({ unknown: 0, wrong: 0 }); // the junk never reached Better Auth
  });

  it("non-JSON sign-ins are refused with 400 too", async () => {
    const { post } = app();
    const form = await post("/sign-in/email", "email=a%40b.test&password=x", { "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(400);
    expect(form.body).toMatchObject({ code: "VALIDATION_ERROR", fields: [{ field: "body" }] });
  });

  it("wrong-password sign-ins for other accounts do not touch the victim's (no trusted header)", async () => {
    const reached = quietSignInLogs();
    const { post, signUp } = app({}, FAST_LOCK);
    const victim = await signUp();
    const attempts = await Promise.all(Array.from({ length: 30 }, () => post("/sign-in/email", { email: newEmail(), password: WRONG })));
    expect(attempts.map((r) => r.status)).toEqual(Array(30).fill(401));
    expect(reached().unknown).toBe(30);
    expect((await post("/sign-in/email", { email: victim.email, password: PASSWORD })).status).toBe(200);
  });
});

describe("requests without a session cost nothing, and an address's limit is its own", () => {
  it("unauthenticated change-password requests cost nothing: the user's own change succeeds", async () => {
    const { post, signUp } = app();
    const user = await signUp();
    const anonymous = await Promise.all(
      Array.from({ length: 30 }, () => post("/change-password", { currentPassword: WRONG, newPassword: "Another-Horse-8-staple" })),
    );
    expect(new Set(anonymous.map((r) => r.status))).toEqual(new Set([401]));
    const own = await post("/change-password", { currentPassword: PASSWORD, newPassword: "Another-Horse-8-staple" }, user.cookie);
    expect(own.status).toBe(200);
  });

  it("unauthenticated revoke-sessions requests cost nothing: the user's sign-out everywhere succeeds", async () => {
    const { post, signUp } = app();
    const user = await signUp();
    const anonymous = await Promise.all(Array.from({ length: 310 }, () => post("/revoke-sessions", {})));
    expect(new Set(anonymous.map((r) => r.status))).toEqual(new Set([401]));
    const own = await post("/revoke-sessions", {}, user.cookie);
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ status: true });
  }, 60_000);

  it("unauthenticated token requests cost nothing: the user still gets a token", async () => {
    const { get, signUp } = app();
    const user = await signUp();
    const anonymous = await Promise.all(Array.from({ length: 310 }, () => get("/token")));
    expect(new Set(anonymous.map((r) => r.status))).toEqual(new Set([401]));
    const own = await get("/token", user.cookie);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ token: expect.any(String) });
  }, 60_000);

  it("with a trusted header, one address's limit is its own: other addresses sign in", async () => {
    const reached = quietSignInLogs();
    const { post, signUp } = app({ ...TRUSTED, AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE: "3" });
    const victim = await signUp(from(freshIp()));
    const attacker = from(freshIp());
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post("/sign-in/email", { email: newEmail(), password: WRONG }, attacker)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(reached().unknown).toBe(3); // the refused attempts never reached Better Auth
    expect((await post("/sign-in/email", { email: victim.email, password: PASSWORD }, from(freshIp()))).status).toBe(200);
  });
});

describe("per-account lock", () => {
  it("locks after 5 failures, also against the right password, and lets a sign-in from anywhere through once it has passed", async () => {
    const reached = quietSignInLogs();
    const { post, signUp, pool } = app(TRUSTED, FAST_LOCK);
    const victim = await signUp(from(freshIp()));
    for (let i = 0; i < 5; i++) {
      // A different address each time: rotating addresses does not escape the account's count.
      expect((await post("/sign-in/email", { email: victim.email, password: WRONG }, from(freshIp()))).status).toBe(401);
    }
    const locked = await post("/sign-in/email", { email: ` ${victim.email.toUpperCase()}`.trim(), password: PASSWORD }, from(freshIp()));
    expect(expectRateLimited(locked)).toBe(1);
    await lockPassed(pool, victim.email);
    expect((await post("/sign-in/email", { email: victim.email, password: PASSWORD }, from(freshIp()))).status).toBe(200);
    // The success forgot the failures: five more wrong ones are answered 401 again.
    for (let i = 0; i < 5; i++) expect((await post("/sign-in/email", { email: victim.email, password: WRONG })).status).toBe(401);
    expect(reached()).toEqual({ unknown: 0, wrong: 10 });
  });

  it("each further lock doubles, up to the maximum", async () => {
    const reached = quietSignInLogs();
    const { post, signUp, pool } = app({}, FAST_LOCK); // base 1 s, max 2 s
    const victim = await signUp();
    const lockAfterFailures = async () => {
      for (let i = 0; i < 5; i++) expect((await post("/sign-in/email", { email: victim.email, password: WRONG })).status).toBe(401);
      return expectRateLimited(await post("/sign-in/email", { email: victim.email, password: WRONG }));
    };
    expect(await lockAfterFailures()).toBe(1);
    await lockPassed(pool, victim.email);
    expect(await lockAfterFailures()).toBe(2);
    await lockPassed(pool, victim.email);
    expect(await lockAfterFailures()).toBe(2);
    expect(reached()).toEqual({ unknown: 0, wrong: 15 }); // the refused sixth attempts never reached it
  });
});

describe("per-account lock: the same answer for every email, and no race past it", () => {
  it("answers the same 429 (status, body, headers) for an existing and an unknown email", async () => {
    const reached = quietSignInLogs();
    const { post, signUp } = app({}, { lock: { afterFailures: 5, baseSeconds: 600, maxSeconds: 600, memorySeconds: 60 } });
    const existing = (await signUp()).email;
    const missing = newEmail();
    const fail = (email: string) => post("/sign-in/email", { email, password: WRONG });
    const failures = await Promise.all([existing, missing].flatMap((email) => Array.from({ length: 5 }, () => fail(email))));
    expect(failures.map((r) => r.status)).toEqual(Array(10).fill(401));
    expect(failures[0]!.body).toEqual(failures[9]!.body);
    expect(reached()).toEqual({ unknown: 5, wrong: 5 });

    const comparable = (r: Answer) => ({ status: r.status, text: r.text, headers: [...r.headers].filter(([name]) => name !== "date") });
    // Both answers are computed a few milliseconds apart; retry if a second boundary fell between them.
    let pair: [Answer, Answer] = [await fail(existing), await fail(missing)];
    for (let i = 0; i < 3 && pair[0].headers.get("retry-after") !== pair[1].headers.get("retry-after"); i++) {
      pair = await Promise.all([fail(existing), fail(missing)]);
    }
    expectRateLimited(pair[0]);
    expect(comparable(pair[0])).toEqual(comparable(pair[1]));
    expect(pair[0].body?.message).toBe("Too many attempts. Please try again in 10 minutes.");
  });

  it("50 concurrent wrong passwords for one account: exactly 5 reach the password check", async () => {
    const reached = quietSignInLogs();
    const { post, signUp } = app({}, { lock: { afterFailures: 5, baseSeconds: 600, maxSeconds: 600, memorySeconds: 60 } });
    const victim = await signUp();
    const answers = await Promise.all(Array.from({ length: 50 }, () => post("/sign-in/email", { email: victim.email, password: WRONG })));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(45);
    expect(reached()).toEqual({ unknown: 0, wrong: 5 });
  }, 60_000);
});

describe("per client address, only where it is known", () => {
  it("50 concurrent sign-ins from one address with a limit of 10: exactly 10 get through", async () => {
    const reached = quietSignInLogs();
    const { post } = app(TRUSTED);
    const ip = from(freshIp());
    const answers = await Promise.all(Array.from({ length: 50 }, () => post("/sign-in/email", { email: newEmail(), password: WRONG }, ip)));
    expect(answers.filter((r) => r.status === 401)).toHaveLength(10);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(40);
    expect(reached().unknown).toBe(10);
  }, 60_000);

  it("a client cannot pick its address: without a trusted header X-Forwarded-For is ignored, and a list is no address", async () => {
    const reached = quietSignInLogs();
    const open = app({ AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE: "1" });
    // No address is known, so nothing is counted per address (the account lock still is).
    for (let i = 0; i < 3; i++) expect((await open.post("/sign-in/email", { email: newEmail(), password: WRONG }, from("198.51.100.7"))).status).toBe(401);
    const trusted = app({ ...TRUSTED, AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE: "1" });
    const ip = freshIp();
    expect((await trusted.post("/sign-in/email", { email: newEmail(), password: WRONG }, from(ip))).status).toBe(401);
    expect((await trusted.post("/sign-in/email", { email: newEmail(), password: WRONG }, from(ip))).status).toBe(429);
    // "a, b": which entry did our proxy write? Unknown, so not counted (and not the last entry's bucket).
    for (let i = 0; i < 3; i++) expect((await trusted.post("/sign-in/email", { email: newEmail(), password: WRONG }, from(`${freshIp()}, ${ip}`))).status).toBe(401);
    expect(reached().unknown).toBe(7);
  });

  it("sign-ups: per address where known, per email always; refused content costs nothing", async () => {
    const { post } = app({ ...TRUSTED, AUTH_RATE_LIMIT_SIGN_UP_PER_MINUTE: "2", AUTH_RATE_LIMIT_SIGN_UP_PER_EMAIL_PER_HOUR: "2" });
    const ip = from(freshIp());
    // Weak passwords are refused by the account policy (422) and refunded: not attempts.
    for (let i = 0; i < 4; i++) expect((await post("/sign-up/email", { name: "Weak", email: newEmail(), password: "short" }, ip)).status).toBe(422);
    // Without a valid email the field rules answer and nothing is counted; without JSON, a 400.
    const noEmail = await post("/sign-up/email", { name: "No email", email: "not-an-email", password: PASSWORD }, ip);
    expect(noEmail.status).toBe(422);
    expect(noEmail.body).toMatchObject({ fields: [{ field: "email" }] });
    expect((await post("/sign-up/email", "x", ip)).status).toBe(400);
    expect((await post("/sign-up/email", { name: "One", email: newEmail(), password: PASSWORD }, ip)).status).toBe(200);
    expect((await post("/sign-up/email", { name: "Two", email: newEmail(), password: PASSWORD }, ip)).status).toBe(200);
    expectRateLimited(await post("/sign-up/email", { name: "Three", email: newEmail(), password: PASSWORD }, ip));

    const email = newEmail();
    expect((await post("/sign-up/email", { name: "A", email, password: PASSWORD }, from(freshIp()))).status).toBe(200);
    expect((await post("/sign-up/email", { name: "B", email: ` ${email.toUpperCase()} `.trim(), password: PASSWORD }, from(freshIp()))).status).toBe(422);
    expectRateLimited(await post("/sign-up/email", { name: "C", email, password: PASSWORD }, from(freshIp())));
  });

  it("without a trusted header, many sign-ups and sign-ins from one machine (every browser test user) all succeed", async () => {
    const { post } = app();
    const emails = Array.from({ length: 15 }, newEmail);
    for (const email of emails) expect((await post("/sign-up/email", { name: "Tester", email, password: PASSWORD })).status).toBe(200);
    for (const email of emails) expect((await post("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  }, 60_000);
});

describe("per signed-in user", () => {
  it("wrong current passwords on change-password lock that user only", async () => {
    const { post, signUp } = app({}, { lock: { afterFailures: 5, baseSeconds: 600, maxSeconds: 600, memorySeconds: 60 } });
    const [user, other] = [await signUp(), await signUp()];
    const change = (cookie: { cookie: string }, currentPassword: string) =>
      post("/change-password", { currentPassword, newPassword: "Another-Horse-8-staple" }, cookie);
    for (let i = 0; i < 5; i++) expect((await change(user.cookie, WRONG)).body).toMatchObject({ code: "INVALID_PASSWORD" });
    expectRateLimited(await change(user.cookie, PASSWORD));
    expect((await change(other.cookie, PASSWORD)).status).toBe(200);
  });

  it("counts session routes per user: one user's limit is not another's", async () => {
    const { get, post, signUp } = app({ AUTH_RATE_LIMIT_PER_USER_PER_MINUTE: "3" });
    const [user, other] = [await signUp(), await signUp()];
    for (let i = 0; i < 3; i++) expect((await get("/token", user.cookie)).status).toBe(200);
    expectRateLimited(await get("/token", user.cookie));
    expectRateLimited(await post("/revoke-sessions", {}, user.cookie));
    expect((await get("/token", other.cookie)).status).toBe(200);
    expect((await post("/revoke-sessions", {}, other.cookie)).status).toBe(200);
  });
});

describe("the counters", () => {
  it("are deleted once expired, a bounded batch at a time, and opportunistically", async () => {
    const pool = newPool();
    const keyOf = throttleKeys(baseEnv.BETTER_AUTH_SECRET);
    const mine = Array.from({ length: 5 }, (_, i) => keyOf("cleanup-test", `${randomUUID()}-${i}`));
    const live = keyOf("cleanup-test", randomUUID());
    // Older than any real row, so a batch takes these first.
    await pool.query(
      `INSERT INTO auth_throttle (key, hits, window_started_at, expires_at)
       SELECT k, 1, now() - interval '3651 days', now() - interval '3650 days' FROM unnest($1::text[]) AS k`,
      [mine],
    );
    await pool.query("INSERT INTO auth_throttle (key, hits, window_started_at, expires_at) VALUES ($1, 1, now(), now() + interval '1 hour')", [live]);
    const remaining = async () => (await pool.query<{ key: string }>("SELECT key FROM auth_throttle WHERE key = ANY($1)", [[...mine, live]])).rows.length;

    const store = createThrottleStore(pool, { everySeconds: 3600, batch: 3 });
    expect(await store.cleanup(3)).toBe(3);
    expect(await remaining()).toBe(3);

    // A counting call starts a cleanup of its own (in the background).
    await store.hit(keyOf("cleanup-test", randomUUID()), { limit: 1, seconds: 60 });
    for (let i = 0; i < 50 && (await remaining()) > 1; i++) await sleep(50);
    expect(await remaining()).toBe(1); // only the live row
    await pool.query("DELETE FROM auth_throttle WHERE key = $1", [live]);
  });

  it("hold no email or address in clear", async () => {
    const reached = quietSignInLogs();
    const { post, pool } = app(TRUSTED);
    const email = newEmail();
    const ip = freshIp();
    expect((await post("/sign-in/email", { email, password: WRONG }, from(ip))).status).toBe(401);
    expect(reached().unknown).toBe(1);
    const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM auth_throttle WHERE key LIKE $1 OR key LIKE $2", [`%${email}%`, `%${ip}%`]);
    expect(rows[0]!.n).toBe("0");
  });
});

describe("database unavailable during a throttle check", () => {
  it("answers 503 DATABASE_UNAVAILABLE + Retry-After, as before", async () => {
    const target = new URL(baseEnv.DATABASE_URL);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const url = new URL(baseEnv.DATABASE_URL);
    url.port = String(proxy.port);
    const warnings = captureConsole("warn");
    const errors = captureConsole("error");
    const { post, signUp } = app(TRUSTED, {}, url.toString());
    const user = await signUp(from(freshIp()));
    await proxy.cut();
    for (const r of [
      await post("/sign-in/email", { email: user.email, password: PASSWORD }, from(freshIp())),
      await post("/sign-up/email", { name: "During", email: newEmail(), password: PASSWORD }, from(freshIp())),
      await post("/revoke-sessions", {}, user.cookie),
    ]) {
      expect(r.status).toBe(503);
      expect(r.headers.get("retry-after")).toBe("5");
      expect(r.body).toMatchObject({ code: "DATABASE_UNAVAILABLE" });
    }
    await proxy.restore();
    expect((await post("/sign-in/email", { email: user.email, password: PASSWORD }, from(freshIp()))).status).toBe(200);
    await proxy.close();
    expect(warnings.lines()).toEqual(expect.arrayContaining(["auth: database unavailable on /api/auth/sign-in/email", "auth: database unavailable on /api/auth/revoke-sessions"]));
    // The sign-up's confirmation mail goes out after its answer, and may meet the cut: its own log lines (mail/),
    // or those of its recipient budget's counters, whose first count starts their cleanup (throttle-store.ts).
    for (const line of warnings.lines()) expect(line).toMatch(/^(auth: database unavailable on \/api\/auth\/|database: idle connection lost|mail: |auth throttle: cleanup failed )/);
    // Better Auth logs the refused connection it met first (the answer is still our 503).
    for (const line of errors.lines()) expect(line).toMatch(/INTERNAL_SERVER_ERROR|ECONNREFUSED/);
  });
});
