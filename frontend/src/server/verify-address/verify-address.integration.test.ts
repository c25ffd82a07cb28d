// Opening a confirmation link, attacked (docs/security.md "Pre-account takeover", "Login CSRF"): the
// attacks that worked against Better Auth's /verify-email (it signs in whoever opens the link, and
// leaves the password of whoever created the account in place), run as the app runs it.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintTestToken } from "../../../../contracts/jwt/test-tokens";
import { type AuthApp, authApp } from "@/test/auth-app";
import { ensureMailCatcher, linksOf, waitForMail } from "@/test/mail-catcher";
import { readVerificationLink } from "../mail/verification-link";

const ATTACKER_PASSWORD = "Attackers-Horse-3-key";
const OWNER_PASSWORD = "Owners-Own-Horse-8";
const newEmail = (tag = "victim") => `${tag}-${randomUUID()}@example.test`;

let app: AuthApp;
let stopCatcher: () => void = () => undefined;
beforeAll(async () => {
  stopCatcher = await ensureMailCatcher();
  app = authApp({ REQUIRE_EMAIL_VERIFICATION: "false" });
});
afterAll(async () => {
  await app.close();
  stopCatcher();
});

const confirmToken = async (email: string) => new URL(linksOf(await waitForMail(email, /Confirm your email/))[0]!).searchParams.get("token")!;
const verified = async (email: string) => (await app.pool.query<{ email_verified: boolean }>('SELECT email_verified FROM "user" WHERE email = $1', [email])).rows[0]?.email_verified;

describe("pre-account takeover", () => {
  it("the address's owner takes the account: the attacker's password and sessions stop working the moment the owner confirms", async () => {
    const email = newEmail();
    // The attacker signs up first with the victim's address and is signed in at once (the default mode).
    const attacker = await app.post("/sign-up/email", { name: "Not The Owner", email, password: ATTACKER_PASSWORD });
    expect(attacker.status).toBe(200);
    expect((await app.get("/token", attacker.cookie)).status).toBe(200);
    const token = await confirmToken(email);

    // The owner opens the link in their own browser (no session): the link alone confirms nothing...
    expect((await app.post("/verify-address/with-password", { token, password: "not-what-they-set-1A" })).status).toBe(400);
    expect(await verified(email)).toBe(false);
    // ...so the owner says "I didn't create this account" and chooses the password.
    const owner = await app.post("/verify-address/with-new-password", { token, newPassword: OWNER_PASSWORD });
    expect(owner.status).toBe(200);
    expect(owner.cookie).toMatch(/session_token=/);
    expect(await verified(email)).toBe(true);

    expect((await app.get("/token", attacker.cookie)).status).toBe(401);
    expect((await app.post("/sign-in/email", { email, password: ATTACKER_PASSWORD })).status).toBe(401);
    expect((await app.post("/sign-in/email", { email, password: OWNER_PASSWORD })).status).toBe(200);
    expect((await app.get("/token", owner.cookie)).status).toBe(200);
    // The link is spent.
    expect((await app.post("/verify-address/with-new-password", { token, newPassword: ATTACKER_PASSWORD })).status).toBe(400);
  });

  it("an account without a password (made through a sign-in provider) gets the owner's", async () => {
    const email = newEmail("provider");
    await app.post("/sign-up/email", { name: "Provider Made", email, password: ATTACKER_PASSWORD });
    await app.pool.query(`DELETE FROM account WHERE provider_id = 'credential' AND user_id = (SELECT id FROM "user" WHERE email = $1)`, [email]);
    const r = await app.post("/verify-address/with-new-password", { token: await confirmToken(email), newPassword: OWNER_PASSWORD });
    expect(r.status).toBe(200);
    expect((await app.post("/sign-in/email", { email, password: OWNER_PASSWORD })).status).toBe(200);
  });

  it("the new password obeys the policy", async () => {
    const email = newEmail();
    await app.post("/sign-up/email", { name: "Someone", email, password: ATTACKER_PASSWORD });
    const r = await app.post("/verify-address/with-new-password", { token: await confirmToken(email), newPassword: "short" });
    expect(r.status).toBe(422);
    expect(await verified(email)).toBe(false);
  });
});

describe("pre-account takeover: confirming with the password or the session", () => {
  it("whoever knows the password confirms with it, from any browser: every other session ends", async () => {
    const email = newEmail("self");
    const first = await app.post("/sign-up/email", { name: "Self Made", email, password: OWNER_PASSWORD });
    const r = await app.post("/verify-address/with-password", { token: await confirmToken(email), password: OWNER_PASSWORD });
    expect(r.status).toBe(200);
    expect(await verified(email)).toBe(true);
    expect((await app.get("/token", r.cookie)).status).toBe(200);
    expect((await app.get("/token", first.cookie)).status).toBe(401);
  });

  it("the browser that signed up confirms with its session, and keeps it; other sessions end", async () => {
    const email = newEmail("here");
    const here = await app.post("/sign-up/email", { name: "Right Here", email, password: OWNER_PASSWORD });
    const elsewhere = await app.post("/sign-in/email", { email, password: OWNER_PASSWORD });
    const r = await app.post("/verify-address/with-session", { token: await confirmToken(email) }, here.cookie);
    expect(r.status).toBe(200);
    expect(await verified(email)).toBe(true);
    expect((await app.get("/token", here.cookie)).status).toBe(200);
    expect((await app.get("/token", elsewhere.cookie)).status).toBe(401);
  });
});

describe("strict mode: the browser that signed up", () => {
  let strict: AuthApp;
  beforeAll(() => {
    strict = authApp({ REQUIRE_EMAIL_VERIFICATION: "true" });
  });
  afterAll(() => strict.close());
  /** `name=value` of the sign-up marker an answer sets. */
  const markerOf = (setCookies: string[]) => setCookies.find((c) => c.includes("authbridge.signup="))?.split(";")[0];

  it("confirms and signs in with its sign-up marker, without the password again", async () => {
    const email = newEmail("strict");
    const signedUp = await strict.post("/sign-up/email", { name: "Strict One", email, password: OWNER_PASSWORD });
    expect(signedUp.cookie).toBeUndefined();
    const marker = markerOf(signedUp.setCookies);
    expect(marker).toBeDefined();
    const r = await strict.post("/verify-address/with-session", { token: await confirmToken(email) }, marker);
    expect(r.status).toBe(200);
    expect(r.cookie).toMatch(/session_token=/);
    expect(r.setCookies.some((c) => /authbridge\.signup=;.*Max-Age=0/i.test(c))).toBe(true);
    expect(await verified(email)).toBe(true);
  });

  it("a marker from signing up with an address that already has an account confirms nothing (it names no user)", async () => {
    const email = newEmail("squatted");
    expect((await strict.post("/sign-up/email", { name: "Squatter", email, password: ATTACKER_PASSWORD })).status).toBe(200);
    const token = await confirmToken(email);
    // The owner tries to sign up too: the same 200 and a marker, but of a user that does not exist.
    const owners = await strict.post("/sign-up/email", { name: "Owner", email, password: OWNER_PASSWORD });
    expect(owners.status).toBe(200);
    const r = await strict.post("/verify-address/with-session", { token }, markerOf(owners.setCookies));
    expect(r.status).toBe(403);
    expect(r.cookie).toBeUndefined();
    expect(await verified(email)).toBe(false);
  });

  it("a marker for one account never confirms another, and a forged one nothing", async () => {
    const a = newEmail("a");
    const markerA = markerOf((await strict.post("/sign-up/email", { name: "A", email: a, password: OWNER_PASSWORD })).setCookies)!;
    const b = newEmail("b");
    await strict.post("/sign-up/email", { name: "B", email: b, password: OWNER_PASSWORD });
    expect((await strict.post("/verify-address/with-session", { token: await confirmToken(b) }, markerA)).status).toBe(403);
    const [name, value] = markerA.split("=") as [string, string];
    const forged = `${name}=${value.slice(0, -2)}xx`;
    expect((await strict.post("/verify-address/with-session", { token: await confirmToken(a) }, forged)).status).toBe(403);
    expect(await verified(b)).toBe(false);
  });
});

describe("login CSRF", () => {
  it("a link for account A, opened while signed in as B, never switches the browser to A", async () => {
    const a = newEmail("a");
    await app.post("/sign-up/email", { name: "Account A", email: a, password: ATTACKER_PASSWORD });
    const b = await app.post("/sign-up/email", { name: "Account B", email: newEmail("b"), password: OWNER_PASSWORD });
    const r = await app.post("/verify-address/with-session", { token: await confirmToken(a) }, b.cookie);
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: "SESSION_MISMATCH" });
    expect(r.cookie).toBeUndefined();
    expect(await verified(a)).toBe(false);
    const session = await app.get("/get-session", b.cookie);
    expect((session.body!.user as { name: string }).name).toBe("Account B");
  });

  it("Better Auth's /verify-email, which signs in whoever opens the link, is switched off", async () => {
    const a = newEmail("direct");
    await app.post("/sign-up/email", { name: "Direct", email: a, password: ATTACKER_PASSWORD });
    const r = await app.get(`/verify-email?token=${encodeURIComponent(await confirmToken(a))}&callbackURL=/dashboard`);
    expect(r.status).toBe(404);
    expect(r.cookie).toBeUndefined();
    expect(await verified(a)).toBe(false);
  });
});

describe("what a link is", () => {
  it("a backend token, signed with the same secret, is no confirmation link", async () => {
    const config = { secret: app.env.BETTER_AUTH_SECRET, issuer: app.env.BACKEND_JWT_ISSUER, audience: app.env.BACKEND_JWT_AUDIENCE, lifetimeSeconds: 3600 };
    const backendToken = mintTestToken({ config, userId: "someone", sessionId: "some-session", iat: Math.floor(Date.now() / 1000) });
    expect(await readVerificationLink(backendToken, app.env.BETTER_AUTH_SECRET, app.pool)).toEqual({ problem: "invalid" });
    expect((await app.post("/verify-address/with-new-password", { token: backendToken, newPassword: OWNER_PASSWORD })).status).toBe(400);
  });

  it("a link for an address that another account has now (deleted and signed up again) is invalid", async () => {
    const email = newEmail("again");
    const first = await app.post("/sign-up/email", { name: "First", email, password: OWNER_PASSWORD });
    const token = await confirmToken(email);
    expect((await app.post("/delete-user", { password: OWNER_PASSWORD }, first.cookie)).status).toBe(200);
    expect((await app.post("/sign-up/email", { name: "Second", email, password: ATTACKER_PASSWORD })).status).toBe(200);
    expect(await readVerificationLink(token, app.env.BETTER_AUTH_SECRET, app.pool)).toEqual({ problem: "invalid" });
  });
});
