// The throttle (throttle.ts) with the real Better Auth handler behind the app's route handler, on
// the real (TLS) test database: each lock-out attack on the shared limiter it replaces, the
// per-account lock and its expiry, one answer for existing and unknown emails, atomic counting
// under concurrency, cleanup, and the outage answer. Lock durations are shortened, not mocked.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { describe, expect, it } from "vitest";
import { type Answer, app, expectRateLimited, FAST_LOCK, freshIp, from, lockPassed, newEmail, PASSWORD, quietSignInLogs, TRUSTED, WRONG } from "@/test/throttle-app";

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

