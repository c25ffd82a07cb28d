// Sign-in providers joining accounts (docs/security.md "Sign-in providers and linking"), through the
// whole auth route against a real OpenID provider (the local one, src/test/local-idp.ts): the linking
// matrix (provider confirms the address or not × the account's address confirmed or not × a password or
// not), the squatter voided, strict mode, an identity linked already, provider tokens never stored.
// Linking from Settings, unlinking, a password set later: sign-in-methods.integration.test.ts.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { captureConsole } from "@/test/console-capture";
import { accounts, activity, app, linkFromSettings, localAccount, newEmail, passwordSignIn, providerApp, signInWith, tokenStatus, userRow } from "@/test/sign-in-methods-app";
import { SIGN_IN_METHOD_ERRORS } from "./plugin";

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
