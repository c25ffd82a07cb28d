// Sign-in providers joining accounts, and the account's sign-in methods (docs/security.md "Sign-in
// providers and linking"), through the whole auth route against a real OpenID provider (the local
// one, src/test/local-idp.ts): the linking matrix (provider confirms the address or not × the
// account's address confirmed or not × a password or not), the squatter voided, linking from
// Settings, an identity of another user refused, the last way in kept, a password set by an emailed
// link, provider tokens never stored.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApp, authApp } from "@/test/auth-app";
import { captureConsole } from "@/test/console-capture";
import { ensureMailCatcher, linksOf, mailsTo } from "@/test/mail-catcher";
import { authorizeAtIdp, type IdpLogin, OIDC_TEST_ENV } from "@/test/local-idp";
import { ownerName, SIGN_IN_METHOD_ERRORS } from "./plugin";

const PASSWORD = "Squatters-Own-Horse-4";
const OWNER_PASSWORD = "Owners-Later-Horse-7";
const newEmail = (tag = "person") => `${tag}-${randomUUID()}@example.test`;

/** A browser's cookies for the app: what answers set, sent back. */
class Jar {
  private readonly cookies = new Map<string, string>();
  constructor(cookie?: string) {
    if (cookie) this.take([cookie]);
  }
  take(setCookies: string[]) {
    for (const c of setCookies) {
      const pair = c.split(";")[0]!;
      const at = pair.indexOf("=");
      if (/max-age=0/i.test(c)) this.cookies.delete(pair.slice(0, at));
      else this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  get header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** The app with the OpenID provider `oidc` pointed at the local one (src/test/local-idp.ts). */
const providerApp = (overrides: Record<string, string>) => authApp({ ...OIDC_TEST_ENV, ...overrides });

let app: AuthApp;
let stopCatcher: () => void = () => undefined;
beforeAll(async () => {
  stopCatcher = await ensureMailCatcher();
  app = providerApp({ REQUIRE_EMAIL_VERIFICATION: "false" });
});
afterAll(async () => {
  await app?.close();
  stopCatcher();
});

interface Outcome {
  /** Where the app sent the browser in the end: the callback URL, or the error page with `?error=`. */
  location: URL;
  error: string | null;
  /** The browser's cookies after it (a session cookie if it signed in). */
  jar: Jar;
}

/** The whole redirect flow: the app's start (`/sign-in/social`, or `/link-social` with a session), the provider, the app's callback. */
async function throughProvider(target: AuthApp, person: IdpLogin, opts: { link?: Jar; answer?: "allow" | "deny" } = {}): Promise<Outcome> {
  const jar = opts.link ?? new Jar();
  const body = { provider: "oidc", callbackURL: opts.link ? "/settings/sign-in" : "/dashboard", errorCallbackURL: opts.link ? "/settings/sign-in" : "/sign-in" };
  const start = await target.post(opts.link ? "/link-social" : "/sign-in/social", body, jar.header);
  expect(start.status, JSON.stringify(start.body)).toBe(200);
  jar.take(start.setCookies);
  const back = await authorizeAtIdp(String(start.body!.url), person, opts.answer);
  expect(back.pathname).toBe("/api/auth/callback/oidc");
  const callback = await target.get(`/callback/oidc${back.search}`, jar.header);
  expect(callback.status).toBe(302);
  jar.take(callback.setCookies);
  const location = new URL(callback.location!, target.env.BETTER_AUTH_URL);
  return { location, error: location.searchParams.get("error"), jar };
}

const signInWith = (person: IdpLogin, target = app) => throughProvider(target, person);
const linkFromSettings = (session: string, person: IdpLogin, target = app) => throughProvider(target, person, { link: new Jar(session) });

async function userRow(email: string) {
  const r = await app.pool.query<{ id: string; name: string; email_verified: boolean }>('SELECT id, name, email_verified FROM "user" WHERE email = $1', [email]);
  return r.rows[0];
}
async function accounts(userId: string) {
  const r = await app.pool.query<{ id: string; provider_id: string; account_id: string; password: string | null; access_token: string | null; refresh_token: string | null; id_token: string | null; access_token_expires_at: Date | null }>(
    "SELECT id, provider_id, account_id, password, access_token, refresh_token, id_token, access_token_expires_at FROM account WHERE user_id = $1 ORDER BY provider_id",
    [userId],
  );
  return r.rows;
}
/** A password account; `verified` as if its address were confirmed (or not, as a sign-up leaves it). */
async function localAccount(email: string, { verified, password = true }: { verified: boolean; password?: boolean }) {
  const r = await app.post("/sign-up/email", { name: "Local Person", email, password: PASSWORD });
  expect(r.status).toBe(200);
  const user = (await userRow(email))!;
  await app.pool.query('UPDATE "user" SET email_verified = $2 WHERE id = $1', [user.id, verified]);
  if (!password) await app.pool.query("DELETE FROM account WHERE user_id = $1 AND provider_id = 'credential'", [user.id]);
  return { id: user.id, cookie: r.cookie! };
}
/** The account's security activity, oldest first (docs/security.md "Security activity"). */
async function activity(userId: string) {
  const r = await app.pool.query<{ type: string; method: string | null }>("SELECT type, method FROM auth_event WHERE user_id = $1 ORDER BY created_at, id", [userId]);
  return r.rows.map((e) => `${e.type}:${e.method ?? ""}`);
}
const tokenStatus = async (cookie: string | undefined) => (await app.get("/token", cookie)).status;
const passwordSignIn = async (email: string, password = PASSWORD) => (await app.post("/sign-in/email", { email, password })).status;

describe("signing in through a provider: the linking matrix, no account yet", () => {
  it("a confirmed address and no account: a new account, confirmed, signed in; no provider token stored", async () => {
    const email = newEmail("new");
    const r = await signInWith({ email, verified: true });
    expect(r.error).toBeNull();
    expect(r.location.pathname).toBe("/dashboard");
    expect(await tokenStatus(r.jar.header)).toBe(200);
    const user = (await userRow(email))!;
    expect(user.email_verified).toBe(true);
    const [oidc] = await accounts(user.id);
    expect(oidc).toMatchObject({ provider_id: "oidc", account_id: `confirmed:${email}`, access_token: null, refresh_token: null, id_token: null, access_token_expires_at: null });

    // Signing in again updates the row with the provider's fresh answer: still nothing kept.
    const again = await signInWith({ email, verified: true });
    expect(again.error).toBeNull();
    expect(await tokenStatus(again.jar.header)).toBe(200);
    expect(await accounts(user.id)).toMatchObject([{ provider_id: "oidc", access_token: null, refresh_token: null, id_token: null }]);
    // The security activity: made by the provider's first answer, then two sign-ins with it.
    expect(await activity(user.id)).toEqual(["account-created:oidc", "sign-in:oidc", "sign-in:oidc"]);
  });

  it("an address the provider does not confirm and no account: refused (email_not_verified), nothing created", async () => {
    const email = newEmail("unconfirmed");
    const r = await signInWith({ email, verified: false });
    expect(r.location.pathname).toBe("/sign-in");
    expect(r.error).toBe(SIGN_IN_METHOD_ERRORS.EMAIL_NOT_VERIFIED.code);
    expect(await userRow(email)).toBeUndefined();
    expect(await tokenStatus(r.jar.header)).toBe(401);
  });
});

describe("signing in through a provider: the linking matrix, an account that has the address", () => {
  for (const password of [true, false]) {
    it(`both sides confirmed (the account ${password ? "has a password" : "has none"}): the identity joins the account`, async () => {
      const email = newEmail("joined");
      const local = await localAccount(email, { verified: true, password });
      const r = await signInWith({ email, verified: true });
      expect(r.error).toBeNull();
      expect(await tokenStatus(r.jar.header)).toBe(200);
      expect((await accounts(local.id)).map((a) => a.provider_id)).toEqual(password ? ["credential", "oidc"] : ["oidc"]);
      // Nothing of the owner's was voided: the same person proved the same address twice.
      expect(await tokenStatus(local.cookie)).toBe(200);
      if (password) expect(await passwordSignIn(email)).toBe(200);
    });

    it(`the provider confirms, the account's address is unconfirmed (${password ? "a password" : "no password"}): the provider's user takes the account, the squatter is out`, async () => {
      const email = newEmail("squatted");
      const squatter = await localAccount(email, { verified: false, password });
      await app.pool.query('UPDATE "user" SET name = $2 WHERE id = $1', [squatter.id, "Squatter Name"]);
      // A pending reset link, and another identity the squatter linked: ways in the owner did not create.
      await app.pool.query("INSERT INTO verification (id, identifier, value, expires_at, created_at, updated_at) VALUES ($1, $2, $3, now() + interval '1 hour', now(), now())", [randomUUID(), `reset-password:${randomUUID()}`, squatter.id]);
      await app.pool.query("INSERT INTO account (id, account_id, provider_id, user_id, created_at, updated_at) VALUES ($1, $2, 'oidc', $3, now(), now())", [randomUUID(), `squatters-own-${randomUUID()}`, squatter.id]);

      const logs = captureConsole("warn");
      const r = await signInWith({ email, verified: true });
      expect(r.error).toBeNull();
      expect(r.location.pathname).toBe("/dashboard");
      expect(logs.lines().some((l) => /sign-in methods: oidc proved s…@example\.test; the unconfirmed account's password, other sign-in methods, sessions and links were voided/.test(l))).toBe(true);

      const user = (await userRow(email))!;
      expect(user).toMatchObject({ id: squatter.id, email_verified: true });
      // Never the squatter's choice of name: the provider's (the local provider names an address by its local part).
      expect(user.name).toBe(email.split("@")[0]);
      expect((await accounts(squatter.id)).map((a) => [a.provider_id, a.account_id])).toEqual([["oidc", `confirmed:${email}`]]);
      expect(await tokenStatus(squatter.cookie)).toBe(401);
      if (password) expect(await passwordSignIn(email)).toBe(401);
      expect((await app.pool.query("SELECT 1 FROM verification WHERE value = $1", [squatter.id])).rowCount).toBe(0);
      expect(await tokenStatus(r.jar.header)).toBe(200);
    });
  }
});

describe("signing in through a provider: the linking matrix, an address not confirmed by the provider", () => {
  for (const password of [true, false]) {
    it(`the provider does not confirm the address and a confirmed account has it (${password ? "a password" : "no password"}): refused, the account untouched`, async () => {
      const email = newEmail("claimed");
      const local = await localAccount(email, { verified: true, password });
      const r = await signInWith({ email, verified: false });
      expect(r.location.pathname).toBe("/sign-in");
      expect(r.error).toBe(SIGN_IN_METHOD_ERRORS.ACCOUNT_NOT_LINKED.code);
      expect((await accounts(local.id)).map((a) => a.provider_id)).toEqual(password ? ["credential"] : []);
      expect(await tokenStatus(local.cookie)).toBe(200);
      expect(await tokenStatus(r.jar.header)).toBe(401);
    });

    it(`neither side confirmed (${password ? "a password" : "no password"}): refused, nobody proved anything, nothing changes`, async () => {
      const email = newEmail("unproven");
      const local = await localAccount(email, { verified: false, password });
      const r = await signInWith({ email, verified: false });
      expect(r.error).toBe(SIGN_IN_METHOD_ERRORS.ACCOUNT_NOT_LINKED.code);
      expect((await userRow(email))!.email_verified).toBe(false);
      expect(await tokenStatus(local.cookie)).toBe(200);
      if (password) expect(await passwordSignIn(email)).toBe(200);
    });
  }
});

describe("signing in through a provider: strict mode, and an identity linked already", () => {
  it("strict mode: an unconfirmed address says nothing about an account that has it", async () => {
    const strict = providerApp({ REQUIRE_EMAIL_VERIFICATION: "true" });
    try {
      const email = newEmail("strict");
      await localAccount(email, { verified: true });
      const r = await signInWith({ email, verified: false }, strict);
      expect(r.error).toBe(SIGN_IN_METHOD_ERRORS.EMAIL_NOT_VERIFIED.code);
      const nobody = await signInWith({ email: newEmail("strict-nobody"), verified: false }, strict);
      expect(nobody.error).toBe(r.error);
      expect(nobody.location.search).toBe(r.location.search);
    } finally {
      await strict.close();
    }
  });

  it("an identity already linked signs in to its account, whatever the provider says of the address today", async () => {
    const email = newEmail("linked");
    const local = await localAccount(email, { verified: true });
    expect((await linkFromSettings(local.cookie, { email, verified: false })).error).toBeNull();
    const r = await signInWith({ email, verified: false });
    expect(r.error).toBeNull();
    const session = await app.get("/get-session", r.jar.header);
    expect((session.body as { user: { id: string } }).user.id).toBe(local.id);
  });
});

describe("linking from Settings", () => {
  it("links an identity whatever its address, ends every other session, voids pending links; then it signs in", async () => {
    const email = newEmail("settings");
    const here = await localAccount(email, { verified: true });
    const elsewhere = await app.post("/sign-in/email", { email, password: PASSWORD });
    await app.pool.query("INSERT INTO verification (id, identifier, value, expires_at, created_at, updated_at) VALUES ($1, $2, $3, now() + interval '1 hour', now(), now())", [randomUUID(), `delete-account-${randomUUID()}`, here.id]);
    const other = newEmail("provider-side");

    const r = await linkFromSettings(here.cookie, { email: other, verified: false });
    expect(r.error).toBeNull();
    expect(r.location.pathname).toBe("/settings/sign-in");
    expect((await accounts(here.id)).map((a) => [a.provider_id, a.account_id, a.access_token, a.id_token])).toEqual([
      ["credential", here.id, null, null],
      ["oidc", `unconfirmed:${other}`, null, null],
    ]);
    expect(await tokenStatus(here.cookie)).toBe(200);
    expect(await tokenStatus(elsewhere.cookie)).toBe(401);
    expect(await activity(here.id)).toEqual(["account-created:password", "sign-in:password", "provider-linked:oidc"]);
    expect((await app.pool.query("SELECT 1 FROM verification WHERE value = $1", [here.id])).rowCount).toBe(0);

    const back = await signInWith({ email: other, verified: false });
    expect(back.error).toBeNull();
    expect((await activity(here.id)).slice(3)).toEqual(["sign-in:oidc"]);
    expect(((await app.get("/get-session", back.jar.header)).body as { user: { id: string } }).user.id).toBe(here.id);
    // The provider's address is not the account's: the account keeps its own.
    expect(await userRow(other)).toBeUndefined();
  });

  it("refuses an identity that is linked to another user, and leaves it there", async () => {
    const owner = newEmail("first-owner");
    const first = await signInWith({ email: owner, verified: true });
    const firstId = (await userRow(owner))!.id;
    const second = await localAccount(newEmail("second"), { verified: true });
    const r = await linkFromSettings(second.cookie, { email: owner, verified: true });
    expect(r.location.pathname).toBe("/settings/sign-in");
    expect(r.error).toBe(SIGN_IN_METHOD_ERRORS.LINKED_TO_ANOTHER_USER.code);
    expect((await accounts(second.id)).map((a) => a.provider_id)).toEqual(["credential"]);
    expect((await accounts(firstId)).map((a) => a.provider_id)).toEqual(["oidc"]);
    expect(await tokenStatus(first.jar.header)).toBe(200);
    expect(await tokenStatus(second.cookie)).toBe(200);
  });
});

describe("linking from Settings: a fresh session, and one that ended", () => {
  it("needs a session younger than a day, and never takes an ID token instead of the provider's page", async () => {
    const email = newEmail("stale");
    const local = await localAccount(email, { verified: true });
    const idToken = await app.post("/link-social", { provider: "oidc", idToken: { token: "x.y.z" } }, local.cookie);
    expect(idToken.status).toBe(400);
    expect(idToken.body).toMatchObject({ code: SIGN_IN_METHOD_ERRORS.ID_TOKEN_LINK_UNSUPPORTED.code });
    await app.pool.query("UPDATE session SET created_at = now() - interval '25 hours' WHERE user_id = $1", [local.id]);
    const stale = await app.post("/link-social", { provider: "oidc", callbackURL: "/settings/sign-in" }, local.cookie);
    expect(stale.status).toBe(403);
    expect(stale.body).toEqual(SIGN_IN_METHOD_ERRORS.LINK_NEEDS_FRESH_SESSION);
    expect((await app.post("/link-social", { provider: "oidc", callbackURL: "/settings/sign-in" })).status).toBe(401);
  });

  it("a link whose session ended before the provider answered links nothing", async () => {
    const email = newEmail("ended");
    const local = await localAccount(email, { verified: true });
    const jar = new Jar(local.cookie);
    const start = await app.post("/link-social", { provider: "oidc", callbackURL: "/settings/sign-in", errorCallbackURL: "/settings/sign-in" }, jar.header);
    jar.take(start.setCookies);
    await app.pool.query("DELETE FROM session WHERE user_id = $1", [local.id]);
    const back = await authorizeAtIdp(String(start.body!.url), { email: newEmail("late"), verified: true });
    const r = await app.get(`/callback/oidc${back.search}`, jar.header);
    expect(new URL(r.location!, app.env.BETTER_AUTH_URL).searchParams.get("error")).toBe(SIGN_IN_METHOD_ERRORS.LINK_SESSION_ENDED.code);
    expect((await accounts(local.id)).map((a) => a.provider_id)).toEqual(["credential"]);
  });
});

describe("unlinking", () => {
  const listAccounts = async (cookie: string) => (await app.get("/list-accounts", cookie)).body as unknown as { id: string; providerId: string }[];

  it("refuses to unlink the only way in, with a sentence that says what to do", async () => {
    const email = newEmail("only");
    const r = await signInWith({ email, verified: true });
    const [only] = await listAccounts(r.jar.header);
    const refused = await app.post("/unlink-account", { accountId: only!.id }, r.jar.header);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(SIGN_IN_METHOD_ERRORS.LAST_SIGN_IN_METHOD);
    expect(await accounts((await userRow(email))!.id)).toHaveLength(1);
  });

  it("a password row without a password, or a provider this app no longer offers, is no way in", async () => {
    const email = newEmail("hollow");
    const r = await signInWith({ email, verified: true });
    const userId = (await userRow(email))!.id;
    await app.pool.query("INSERT INTO account (id, account_id, provider_id, user_id, password, created_at, updated_at) VALUES ($1, $2, 'credential', $2, NULL, now(), now())", [randomUUID(), userId]);
    await app.pool.query("INSERT INTO account (id, account_id, provider_id, user_id, created_at, updated_at) VALUES ($1, 'gone-1', 'github', $2, now(), now())", [randomUUID(), userId]);
    const oidc = (await listAccounts(r.jar.header)).find((a) => a.providerId === "oidc")!;
    expect((await app.post("/unlink-account", { accountId: oidc.id }, r.jar.header)).body).toEqual(SIGN_IN_METHOD_ERRORS.LAST_SIGN_IN_METHOD);
  });

  it("unlinks a provider when a password is left; Better Auth's own answers for the rest", async () => {
    const email = newEmail("two-ways");
    const local = await localAccount(email, { verified: true });
    expect((await linkFromSettings(local.cookie, { email, verified: true })).error).toBeNull();
    const oidc = (await listAccounts(local.cookie)).find((a) => a.providerId === "oidc")!;
    expect((await app.post("/unlink-account", { accountId: "not-an-account" }, local.cookie)).status).toBe(400);
    expect((await app.post("/unlink-account", { accountId: oidc.id })).status).toBe(401);
    const before = (await activity(local.id)).length;
    const r = await app.post("/unlink-account", { accountId: oidc.id }, local.cookie);
    expect(r.status).toBe(200);
    expect((await activity(local.id)).slice(before)).toEqual(["provider-unlinked:oidc"]);
    expect((await accounts(local.id)).map((a) => a.provider_id)).toEqual(["credential"]);
    expect(await passwordSignIn(email)).toBe(200);
  });
});

describe("a password for an account made through a provider", () => {
  it("is set through an emailed link to the proven address; then the provider can go", async () => {
    const email = newEmail("set-password");
    await signInWith({ email, verified: true });
    const userId = (await userRow(email))!.id;
    expect(await passwordSignIn(email, OWNER_PASSWORD)).toBe(401);
    expect((await app.post("/request-password-reset", { email, redirectTo: "/reset-password" })).status).toBe(200);
    await expect.poll(async () => (await mailsTo(email)).filter((m) => /Reset your password/.test(m.subject)).length, { timeout: 10_000 }).toBe(1);
    const mail = (await mailsTo(email)).find((m) => /Reset your password/.test(m.subject))!;
    const token = new URL(linksOf(mail)[0]!).searchParams.get("token")!;
    const set = await app.post("/reset-password", { token, newPassword: OWNER_PASSWORD });
    expect(set.status).toBe(200);
    expect(await passwordSignIn(email, OWNER_PASSWORD)).toBe(200);
    expect((await accounts(userId)).map((a) => a.provider_id)).toEqual(["credential", "oidc"]);
    // Single use, like every reset link.
    expect((await app.post("/reset-password", { token, newPassword: "Another-Horse-Again-3" })).status).toBe(400);
    const oidc = (await app.get("/list-accounts", set.cookie)).body as unknown as { id: string; providerId: string }[];
    expect((await app.post("/unlink-account", { accountId: oidc.find((a) => a.providerId === "oidc")!.id }, set.cookie)).status).toBe(200);
  });
});

describe("ownerName", () => {
  it("takes the provider's name when the profile rules accept it, else the address's local part, else a neutral name", () => {
    expect(ownerName("  Ada Lovelace ", "ada@example.test")).toBe("Ada Lovelace");
    expect(ownerName("www.evil.example", "ada@example.test")).toBe("ada");
    expect(ownerName(undefined, "www.evil.example@example.test")).toBe("Account owner");
  });
});
