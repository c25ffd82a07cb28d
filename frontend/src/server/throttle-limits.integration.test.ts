// The throttle (throttle.ts) with the real Better Auth handler, on the real (TLS) test database: the
// limits per client address and per signed-in user, the counters' cleanup, and the answer when its
// database is unavailable. The lock-out attacks and the per-account lock: throttle.integration.test.ts.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { captureConsole } from "@/test/console-capture";
import { startTcpProxy } from "@/test/tcp-proxy";
import { app, baseEnv, expectRateLimited, freshIp, from, newEmail, newPool, PASSWORD, quietSignInLogs, TRUSTED, WRONG } from "@/test/throttle-app";
import { createThrottleStore, throttleKeys } from "./throttle-store";

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

