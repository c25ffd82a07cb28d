// How and when each session's user signed in (auth-methods.ts, docs/jwt-contract.md "How the user signed in"),
// for every way in that exists today, on the real TLS test database through the app's whole auth route: the
// session row's amr and auth_time, and the backend token that states them. Then "Confirm it's you"
// (re-authenticate.ts): it moves the current session's auth_time and amr, refuses a wrong password, and the
// throttle's password-check lock counts it.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, type AuthApp, authApp } from "@/test/auth-app";
import { captureConsole } from "@/test/console-capture";
import { ensureLocalIdp, OIDC_TEST_ENV, signInThroughIdp } from "@/test/local-idp";
import { ensureMailCatcher, linksOf, waitForMail } from "@/test/mail-catcher";
import { SIGN_IN_METHODS, withAuthMethods } from "./auth-methods";

const PASSWORD = "Correct-Horse-9-battery";
const NEW_PASSWORD = "Another-Horse-7-staple";
const WRONG = "Wrong-Horse-1-battery";
const newEmail = () => `methods-${randomUUID()}@example.test`;

let app: AuthApp;
/** A lock that lasts the test: the sixth attempt meets it whatever it holds. */
let locking: AuthApp;
const stops: (() => void)[] = [];
beforeAll(async () => {
  stops.push(await ensureMailCatcher(), await ensureLocalIdp());
  app = authApp({ ...OIDC_TEST_ENV, REQUIRE_EMAIL_VERIFICATION: "false" });
  locking = authApp({ REQUIRE_EMAIL_VERIFICATION: "false" }, { lock: { afterFailures: 5, baseSeconds: 600, maxSeconds: 600, memorySeconds: 60 } });
});
afterAll(async () => {
  await Promise.all([app.close(), locking.close()]);
  for (const stop of stops) stop();
});

interface SignedIn {
  sid: string;
  amr: string[] | undefined;
  authTime: number | undefined;
  row: { amr: string[] | null; auth_time: Date };
}

/** What the session of `cookie` says, in its row and in a backend token issued for it now. */
async function signedIn(cookie: string | undefined, a = app): Promise<SignedIn> {
  expect(cookie).toBeDefined();
  const token = await a.get("/token", cookie);
  expect(token.status).toBe(200);
  const claims = decodeJwt(String(token.body!.token));
  const { rows } = await a.pool.query<SignedIn["row"]>("SELECT amr, auth_time FROM session WHERE id = $1", [claims.sid]);
  expect(rows).toHaveLength(1);
  return { sid: String(claims.sid), amr: claims.amr as string[] | undefined, authTime: claims.auth_time as number | undefined, row: rows[0]! };
}

/** The session was made (or confirmed) between `before` and now, with `amr`, and the token says the same. */
function expectProved(s: SignedIn, amr: string[], before: number) {
  expect(s.row.amr).toEqual(amr);
  expect(s.amr).toEqual(amr);
  const at = s.row.auth_time.getTime();
  expect(at).toBeGreaterThanOrEqual(before - 1);
  expect(at).toBeLessThanOrEqual(Date.now());
  expect(s.authTime).toBe(Math.floor(at / 1000));
}

async function signUp(a = app, email = newEmail()): Promise<{ email: string; answer: Answer }> {
  const answer = await a.post("/sign-up/email", { name: "Ada Lovelace", email, password: PASSWORD });
  expect(answer.status).toBe(200);
  return { email, answer };
}

const linkToken = async (email: string, subject: RegExp) => new URL(linksOf(await waitForMail(email, subject))[0]!).searchParams.get("token")!;

describe("each way in writes what it proved", () => {
  it("sign-up, its /sign-up alias and sign-in: a password", async () => {
    const before = Date.now();
    const { email, answer } = await signUp();
    expectProved(await signedIn(answer.cookie), ["pwd"], before);
    const alias = await app.post("/sign-up", { name: "Alias", email: newEmail(), password: PASSWORD });
    expectProved(await signedIn(alias.cookie), ["pwd"], before);
    const again = await app.post("/sign-in/email", { email, password: PASSWORD });
    expect(again.status).toBe(200);
    expectProved(await signedIn(again.cookie), ["pwd"], before);
  });

  it("the reset's sign-in and a change of password: a password, at that moment", async () => {
    const { email, answer } = await signUp();
    await app.pool.query(`UPDATE session SET auth_time = now() - interval '3 days' WHERE user_id = (SELECT id FROM "user" WHERE email = $1)`, [email]);
    const before = Date.now();
    const changed = await app.post("/change-password", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, answer.cookie);
    expect(changed.status).toBe(200);
    expectProved(await signedIn(changed.cookie), ["pwd"], before);

    expect((await app.post("/request-password-reset", { email, redirectTo: "/reset-password" })).status).toBe(200);
    const token = await linkToken(email, /Reset your password/);
    const reset = await app.post("/reset-password", { token, newPassword: PASSWORD });
    expect(reset.body).toMatchObject({ status: true, signedIn: true });
    expectProved(await signedIn(reset.cookie), ["pwd"], before);
  });

  it("the confirmation link's sign-ins, with the password or a new one: a password", async () => {
    const { email } = await signUp();
    const token = await linkToken(email, /Confirm your email/);
    const before = Date.now();
    const withPassword = await app.post("/verify-address/with-password", { token, password: PASSWORD });
    expect(withPassword.status).toBe(200);
    expectProved(await signedIn(withPassword.cookie), ["pwd"], before);

    const other = await signUp();
    const otherToken = await linkToken(other.email, /Confirm your email/);
    const withNew = await app.post("/verify-address/with-new-password", { token: otherToken, newPassword: NEW_PASSWORD });
    expect(withNew.status).toBe(200);
    expectProved(await signedIn(withNew.cookie), ["pwd"], before);
  });

  it("a sign-in provider: fed", async () => {
    const before = Date.now();
    const { answer } = await signInThroughIdp(app, { email: newEmail(), verified: true });
    expect(answer.status).toBe(302);
    expectProved(await signedIn(answer.cookie), ["fed"], before);
  });

  it("the table holds the paths of the features to come", () => {
    expect(SIGN_IN_METHODS["/two-factor/verify-totp"]).toEqual(["pwd", "otp", "mfa"]);
    expect(SIGN_IN_METHODS["/two-factor/verify-backup-code"]).toEqual(["pwd", "otp", "mfa"]);
    expect(SIGN_IN_METHODS["/passkey/verify-authentication"]).toEqual(["hwk", "user", "mfa"]);
    expect(SIGN_IN_METHODS["/oauth2/callback/:id"]).toEqual(["fed"]);
  });
});

describe("a session made elsewhere", () => {
  const at = new Date("2026-01-01T00:00:00Z");
  const now = new Date("2026-01-02T00:00:00Z");

  it("by a path missing from the table: no amr, no later authTime than it carries, and a log line", () => {
    const logged = captureConsole("warn");
    const carried = { userId: "u", amr: ["pwd", "otp", "mfa"], authTime: at };
    const bare: { userId: string; authTime?: Date } = { userId: "u" };
    expect(withAuthMethods(carried, "/some/new-plugin", now)).toEqual({ userId: "u", amr: null, authTime: at });
    expect(withAuthMethods(bare, undefined, now)).toEqual({ userId: "u", amr: null, authTime: now });
    expect(logged.lines()).toEqual([
      "auth methods: a session made by /some/new-plugin is not in the table: no amr",
      "auth methods: a session made by a call outside any endpoint is not in the table: no amr",
    ]);
  });

  it("by Better Auth re-creating the current one: what it carries", () => {
    expect(withAuthMethods({ amr: ["pwd", "otp", "mfa"], authTime: at }, "/two-factor/disable", now)).toEqual({ amr: ["pwd", "otp", "mfa"], authTime: at });
    expect(withAuthMethods({ amr: null }, "/two-factor/enable", now)).toEqual({ amr: null, authTime: now });
  });
});

describe("Confirm it's you: POST /api/auth/re-authenticate", () => {
  it("moves the current session's auth_time to now with amr pwd, and the next token says so", async () => {
    const { answer } = await signUp();
    const first = await signedIn(answer.cookie);
    await app.pool.query("UPDATE session SET auth_time = now() - interval '1 hour', amr = '[\"fed\"]' WHERE id = $1", [first.sid]);
    const aged = await signedIn(answer.cookie);
    expect(aged.amr).toEqual(["fed"]);
    expect(aged.authTime).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 3599);

    const before = Date.now();
    const confirmed = await app.post("/re-authenticate", { password: PASSWORD }, answer.cookie);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ status: true, authTime: expect.any(String) });
    expect(confirmed.cookie).toBeUndefined(); // the same session: no new cookie
    const after = await signedIn(answer.cookie);
    expect(after.sid).toBe(first.sid);
    expectProved(after, ["pwd"], before);
    expect(new Date(String(confirmed.body!.authTime)).getTime()).toBe(after.row.auth_time.getTime());
  });

  it("refuses a wrong password and changes nothing; refuses without a session", async () => {
    const { answer } = await signUp();
    const { sid } = await signedIn(answer.cookie);
    await app.pool.query("UPDATE session SET auth_time = now() - interval '1 hour' WHERE id = $1", [sid]);
    const aged = await signedIn(answer.cookie);
    const wrong = await app.post("/re-authenticate", { password: WRONG }, answer.cookie);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: "INVALID_PASSWORD", message: "That is not the password of this account." });
    expect((await signedIn(answer.cookie)).row).toEqual(aged.row);
    expect((await app.post("/re-authenticate", { password: "" }, answer.cookie)).status).toBe(400);
    expect((await app.post("/re-authenticate", { password: PASSWORD })).status).toBe(401);
  });

  it("is the only way to move them: Better Auth's /update-session cannot set amr or authTime", async () => {
    const { answer } = await signUp();
    const { sid } = await signedIn(answer.cookie);
    await app.pool.query("UPDATE session SET auth_time = now() - interval '1 hour' WHERE id = $1", [sid]);
    const aged = await signedIn(answer.cookie);
    const forged = await app.post("/update-session", { amr: ["pwd", "otp", "mfa"], authTime: new Date().toISOString(), auth_time: new Date().toISOString() }, answer.cookie);
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect((await signedIn(answer.cookie)).row).toEqual(aged.row);
  });

  it("says an account without a password has none", async () => {
    const { answer } = await signInThroughIdp(app, { email: newEmail(), verified: true });
    const none = await app.post("/re-authenticate", { password: PASSWORD }, answer.cookie);
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ code: "NO_PASSWORD" });
  });

  it("is counted by the password-check lock: five wrong passwords, then even the right one is refused", async () => {
    const { answer } = await signUp(locking);
    for (let i = 0; i < 5; i++) expect((await locking.post("/re-authenticate", { password: WRONG }, answer.cookie)).status).toBe(400);
    const locked = await locking.post("/re-authenticate", { password: PASSWORD }, answer.cookie);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ code: "RATE_LIMITED" });
  });
});
