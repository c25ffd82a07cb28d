// Passkeys (docs/security.md "Passkeys") through the app's whole auth route on the real TLS test
// database, with a software authenticator (src/test/soft-authenticator.ts) whose answers the passkey
// plugin verifies for real: adding one (named, user verification required, `passkey-added` and its
// mail), signing in with one (no second step; amr hwk+user+mfa), "Confirm it's you" with one (the
// same session confirmed, another account's passkey refused), and A PASSKEY BELONGS TO ONE USER:
// registering, renaming or deleting another user's passkey fails and changes nothing.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { betterAuth } from "better-auth";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { type AuthApp, authApp } from "@/test/auth-app";
import { ensureMailCatcher, waitForMail } from "@/test/mail-catcher";
import { Browser, codeAt, enrolledAccount, PASSWORD, signUp } from "@/test/second-factor";
import { SoftAuthenticator } from "@/test/soft-authenticator";
import { authOptions } from "../auth-options";
import { authRouteHandler } from "../auth-route";
import { authThrottle } from "../throttle";

let app: AuthApp;
const stops: (() => void)[] = [];
beforeAll(async () => {
  stops.push(await ensureMailCatcher());
  app = authApp({ REQUIRE_EMAIL_VERIFICATION: "false" });
});
afterAll(async () => {
  await app.close();
  for (const stop of stops) stop();
});

const authenticator = () => new SoftAuthenticator(new URL(app.env.BETTER_AUTH_URL).hostname, new URL(app.env.BETTER_AUTH_URL).origin);

/** Adds a passkey from `device` to the account signed in in `browser`; the answer of the verification. */
async function addPasskey(browser: Browser, device: SoftAuthenticator, name: string | undefined = "My laptop", how = {}) {
  const options = await browser.get(`/passkey/generate-register-options?name=${encodeURIComponent(name ?? "")}`);
  expect(options.status).toBe(200);
  return browser.post("/passkey/verify-registration", { response: device.register(options.body as never, how), ...(name === undefined ? {} : { name }) });
}

/** The passkey ceremony of a sign-in (or of "Confirm it's you", when `browser` is signed in). */
async function usePasskey(browser: Browser, device: SoftAuthenticator, how = {}) {
  const options = await browser.get("/passkey/generate-authenticate-options");
  expect(options.status).toBe(200);
  return browser.post("/passkey/verify-authentication", { response: device.authenticate(options.body as never, how) });
}

async function tokenClaims(browser: Browser) {
  const token = await browser.get("/token");
  expect(token.status).toBe(200);
  return decodeJwt(String(token.body!.token));
}

const passkeysOf = async (userId: string) =>
  (await app.pool.query<{ id: string; name: string | null }>("SELECT id, name FROM passkey WHERE user_id = $1 ORDER BY created_at", [userId])).rows;
const eventsOf = async (userId: string, type: string) =>
  (await app.pool.query<{ method: string; session_id: string; detail: Record<string, unknown> }>("SELECT method, session_id, detail FROM auth_event WHERE user_id = $1 AND type = $2 ORDER BY id", [userId, type])).rows;

describe("adding a passkey", () => {
  it("stores it under its name, for this site, with the account's email as its user; recorded and mailed", async () => {
    const browser = new Browser(app);
    const { email, userId } = await signUp(browser);
    const options = await browser.get("/passkey/generate-register-options?name=My%20laptop");
    expect(options.body).toMatchObject({
      rp: { id: new URL(app.env.BETTER_AUTH_URL).hostname, name: "authbridge" },
      // The nickname is the passkey's name, never its user's: the browser's picker shows the email.
      user: { name: email, displayName: email },
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
    });
    const device = authenticator();
    const added = await browser.post("/passkey/verify-registration", { response: device.register(options.body as never), name: "  My laptop " });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ name: "My laptop", credentialID: device.id, userId });
    expect(await passkeysOf(userId)).toEqual([{ id: added.body!.id, name: "My laptop" }]);
    expect(await eventsOf(userId, "passkey-added")).toEqual([expect.objectContaining({ method: "passkey", detail: { name: "My laptop" } })]);
    await waitForMail(email, /A passkey was added to your account/);
    const listed = await browser.get("/passkey/list-user-passkeys");
    expect(listed.body).toEqual([expect.objectContaining({ id: added.body!.id, name: "My laptop" })]);
  });

  it("refuses one the user did not unlock (no user verification), and names that break the rules", async () => {
    const browser = new Browser(app);
    const { userId } = await signUp(browser);
    const unverified = await addPasskey(browser, authenticator(), "Laptop", { userVerified: false });
    expect(unverified.status).toBe(400);
    expect(unverified.body).toMatchObject({ code: "USER_VERIFICATION_REQUIRED" });
    for (const [name, code] of [
      ["x".repeat(101), "PASSKEY_NAME_TOO_LONG"],
      ["Lap\ntop", "PASSKEY_NAME_INVALID_CHARACTERS"],
      ["   ", "PASSKEY_NAME_REQUIRED"],
    ] as const) {
      const refused = await addPasskey(browser, authenticator(), name);
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code, fields: [expect.objectContaining({ field: "name", code })] });
    }
    expect(await passkeysOf(userId)).toEqual([]);
    // Unnamed is allowed (the page always sends one).
    expect((await addPasskey(browser, authenticator(), undefined)).status).toBe(200);
  });

  it("needs a session", async () => {
    expect((await new Browser(app).get("/passkey/generate-register-options")).status).toBe(401);
  });
});

describe("signing in with a passkey", () => {
  it("signs in with no second step, even with two-step sign-in on: hwk + user + mfa; recorded", async () => {
    const browser = new Browser(app);
    const { userId } = await enrolledAccount(browser);
    const device = authenticator();
    expect((await addPasskey(browser, device)).status).toBe(200);

    const elsewhere = new Browser(app);
    const before = Date.now();
    const signedIn = await usePasskey(elsewhere, device);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ user: { id: userId } });
    const claims = await tokenClaims(elsewhere);
    expect(claims.amr).toEqual(["hwk", "user", "mfa"]);
    expect(Number(claims.auth_time) * 1000).toBeGreaterThanOrEqual(before - 1000);
    expect(await eventsOf(userId, "sign-in")).toContainEqual(expect.objectContaining({ method: "passkey", session_id: claims.sid }));
  });

  it("asks for user verification and refuses a ceremony without it, and an unknown passkey", async () => {
    const browser = new Browser(app);
    await signUp(browser);
    const device = authenticator();
    expect((await addPasskey(browser, device)).status).toBe(200);
    const elsewhere = new Browser(app);
    // The browser is asked for it, so a security key prompts for its PIN rather than be refused after.
    expect((await elsewhere.get("/passkey/generate-authenticate-options")).body).toMatchObject({ userVerification: "required", challenge: expect.any(String) });
    const unverified = await usePasskey(elsewhere, device, { userVerified: false });
    expect(unverified.status).toBe(400);
    expect(unverified.body).toMatchObject({ code: "USER_VERIFICATION_REQUIRED" });
    expect(elsewhere.cookie("session_token")).toBeUndefined();
    const unknown = await usePasskey(new Browser(app), authenticator());
    expect(unknown.status).toBe(401);
  });
});

describe("Confirm it's you with a passkey", () => {
  it("confirms the SAME session (amr hwk + user + mfa, auth_time now), making no other", async () => {
    const browser = new Browser(app);
    const { userId } = await signUp(browser);
    const device = authenticator();
    expect((await addPasskey(browser, device)).status).toBe(200);
    await app.pool.query("UPDATE session SET auth_time = now() - interval '2 hours' WHERE user_id = $1", [userId]);
    const before = await tokenClaims(browser);
    const sessions = (await app.pool.query("SELECT id FROM session WHERE user_id = $1", [userId])).rowCount;
    const signIns = (await eventsOf(userId, "sign-in")).length;

    const confirmed = await usePasskey(browser, device);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: true, authTime: expect.any(String) });
    expect(confirmed.setCookies.some((c) => c.includes("session_token="))).toBe(false);
    const after = await tokenClaims(browser);
    expect(after.sid).toBe(before.sid);
    expect(after.amr).toEqual(["hwk", "user", "mfa"]);
    expect(Number(after.auth_time)).toBeGreaterThan(Number(before.auth_time) + 3600);
    expect((await app.pool.query("SELECT id FROM session WHERE user_id = $1", [userId])).rowCount).toBe(sessions);
    expect(await eventsOf(userId, "sign-in")).toHaveLength(signIns);
  });

  it("refuses another account's passkey: 403, this session unchanged, nobody else signed in", async () => {
    const owner = new Browser(app);
    const { userId: ownerId } = await signUp(owner);
    const othersDevice = authenticator();
    expect((await addPasskey(owner, othersDevice)).status).toBe(200);
    const ownerSessions = (await app.pool.query("SELECT id FROM session WHERE user_id = $1", [ownerId])).rowCount;

    const browser = new Browser(app);
    await signUp(browser);
    const before = await tokenClaims(browser);
    // The browser offers what it has, whatever the options allowed.
    const refused = await usePasskey(browser, othersDevice);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "PASSKEY_OF_ANOTHER_ACCOUNT" });
    expect((await tokenClaims(browser)).sid).toBe(before.sid);
    expect((await app.pool.query("SELECT id FROM session WHERE user_id = $1", [ownerId])).rowCount).toBe(ownerSessions);
  });
});

/** Ada with a passkey, and Eve signed in elsewhere. */
async function adaAndEve() {
  const ada = new Browser(app);
  const { userId: adaId } = await signUp(ada);
  const adaDevice = authenticator();
  const added = await addPasskey(ada, adaDevice, "Ada's key");
  expect(added.status).toBe(200);
  const eve = new Browser(app);
  const { userId: eveId } = await signUp(eve);
  return { ada, adaId, adaDevice, passkeyId: String(added.body!.id), eve, eveId };
}

describe("a passkey belongs to one user", () => {
  it("another user can neither rename nor delete it, nor see it", async () => {
    const { adaId, passkeyId, eve } = await adaAndEve();
    const renamed = await eve.post("/passkey/update-passkey", { id: passkeyId, name: "Mine now" });
    expect(renamed.status).toBe(401);
    const deleted = await eve.post("/passkey/delete-passkey", { id: passkeyId });
    expect(deleted.status).toBe(401);
    expect(await passkeysOf(adaId)).toEqual([{ id: passkeyId, name: "Ada's key" }]);
    expect((await eve.get("/passkey/list-user-passkeys")).body).toEqual([]);
    expect(await eventsOf(adaId, "passkey-removed")).toEqual([]);
  });

  it("another user cannot register a passkey under it: not with its ceremony, not with its credential", async () => {
    const { ada, adaId, adaDevice, eve, eveId } = await adaAndEve();
    // Eve finishes the ceremony Ada started (Ada's challenge cookie, Eve's session).
    const adaOptions = await ada.get("/passkey/generate-register-options");
    const eveDevice = authenticator();
    const challenge = ada.cookie("better-auth-passkey")!;
    const crossed = await app.post(
      "/passkey/verify-registration",
      { response: eveDevice.register(adaOptions.body as never), name: "Crossed" },
      `${eve.jar.header()}; better-auth.better-auth-passkey=${challenge}`,
    );
    expect(crossed.status).toBe(401);
    expect(crossed.body).toMatchObject({ code: "YOU_ARE_NOT_ALLOWED_TO_REGISTER_THIS_PASSKEY" });
    // Eve registers Ada's own credential: a credential belongs to one user.
    const taken = await addPasskey(eve, adaDevice, "Ada's key, again");
    expect(taken.status).toBe(400);
    expect(taken.body).toMatchObject({ code: "PREVIOUSLY_REGISTERED" });
    expect(await passkeysOf(eveId)).toEqual([]);
    expect(await passkeysOf(adaId)).toHaveLength(1);
  });

  it("its owner renames and deletes it; the deletion is recorded", async () => {
    const { ada, adaId, passkeyId } = await adaAndEve();
    expect((await ada.post("/passkey/update-passkey", { id: passkeyId, name: "" })).status).toBe(422);
    const renamed = await ada.post("/passkey/update-passkey", { id: passkeyId, name: "Ada's phone" });
    expect(renamed.status).toBe(200);
    expect(await passkeysOf(adaId)).toEqual([{ id: passkeyId, name: "Ada's phone" }]);
    expect((await ada.post("/passkey/delete-passkey", { id: passkeyId })).status).toBe(200);
    expect(await passkeysOf(adaId)).toEqual([]);
    expect(await eventsOf(adaId, "passkey-removed")).toEqual([expect.objectContaining({ method: "passkey", detail: { name: "Ada's phone" } })]);
    // An id that names nothing removes nothing and records nothing.
    expect((await ada.post("/passkey/delete-passkey", { id: passkeyId })).status).not.toBe(200);
    expect(await eventsOf(adaId, "passkey-removed")).toHaveLength(1);
  });

  it("goes with its user", async () => {
    const { ada, adaId } = await adaAndEve();
    expect((await ada.post("/delete-user", { password: PASSWORD })).status).toBe(200);
    expect(await passkeysOf(adaId)).toEqual([]);
  });
});

describe("the passkey sign-in ceremony's throttle", () => {
  it("counts per client address where a trusted header makes it known, and only then", async () => {
    const env = parseServerEnv({ ...process.env, REQUIRE_EMAIL_VERIFICATION: "false", AUTH_TRUSTED_IP_HEADER: "x-real-ip" });
    const handle = authRouteHandler(authThrottle(betterAuth(authOptions(env, app.pool)), app.pool, env, { signInPerAddress: { limit: 2, seconds: 60 } }));
    const ask = async (headers: Record<string, string>) =>
      (await handle(new Request(`${env.BETTER_AUTH_URL}/api/auth/passkey/generate-authenticate-options`, { headers: { origin: env.BETTER_AUTH_URL, ...headers } }))).status;
    const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    expect([await ask({ "x-real-ip": address }), await ask({ "x-real-ip": address })]).toEqual([200, 200]);
    expect(await ask({ "x-real-ip": address })).toBe(429);
    // Without the header nothing is counted, so nothing is refused.
    expect([await ask({}), await ask({}), await ask({})]).toEqual([200, 200, 200]);
  });
});

it("a code for the enrolled account next to a passkey still works (the two ways coexist)", async () => {
  const browser = new Browser(app);
  const { email, secret } = await enrolledAccount(browser);
  expect((await addPasskey(browser, authenticator())).status).toBe(200);
  const signingIn = new Browser(app);
  expect((await signingIn.post("/sign-in/email", { email, password: PASSWORD })).body).toMatchObject({ twoFactorRedirect: true });
  expect((await signingIn.post("/two-factor/verify-totp", { code: await codeAt(secret) })).status).toBe(200);
});
