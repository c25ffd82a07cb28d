// Two-step sign-in (docs/security.md "Two-step sign-in") through the app's whole auth route on the
// real TLS test database: enrolment, a sign-in that has NO session and NO backend token until its
// second step, codes computed by otplib (not Better Auth's own TOTP), backup codes that work once, the
// throttle's lock on wrong codes (the same 429 as passwords), the session's amr and auth_time after
// each way in, "Confirm it's you" with a code, the security events and the mail they send. Trusted
// devices: trusted-devices.integration.test.ts.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { afterAll, describe, expect, it } from "vitest";
import { authApp } from "@/test/auth-app";
import { waitForMail } from "@/test/mail-catcher";
import { Browser, codeAt, enrolledAccount, PASSWORD, pendingSignIn, signUp, WRONG_PASSWORD } from "@/test/second-factor";
import { app, events, tokenClaims } from "@/test/two-factor-app";
import { rateLimited } from "../throttle";

/** A lock that lasts the test: the sixth attempt meets it whatever it holds. */
const locking = authApp({ REQUIRE_EMAIL_VERIFICATION: "false" }, { lock: { afterFailures: 5, baseSeconds: 600, maxSeconds: 600, memorySeconds: 60 } });
afterAll(async () => {
  await locking.close();
});

const enabled = async (userId: string) => (await app.pool.query<{ on: boolean }>('SELECT two_factor_enabled AS "on" FROM "user" WHERE id = $1', [userId])).rows[0]!.on;
const sessionCount = async (userId: string) => Number((await app.pool.query('SELECT count(*) FROM session WHERE user_id = $1', [userId])).rows[0]!.count);

describe("turning two-step sign-in on", () => {
  it("asks for the password, shows a key and ten backup codes, and is on only after the first code", async () => {
    const browser = new Browser(app);
    const { userId } = await signUp(browser);
    expect((await browser.post("/two-factor/enable", { password: WRONG_PASSWORD })).body).toMatchObject({ code: "INVALID_PASSWORD" });

    const started = await browser.post("/two-factor/enable", { password: PASSWORD });
    expect(started.status).toBe(200);
    expect(String(started.body!.totpURI)).toMatch(/^otpauth:\/\/totp\/authbridge:.*secret=[A-Z2-7]+/);
    expect(started.body!.backupCodes).toHaveLength(10);
    expect(await enabled(userId)).toBe(false);
    const { rows } = await app.pool.query<{ secret: string; backup_codes: string; verified: boolean }>("SELECT secret, backup_codes, verified FROM two_factor WHERE user_id = $1", [userId]);
    // Stored encrypted: neither the key nor a backup code in clear.
    const secret = new URL(String(started.body!.totpURI)).searchParams.get("secret")!;
    expect(rows[0]!.verified).toBe(false);
    expect(JSON.stringify(rows)).not.toContain((started.body!.backupCodes as string[])[0]);
    expect(rows[0]!.secret).not.toContain(secret);

    expect((await browser.post("/two-factor/verify-totp", { code: "000000" })).status).toBe(401);
    expect(await enabled(userId)).toBe(false);
    const before = Date.now();
    const confirmed = await browser.post("/two-factor/verify-totp", { code: await codeAt(secret) });
    expect(confirmed.status).toBe(200);
    expect(await enabled(userId)).toBe(true);
    // Better Auth replaces the session (the user row it caches changed); the code proved the second factor.
    const claims = await tokenClaims(browser);
    expect(claims.amr).toEqual(["pwd", "otp", "mfa"]);
    expect(Number(claims.auth_time) * 1000).toBeGreaterThanOrEqual(before - 1000);
    expect(await events(userId, "second-factor-enrolled")).toEqual([expect.objectContaining({ method: "totp", session_id: claims.sid })]);
  });
});

describe("signing in with two-step sign-in on", () => {
  it("the password alone gives no usable session and no backend token; the code does", async () => {
    const { email, userId, secret } = await enrolledAccount(new Browser(app));
    const sessionsBefore = await sessionCount(userId);
    const { browser, answer } = await pendingSignIn(app, email);
    expect(answer.status).toBe(200);
    // Nothing that could reach the backend: no token in the answer, no session cookie kept, no row.
    expect(answer.body).toEqual({ twoFactorRedirect: true, twoFactorMethods: ["totp"] });
    expect(browser.cookie("session_token")).toBeUndefined();
    expect(browser.cookie("two_factor")).toBeDefined();
    expect(await sessionCount(userId)).toBe(sessionsBefore);
    // Better Auth's sign-in made a session and took it back: its cookie is cleared in the same answer,
    // and no "you were signed out" marker is left (the browser had no session to lose).
    expect(answer.cookie).toBeUndefined();
    expect(answer.setCookies.filter((c) => /session_token=/.test(c))).toEqual([expect.stringMatching(/session_token=;.*Max-Age=0/)]);
    expect(answer.setCookies.some((c) => c.includes("session-ended=1"))).toBe(false);
    expect((await browser.get("/token")).status).toBe(401);
    // The pending sign-in's own cookie passed off as a session cookie is no session either.
    const pending = decodeURIComponent(browser.cookie("two_factor")!);
    expect((await app.get("/token", `better-auth.session_token=${encodeURIComponent(pending)}`)).status).toBe(401);
    expect((await browser.get("/get-session")).body).toBeNull();
    expect(await events(userId, "sign-in")).toEqual([]);

    const before = Date.now();
    const done = await browser.post("/two-factor/verify-totp", { code: await codeAt(secret) });
    expect(done.status).toBe(200);
    const claims = await tokenClaims(browser);
    expect(claims.amr).toEqual(["pwd", "otp", "mfa"]);
    expect(Number(claims.auth_time) * 1000).toBeGreaterThanOrEqual(before - 1000);
    expect(await events(userId, "sign-in")).toEqual([expect.objectContaining({ method: "totp", session_id: claims.sid })]);
  });

  it("a code without the password's step first is refused and counts nothing", async () => {
    const { secret } = await enrolledAccount(new Browser(app));
    const stranger = new Browser(app);
    const answer = await stranger.post("/two-factor/verify-totp", { code: await codeAt(secret) });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: "INVALID_TWO_FACTOR_COOKIE" });
    // A pending-sign-in cookie we did not sign is no pending sign-in either.
    const forged = await app.post("/two-factor/verify-totp", { code: "123456" }, "better-auth.two_factor=2fa-made-up.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXI=");
    expect(forged.status).toBe(401);
  });
});

describe("signing in with two-step sign-in on: a code works once", () => {
  it("a backup code works once, in place of the code", async () => {
    const { email, userId, backupCodes } = await enrolledAccount(new Browser(app));
    const first = await pendingSignIn(app, email);
    const used = await first.browser.post("/two-factor/verify-backup-code", { code: backupCodes[0] });
    expect(used.status).toBe(200);
    const claims = await tokenClaims(first.browser);
    expect(claims.amr).toEqual(["pwd", "otp", "mfa"]);
    expect(await events(userId, "sign-in")).toEqual([expect.objectContaining({ method: "backup-code", session_id: claims.sid })]);

    const second = await pendingSignIn(app, email);
    const again = await second.browser.post("/two-factor/verify-backup-code", { code: backupCodes[0] });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ code: "INVALID_BACKUP_CODE" });
    expect((await second.browser.post("/two-factor/verify-backup-code", { code: backupCodes[1] })).status).toBe(200);
  });

  it("an authenticator code that worked is refused for two minutes, for a second sign-in too", async () => {
    const { email, secret } = await enrolledAccount(new Browser(app));
    const code = await codeAt(secret, 1);
    const first = await pendingSignIn(app, email);
    expect((await first.browser.post("/two-factor/verify-totp", { code })).status).toBe(200);
    const second = await pendingSignIn(app, email);
    const replayed = await second.browser.post("/two-factor/verify-totp", { code });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ code: "INVALID_CODE" });
    // A wrong code is not remembered as used: typed again right, it works.
    expect((await second.browser.post("/two-factor/verify-totp", { code: await codeAt(secret) })).status).toBe(200);
  });
});

describe("wrong codes are throttled like passwords", () => {
  it("locks the account's second step after five wrong codes, with the one 429, whoever sends them", async () => {
    const { email, secret } = await enrolledAccount(new Browser(locking));
    const { browser } = await pendingSignIn(locking, email);
    for (let i = 0; i < 5; i++) {
      const wrong = await browser.post("/two-factor/verify-totp", { code: "000000" });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ code: "INVALID_CODE" });
    }
    const locked = await browser.post("/two-factor/verify-totp", { code: await codeAt(secret) });
    expect(locked.status).toBe(429);
    const expected = rateLimited(600);
    expect(locked.body).toEqual(await expected.json());
    // Another pending sign-in of the same account (the password again) meets the same lock, backup codes too.
    const other = await pendingSignIn(locking, email);
    expect(other.answer.body).toMatchObject({ twoFactorRedirect: true });
    expect((await other.browser.post("/two-factor/verify-backup-code", { code: "xxxxx-xxxxx" })).status).toBe(429);
  });

  it("counts wrong passwords on the two-step settings towards the password-check lock", async () => {
    const browser = new Browser(locking);
    await enrolledAccount(browser);
    for (let i = 0; i < 5; i++) expect((await browser.post("/two-factor/generate-backup-codes", { password: WRONG_PASSWORD })).status).toBe(400);
    expect((await browser.post("/two-factor/disable", { password: PASSWORD })).status).toBe(429);
  });
});

describe("managing two-step sign-in", () => {
  it("new backup codes need the password, and the old ones stop working", async () => {
    const browser = new Browser(app);
    const { email, backupCodes } = await enrolledAccount(browser);
    expect((await browser.post("/two-factor/generate-backup-codes", { password: WRONG_PASSWORD })).body).toMatchObject({ code: "INVALID_PASSWORD" });
    const fresh = await browser.post("/two-factor/generate-backup-codes", { password: PASSWORD });
    expect(fresh.status).toBe(200);
    expect(fresh.body!.backupCodes).toHaveLength(10);
    const { browser: signingIn } = await pendingSignIn(app, email);
    expect((await signingIn.post("/two-factor/verify-backup-code", { code: backupCodes[0] })).status).toBe(401);
    expect((await signingIn.post("/two-factor/verify-backup-code", { code: (fresh.body!.backupCodes as string[])[0] })).status).toBe(200);
  });

  it("turning it off needs the password, is recorded, mails the account, and sign-in asks for no code", async () => {
    const browser = new Browser(app);
    const { email, userId } = await enrolledAccount(browser);
    expect((await browser.post("/two-factor/disable", { password: WRONG_PASSWORD })).status).toBe(400);
    expect(await enabled(userId)).toBe(true);
    const off = await browser.post("/two-factor/disable", { password: PASSWORD });
    expect(off.status).toBe(200);
    expect(await enabled(userId)).toBe(false);
    expect((await app.pool.query("SELECT 1 FROM two_factor WHERE user_id = $1", [userId])).rowCount).toBe(0);
    expect(await events(userId, "second-factor-removed")).toEqual([expect.objectContaining({ method: "totp" })]);
    await waitForMail(email, /A second factor was removed from your account/);
    const again = await pendingSignIn(app, email);
    expect(again.answer.body).toMatchObject({ token: expect.any(String) });
    expect((await tokenClaims(again.browser)).amr).toEqual(["pwd"]);
  });
});

describe("Confirm it's you with a code", () => {
  it("a code right after the password makes the session's proof password + code, now", async () => {
    const browser = new Browser(app);
    const { userId, secret } = await enrolledAccount(browser);
    await app.pool.query("UPDATE session SET auth_time = now() - interval '2 hours', amr = '[\"pwd\",\"otp\",\"mfa\"]' WHERE user_id = $1", [userId]);
    // A code alone proves nothing new: the session stays as it was.
    expect((await browser.post("/two-factor/verify-totp", { code: await codeAt(secret, 1) })).status).toBe(200);
    const unchanged = await tokenClaims(browser);
    expect(Date.now() / 1000 - Number(unchanged.auth_time)).toBeGreaterThan(3600);

    expect((await browser.post("/re-authenticate", { password: PASSWORD })).status).toBe(200);
    expect((await tokenClaims(browser)).amr).toEqual(["pwd"]);
    const before = Date.now();
    expect((await browser.post("/two-factor/verify-totp", { code: await codeAt(secret) })).status).toBe(200);
    const confirmed = await tokenClaims(browser);
    expect(confirmed.sid).toBe(unchanged.sid);
    expect(confirmed.amr).toEqual(["pwd", "otp", "mfa"]);
    expect(Number(confirmed.auth_time) * 1000).toBeGreaterThanOrEqual(before - 1000);
  });

  it("a wrong code in a session counts towards the account's lock", async () => {
    const browser = new Browser(locking);
    const { secret } = await enrolledAccount(browser);
    for (let i = 0; i < 5; i++) expect((await browser.post("/two-factor/verify-totp", { code: "000000" })).status).toBe(401);
    expect((await browser.post("/two-factor/verify-totp", { code: await codeAt(secret) })).status).toBe(429);
  });
});
