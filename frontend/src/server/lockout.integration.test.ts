// The lock-out that a stranger cannot turn against the owner (docs/security.md "Rate limiting",
// OWASP's device cookies): each attack written first, against the app's real /api/auth/* (route
// handler + throttle + Better Auth) on the real TLS test database. A browser that has signed in holds a device token for the account; its failed
// sign-ins count in its own bucket, every other request in the account's "unknown devices" bucket,
// whose lock never applies to the owner's browser. A password reset lifts every lock of the account.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Answer, AuthApp } from "@/test/auth-app";
import { account, app, Browser, expectRateLimited, flood, LOCKED_AFTER_FIVE, LONG_LOCK, NEW_PASSWORD, newEmail, ownersBrowser, PASSWORD, quietSignInLogs, SHORT_LOCK, WRONG } from "@/test/lockout-browser";

describe("a stranger's flood of wrong passwords", () => {
  it("locks unknown browsers out, never the owner's browser, which signs in at once", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, LONG_LOCK);
    const email = await account(a);
    const owner = await ownersBrowser(a, email);

    expect(await flood(a, email)).toEqual(LOCKED_AFTER_FIVE);
    expectRateLimited(await a.post("/sign-in/email", { email, password: PASSWORD })); // the stranger, with the right password
    expectRateLimited(await new Browser(a).signIn(email, PASSWORD)); // a browser without the token

    const back = await owner.signIn(email, PASSWORD);
    expect(back.status).toBe(200);
    expect(back.cookie).toMatch(/session_token=/);
    // And it stays so while the flood goes on.
    expect(await flood(a, email, 3)).toEqual([429, 429, 429]);
    expect((await owner.signIn(email, PASSWORD)).status).toBe(200);
    quiet();
  });

  it("counts a forged, altered or other account's device token as unknown", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, LONG_LOCK);
    const [email, other] = [await account(a), await account(a)];
    const owner = await ownersBrowser(a, email);
    const othersBrowser = await ownersBrowser(a, other);
    // A token signed with another secret, for the same email (an app with another BETTER_AUTH_SECRET).
    const foreign = new Browser(app({ BETTER_AUTH_SECRET: randomBytes(32).toString("base64url") }, LONG_LOCK));
    expect((await foreign.signIn(email, PASSWORD)).status).toBe(200);

    expect(await flood(a, email)).toEqual(LOCKED_AFTER_FIVE);
    const genuine = owner.device!;
    const [name, value] = [genuine.slice(0, genuine.indexOf("=")), genuine.slice(genuine.indexOf("=") + 1)];
    const altered = [0, Math.floor(value.length / 2), value.length - 1].map((i) => {
      const c = value[i] === "A" ? "B" : "A";
      return `${name}=${value.slice(0, i)}${c}${value.slice(i + 1)}`;
    });
    for (const cookie of [...altered, foreign.device!, othersBrowser.device!, `${name}=${value}${value}`, `${name}=`]) {
      expectRateLimited(await a.post("/sign-in/email", { email, password: PASSWORD }, cookie));
    }
    // The other account's own browser still signs in to it; the genuine token still works.
    expect((await othersBrowser.signIn(other, PASSWORD)).status).toBe(200);
    expect((await a.post("/sign-in/email", { email, password: PASSWORD }, genuine)).status).toBe(200);
    quiet();
  });
});

describe("a stranger's flood of wrong passwords: the same answer for every email", () => {
  it("answers the same 429 for an existing and an unknown email, whatever device token the browser holds", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, LONG_LOCK);
    const existing = await account(a);
    const missing = newEmail();
    const holder = await ownersBrowser(a, await account(a)); // a valid token, for a third account
    for (const email of [existing, missing]) expect((await flood(a, email)).slice(0, 6)).toEqual([401, 401, 401, 401, 401, 429]);

    const comparable = (r: Answer) => ({ status: r.status, body: r.body, setCookies: r.setCookies });
    for (const cookie of [undefined, holder.cookie]) {
      let pair = [await a.post("/sign-in/email", { email: existing, password: WRONG }, cookie), await a.post("/sign-in/email", { email: missing, password: WRONG }, cookie)];
      // Both are computed a few milliseconds apart; retry if a second boundary fell between them.
      for (let i = 0; i < 3 && pair[0]!.body?.message !== pair[1]!.body?.message; i++) {
        pair = await Promise.all([a.post("/sign-in/email", { email: existing, password: WRONG }, cookie), a.post("/sign-in/email", { email: missing, password: WRONG }, cookie)]);
      }
      expectRateLimited(pair[0]!);
      expect(comparable(pair[0]!)).toEqual(comparable(pair[1]!));
    }
    quiet();
  }, 60_000);
});

describe("the owner's own device", () => {
  it("locks itself only with its wrong passwords; a success resets its counters", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, SHORT_LOCK);
    const email = await account(a);
    const [laptop, phone] = [await ownersBrowser(a, email), await ownersBrowser(a, email)];
    const wrong = [];
    for (let i = 0; i < 6; i++) wrong.push((await laptop.signIn(email, WRONG)).status);
    expect(wrong).toEqual([401, 401, 401, 401, 401, 429]);
    expectRateLimited(await laptop.signIn(email, PASSWORD)); // locked, even with the right password

    // The laptop's failures are its own: the phone and an unknown browser still sign in.
    expect((await phone.signIn(email, PASSWORD)).status).toBe(200);
    expect((await new Browser(a).signIn(email, PASSWORD)).status).toBe(200);

    // Asked again until the lock has passed (a bounded poll; a refusal while locked changes nothing): then let in.
    await expect.poll(async () => (await laptop.signIn(email, PASSWORD)).status, { timeout: 5_000, interval: 100 }).toBe(200);
    // The success forgot the laptop's failures: five more wrong ones are 401 again, the sixth locks.
    const again = [];
    for (let i = 0; i < 6; i++) again.push((await laptop.signIn(email, WRONG)).status);
    expect(again).toEqual([401, 401, 401, 401, 401, 429]);
    quiet();
  });
});

describe("a successful password reset", () => {
  /**
   * Asks for a reset link for `email` and returns its token, read from Better Auth's row (the link
   * itself, mailed: mail/account-recovery.integration.test.ts; the whole journey: e2e/tests/lockout.spec.ts).
   */
  async function resetToken(a: AuthApp, email: string): Promise<string> {
    expect((await a.post("/request-password-reset", { email, redirectTo: "/reset-password" })).status).toBe(200);
    const { rows } = await a.pool.query<{ identifier: string }>(
      `SELECT v.identifier FROM verification v JOIN "user" u ON v.value = u.id WHERE u.email = $1 AND v.identifier LIKE 'reset-password:%'`,
      [email],
    );
    expect(rows).toHaveLength(1);
    return rows[0]!.identifier.slice("reset-password:".length);
  }

  it("lifts every lock of the account at once: a new browser, the owner's locked device, a locked password check", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, LONG_LOCK);
    const email = await account(a);
    const laptop = await ownersBrowser(a, email);
    // The current password checked wrong five times with the laptop's session: that check is locked too.
    const change = (currentPassword: string) => a.post("/change-password", { currentPassword, newPassword: "Another-Horse-7-staple" }, laptop.cookie);
    for (let i = 0; i < 5; i++) expect((await change(WRONG)).status).toBe(400);
    expectRateLimited(await change(PASSWORD));
    // The owner forgot the password: the laptop locks itself, and a stranger floods the account.
    for (let i = 0; i < 5; i++) expect((await laptop.signIn(email, WRONG)).status).toBe(401);
    expectRateLimited(await laptop.signIn(email, WRONG));
    expect(await flood(a, email)).toEqual(LOCKED_AFTER_FIVE);

    // A made-up token, or none, resets nothing and lifts nothing.
    const token = await resetToken(a, email);
    expect((await a.post("/reset-password", { token: `${token}x`, newPassword: NEW_PASSWORD })).status).toBe(400);
    expect((await a.post("/reset-password", { newPassword: NEW_PASSWORD })).status).toBe(400);
    expectRateLimited(await new Browser(a).signIn(email, PASSWORD));
    expectRateLimited(await laptop.signIn(email, PASSWORD));

    expect((await new Browser(a).post("/reset-password", { token, newPassword: NEW_PASSWORD })).status).toBe(200);
    const fresh = new Browser(a);
    expect((await fresh.signIn(email, NEW_PASSWORD)).status).toBe(200); // a new browser, at once
    expect((await laptop.signIn(email, NEW_PASSWORD)).status).toBe(200); // the locked device, at once
    expect((await a.post("/change-password", { currentPassword: NEW_PASSWORD, newPassword: "Another-Horse-7-staple" }, laptop.cookie)).status).toBe(200);
    quiet();
  }, 60_000);

  it("lifts it for the owner, then the stranger starts from nothing: five more failures lock unknown devices again", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, LONG_LOCK);
    const email = await account(a);
    expect(await flood(a, email)).toEqual(LOCKED_AFTER_FIVE);
    // The token in the query, which Better Auth accepts too.
    const token = await resetToken(a, email);
    expect((await a.post(`/reset-password?token=${encodeURIComponent(token)}`, { newPassword: NEW_PASSWORD })).status).toBe(200);
    expect((await new Browser(a).signIn(email, NEW_PASSWORD)).status).toBe(200);
    expect(await flood(a, email)).toEqual(LOCKED_AFTER_FIVE);
    quiet();
  }, 60_000);
});

