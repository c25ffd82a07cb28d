// Sign-in through a provider (sign-in-providers.ts) as the app runs it (auth route, throttle, Better Auth on the
// TLS test database) against the real local OpenID provider (tools/harness/src/local-idp-server.ts): the whole redirect
// flow, the session and backend token it gives, and every failure ending on /sign-in?error=<code> with one log
// line naming the cause. Failures the provider will not produce on its own (a tampered ID token, a token endpoint
// that hangs or drops the connection, a broken discovery document) come from small loopback servers in front of
// it, or instead of it: nothing between the app and the provider is mocked.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { captureConsole } from "@/test/console-capture";
import { authorizeAtIdp, IDP, signInThroughIdp, stateCookieOf } from "@/test/local-idp";
import { app, person } from "@/test/provider-app";
import { signInProviders } from "./sign-in-providers";

describe("sign-in through the local provider", () => {
  it("signs a new person in: a session, its backend token, an `oidc` account row", async () => {
    const a = app();
    const who = person();
    const { answer, start } = await signInThroughIdp(a, who);
    // The authorization request: PKCE S256, a nonce, the standard scopes, our callback.
    const auth = new URL(start.body!.url as string);
    expect(auth.origin).toBe(IDP);
    expect(auth.searchParams.get("code_challenge_method")).toBe("S256");
    expect(auth.searchParams.get("nonce")).toMatch(/^.{32}$/);
    expect(auth.searchParams.get("scope")?.split(" ").sort()).toEqual(["email", "openid", "profile"]);
    expect(auth.searchParams.get("redirect_uri")).toBe(`${a.env.BETTER_AUTH_URL}/api/auth/callback/oidc`);

    expect(answer.status).toBe(302);
    expect(answer.location).toBe("/dashboard");
    expect(answer.cookie).toMatch(/session_token=/);
    const token = await a.get("/token", answer.cookie);
    expect(token.status).toBe(200);
    const { payload } = await jwtVerify(token.body!.token as string, new TextEncoder().encode(a.env.BETTER_AUTH_SECRET), {
      algorithms: ["HS256"],
      issuer: a.env.BACKEND_JWT_ISSUER,
      audience: a.env.BACKEND_JWT_AUDIENCE,
    });
    const { rows } = await a.pool.query<{ user_id: string; session_id: string; account_id: string; email_verified: boolean }>(
      `select u.id as user_id, s.id as session_id, a.account_id, u.email_verified from "user" u join session s on s.user_id = u.id
       join account a on a.user_id = u.id and a.provider_id = 'oidc' where u.email = $1`,
      [who.email],
    );
    expect(rows).toHaveLength(1);
    expect(payload.sub).toBe(rows[0]!.user_id);
    expect(payload.sid).toBe(rows[0]!.session_id);
    expect(rows[0]!.account_id).toBe(`confirmed:${who.email}`);
    expect(rows[0]!.email_verified).toBe(true);

    // Signing out ends the token's session (the backend refuses it on its next request).
    expect((await a.post("/sign-out", {}, answer.cookie)).status).toBe(200);
    expect((await a.get("/token", answer.cookie)).status).toBe(401);
  });
});

describe("sign-in through the local provider, again, refused, and listed", () => {
  it("signs the same person in again into the same account", async () => {
    const a = app();
    const who = person();
    const first = await signInThroughIdp(a, who);
    const second = await signInThroughIdp(a, who, { callbackURL: "/settings" });
    expect(second.answer.location).toBe("/settings");
    const { rows } = await a.pool.query(`select u.id from "user" u join account a on a.user_id = u.id where u.email = $1`, [who.email]);
    expect(rows).toHaveLength(1);
    expect(second.answer.cookie).not.toBe(first.answer.cookie);
  });

  it("Deny at the provider: the sign-in page says so, one log line", async () => {
    const a = app();
    const warn = captureConsole("warn");
    const { answer } = await signInThroughIdp(a, person(), { consent: "deny" });
    expect(answer.status).toBe(302);
    expect(answer.location).toBe("/sign-in?via=oidc&error=access_denied");
    expect(answer.cookie).toBeUndefined();
    expect(warn.lines()).toContain("auth: sign-in with Local SSO (oidc) failed: access_denied: the provider answered access_denied (End-User aborted interaction)");
  });

  it("lists the configured providers, in the buttons' order", () => {
    expect(signInProviders(app().env)).toEqual([{ id: "oidc", name: "Local SSO" }]);
    const all = app({ GITHUB_CLIENT_ID: "gh-id", GITHUB_CLIENT_SECRET: "gh-secret", GOOGLE_CLIENT_ID: "g-id", GOOGLE_CLIENT_SECRET: "g-secret", OIDC_NAME: "" });
    expect(signInProviders(all.env)).toEqual([
      { id: "github", name: "GitHub" },
      { id: "google", name: "Google" },
      { id: "oidc", name: "SSO" },
    ]);
    expect(signInProviders(app({ OIDC_ISSUER: "", OIDC_CLIENT_ID: "", OIDC_CLIENT_SECRET: "", OIDC_NAME: "" }).env)).toEqual([]);
  });
});

describe("a sign-in that cannot finish ends on the sign-in page", () => {
  it("the callback opened twice, in another browser, or with a state that is not ours: state_mismatch", async () => {
    const a = app();
    const warn = captureConsole("warn");
    captureConsole("error"); // Better Auth's own lines for the same failures
    const done = await signInThroughIdp(a, person());
    expect(done.answer.location).toBe("/dashboard");
    const path = `${done.callback.pathname.replace(/^\/api\/auth/, "")}${done.callback.search}`;
    // Twice: the state was used up by the first.
    const again = await a.get(path, done.stateCookie);
    expect(again.location).toBe(`${a.env.BETTER_AUTH_URL}/sign-in?error=state_mismatch`);
    expect(again.cookie).toBeUndefined();

    // In a browser that did not start the sign-in (no state cookie): the flow's own error page.
    const started = await a.post("/sign-in/social", { provider: "oidc", callbackURL: "/dashboard", errorCallbackURL: "/sign-in?via=oidc" });
    const back = await authorizeAtIdp(started.body!.url as string, person());
    const elsewhere = await a.get(`/callback/oidc${back.search}`);
    expect(elsewhere.location).toBe("/sign-in?via=oidc&error=state_mismatch");

    // A made-up state, and none at all.
    expect((await a.get(`/callback/oidc?code=abc&state=${randomUUID()}`)).location).toBe(`${a.env.BETTER_AUTH_URL}/sign-in?error=state_mismatch`);
    expect((await a.get("/callback/oidc?code=abc")).location).toBe(`${a.env.BETTER_AUTH_URL}/sign-in?error=state_not_found`);
    expect(warn.lines()).toContain("auth: sign-in with Local SSO (oidc) failed: state_mismatch: state mismatch");
  });

  it("a code used once already, with a fresh state: invalid_code, the provider's refusal logged", async () => {
    const a = app();
    const warn = captureConsole("warn");
    captureConsole("error");
    const first = await signInThroughIdp(a, person());
    const oldCode = first.callback.searchParams.get("code")!;
    const fresh = await a.post("/sign-in/social", { provider: "oidc", callbackURL: "/dashboard", errorCallbackURL: "/sign-in?via=oidc" });
    const state = new URL(fresh.body!.url as string).searchParams.get("state")!;
    const replay = await a.get(`/callback/oidc?code=${oldCode}&state=${state}&iss=${encodeURIComponent(IDP)}`, stateCookieOf(fresh));
    expect(replay.location).toBe("/sign-in?via=oidc&error=invalid_code");
    expect(replay.cookie).toBeUndefined();
    expect(warn.lines()).toContainEqual(expect.stringMatching(/^auth: sign-in with Local SSO \(oidc\) failed: invalid_code: Local SSO \(oidc\)'s token endpoint refused: invalid_grant/));
  });
});

describe("a sign-in that cannot finish: what the provider gives or withholds", () => {
  it("no email from the provider: email_not_found; an address it does not confirm: email_not_verified", async () => {
    const a = app();
    const warn = captureConsole("warn");
    captureConsole("error");
    expect((await signInThroughIdp(a, { user: "carol" })).answer.location).toBe("/sign-in?via=oidc&error=email_not_found");
    const unconfirmed = person(false);
    expect((await signInThroughIdp(a, unconfirmed)).answer.location).toBe("/sign-in?via=oidc&error=email_not_verified");
    expect((await a.pool.query(`select 1 from "user" where email = $1`, [unconfirmed.email])).rowCount).toBe(0);
    expect(warn.lines()).toContain("auth: sign-in with Local SSO (oidc) failed: email_not_found: email not found");
    expect(warn.lines()).toContainEqual(expect.stringMatching(/^auth: sign-in with Local SSO \(oidc\) failed: email_not_verified: /));
  });

  it("an ID token posted by a client is no way in: only the redirect flow signs in", async () => {
    const a = app();
    captureConsole("error");
    const first = await signInThroughIdp(a, person());
    expect(first.answer.location).toBe("/dashboard");
    const r = await a.post("/sign-in/social", { provider: "oidc", idToken: { token: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln" } });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: "ID_TOKEN_NOT_SUPPORTED" });
  });
});

describe("GitHub and Google", () => {
  // Their endpoints are fixed in Better Auth (github.com, accounts.google.com): what the app sends them is
  // checked here, offline; the exchange with them is not.
  it("send the browser to the provider with PKCE, state and our callback", async () => {
    const a = app({ GITHUB_CLIENT_ID: "gh-client", GITHUB_CLIENT_SECRET: "gh-secret", GOOGLE_CLIENT_ID: "g-client.apps.googleusercontent.com", GOOGLE_CLIENT_SECRET: "g-secret" });
    for (const [provider, endpoint, scopes] of [
      ["github", "https://github.com/login/oauth/authorize", ["read:user", "user:email"]],
      ["google", "https://accounts.google.com/o/oauth2/v2/auth", ["email", "openid", "profile"]],
    ] as const) {
      const r = await a.post("/sign-in/social", { provider, callbackURL: "/dashboard", errorCallbackURL: `/sign-in?via=${provider}` });
      expect(r.status).toBe(200);
      const url = new URL(r.body!.url as string);
      expect(`${url.origin}${url.pathname}`).toBe(endpoint);
      expect(url.searchParams.get("client_id")).toBe(provider === "github" ? "gh-client" : "g-client.apps.googleusercontent.com");
      expect(url.searchParams.get("redirect_uri")).toBe(`${a.env.BETTER_AUTH_URL}/api/auth/callback/${provider}`);
      expect(url.searchParams.get("state")).toMatch(/^.{32}$/);
      expect(url.searchParams.get("code_challenge_method")).toBe("S256");
      expect(url.searchParams.get("scope")?.split(" ").sort()).toEqual(scopes);
      expect(stateCookieOf(r)).toMatch(/^better-auth\.state=/);
    }
  });

  it("a provider that is not configured is not there", async () => {
    const error = captureConsole("error");
    const r = await app().post("/sign-in/social", { provider: "github", callbackURL: "/dashboard" });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: "PROVIDER_NOT_FOUND" });
    expect(error.lines()).toContainEqual(expect.stringMatching(/Provider not found/));
  });
});

