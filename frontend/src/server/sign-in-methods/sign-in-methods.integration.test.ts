// The account's sign-in methods (docs/security.md "Sign-in providers and linking"), through the whole
// auth route against a real OpenID provider (the local one, src/test/local-idp.ts): linking from
// Settings, an identity of another user refused, a fresh session needed, the last way in kept, a password
// set by an emailed link, the owner's name. The linking matrix of a sign-in through a provider:
// provider-linking.integration.test.ts.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { authorizeAtIdp } from "@/test/local-idp";
import { linksOf, mailsTo } from "@/test/mail-catcher";
import { accounts, activity, app, Jar, linkFromSettings, localAccount, newEmail, PASSWORD, passwordSignIn, signInWith, tokenStatus, userRow } from "@/test/sign-in-methods-app";
import { ownerName, SIGN_IN_METHOD_ERRORS } from "./plugin";

const OWNER_PASSWORD = "Owners-Later-Horse-7";

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
