// Sign-in through a provider (sign-in-providers.ts) as the app runs it (auth route, throttle, Better Auth on the
// TLS test database) against the real local OpenID provider (tools/harness/src/local-idp-server.ts): the whole redirect
// flow, the session and backend token it gives, and every failure ending on /sign-in?error=<code> with one log
// line naming the cause. Failures the provider will not produce on its own (a tampered ID token, a token endpoint
// that hangs or drops the connection, a broken discovery document) come from small loopback servers in front of
// it, or instead of it: nothing between the app and the provider is mocked.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { createPrivateKey, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { decodeJwt, jwtVerify, SignJWT } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { findRepoRoot } from "@/config/repo-root";
import { type AuthApp, authApp } from "@/test/auth-app";
import { captureConsole } from "@/test/console-capture";
import { authorizeAtIdp, IDP, OIDC_TEST_ENV, signInThroughIdp, stateCookieOf } from "@/test/local-idp";
import { PROVIDER_TIMEOUT_MS, signInProviders } from "./sign-in-providers";

if (!process.env.DATABASE_URL) {
  throw new Error("sign-in-providers.integration needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.");
}

const apps: AuthApp[] = [];
const servers: http.Server[] = [];
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** The app with the local provider as `oidc` (and whatever `overrides` add), default mode. */
function app(overrides: Record<string, string> = {}): AuthApp {
  const a = authApp({ ...OIDC_TEST_ENV, REQUIRE_EMAIL_VERIFICATION: "false", ...overrides });
  apps.push(a);
  return a;
}

const person = (verified = true) => ({ email: `sso-${randomUUID()}@example.test`, verified });

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

/** A loopback server. */
async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const idpDiscovery = async () => (await (await fetch(`${IDP}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;

/** The local provider's signing key (tools/harness/src/local-idp-server.ts keeps it in .dev/local-idp/). */
function idpKey() {
  const jwk = (JSON.parse(fs.readFileSync(path.join(findRepoRoot(), ".dev", "local-idp", "jwks.json"), "utf8")) as { keys: (object & { kid: string })[] }).keys[0]!;
  return { key: createPrivateKey({ key: jwk as never, format: "jwk" }), kid: jwk.kid };
}

type TokenAnswer = Record<string, unknown> & { id_token?: string };

/**
 * A server in front of the local provider at the token endpoint: discovery says the token endpoint is here (and
 * the user info endpoint wherever `userinfo` says), the rest stays the provider's. `token` decides what the app
 * gets: the provider's answer changed, no answer at all, or a dropped connection.
 */
async function inFrontOfIdp(token: "hang" | "drop" | ((answer: TokenAnswer) => Promise<TokenAnswer> | TokenAnswer), userinfo?: string) {
  const base = await serve(async (req, res) => {
    if (req.url === "/.well-known/openid-configuration") {
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ...(await idpDiscovery()), token_endpoint: `${base}/token`, ...(userinfo ? { userinfo_endpoint: userinfo } : {}) }));
    }
    if (token === "hang") return; // never answers
    if (token === "drop") return void req.socket.destroy();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const upstream = await fetch(`${IDP}/token`, { method: "POST", headers: { authorization: req.headers.authorization!, "content-type": req.headers["content-type"]! }, body: Buffer.concat(chunks) });
    const body = await token((await upstream.json()) as TokenAnswer);
    res.writeHead(upstream.status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  return base;
}

/** The provider's ID token with `change` applied, signed again with the provider's own key (or `key`). */
const tampered = (change: (claims: Record<string, unknown>) => Record<string, unknown>, key = idpKey()) => async (answer: TokenAnswer) => {
  const claims = change(decodeJwt(answer.id_token!) as Record<string, unknown>);
  return { ...answer, id_token: await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: key.kid }).sign(key.key) };
};

describe("an ID token that does not hold is refused, its flaw named in the log", () => {
  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ["a nonce of another sign-in", (c: Record<string, unknown>) => ({ ...c, nonce: "another-sign-in" }), "the ID token's nonce is not this sign-in's"],
    ["another audience", (c: Record<string, unknown>) => ({ ...c, aud: "someone-else" }), "the ID token is for someone-else, not this client"],
    ["an expired one", (c: Record<string, unknown>) => ({ ...c, iat: now() - 7200, exp: now() - 3600 }), "the ID token has expired"],
    ["another issuer", (c: Record<string, unknown>) => ({ ...c, iss: "http://evil.example" }), `the ID token's issuer http://evil.example is not ${IDP}`],
  ])("%s", async (_, change, cause) => {
    const a = app({ OIDC_ISSUER: await inFrontOfIdp(tampered(change)) });
    const warn = captureConsole("warn");
    captureConsole("error");
    const { answer } = await signInThroughIdp(a, person());
    expect(answer.location).toBe("/sign-in?via=oidc&error=unable_to_get_user_info");
    expect(answer.cookie).toBeUndefined();
    expect(warn.lines()).toContain(`auth: sign-in with Local SSO (oidc) failed: unable_to_get_user_info: ${cause}`);
  });

  it("signed with another key, or not a JWT at all", async () => {
    const { privateKey } = await import("node:crypto").then((c) => c.generateKeyPairSync("rsa", { modulusLength: 2048 }));
    const forged = app({ OIDC_ISSUER: await inFrontOfIdp(tampered((c) => c, { key: privateKey, kid: idpKey().kid })) });
    const opaque = app({ OIDC_ISSUER: await inFrontOfIdp((answer) => ({ ...answer, id_token: "opaque-token" })) });
    const warn = captureConsole("warn");
    captureConsole("error");
    expect((await signInThroughIdp(forged, person())).answer.location).toBe("/sign-in?via=oidc&error=unable_to_get_user_info");
    expect((await signInThroughIdp(opaque, person())).answer.location).toBe("/sign-in?via=oidc&error=unable_to_get_user_info");
    expect(warn.lines()).toEqual([
      "auth: sign-in with Local SSO (oidc) failed: unable_to_get_user_info: the ID token's signature does not verify with the provider's keys, or its user info could not be read",
      "auth: sign-in with Local SSO (oidc) failed: unable_to_get_user_info: the ID token is not a JWT",
    ]);
  });

  it("a token answer without tokens", async () => {
    const a = app({ OIDC_ISSUER: await inFrontOfIdp(() => ({ token_type: "Bearer" })) });
    const warn = captureConsole("warn");
    captureConsole("error");
    expect((await signInThroughIdp(a, person())).answer.location).toBe("/sign-in?via=oidc&error=unable_to_get_user_info");
    expect(warn.lines()).toEqual(["auth: sign-in with Local SSO (oidc) failed: unable_to_get_user_info: Local SSO (oidc)'s token endpoint gave no token for the code"]);
  });
});

describe("a provider that is down or slow costs a sign-in, never the app", () => {
  it(`a token endpoint that never answers: provider_timeout after ${PROVIDER_TIMEOUT_MS} ms`, { timeout: PROVIDER_TIMEOUT_MS + 15_000 }, async () => {
    const a = app({ OIDC_ISSUER: await inFrontOfIdp("hang") });
    const warn = captureConsole("warn");
    captureConsole("error");
    const t0 = performance.now();
    const { answer } = await signInThroughIdp(a, person());
    const waited = performance.now() - t0;
    expect(answer.location).toBe("/sign-in?via=oidc&error=provider_timeout");
    expect(waited).toBeGreaterThanOrEqual(PROVIDER_TIMEOUT_MS);
    expect(waited).toBeLessThan(PROVIDER_TIMEOUT_MS + 3000);
    expect(warn.lines()).toEqual([`auth: sign-in with Local SSO (oidc) failed: provider_timeout: Local SSO (oidc)'s token endpoint did not answer within ${PROVIDER_TIMEOUT_MS} ms`]);
  });

  it("a token endpoint that drops the connection, a user info endpoint that refuses it: provider_unreachable", async () => {
    const dropped = app({ OIDC_ISSUER: await inFrontOfIdp("drop") });
    const closed = await serve(() => undefined);
    servers.at(-1)!.close();
    const noUserInfo = app({ OIDC_ISSUER: await inFrontOfIdp((answer) => answer, `${closed}/userinfo`) });
    const warn = captureConsole("warn");
    captureConsole("error");
    expect((await signInThroughIdp(dropped, person())).answer.location).toBe("/sign-in?via=oidc&error=provider_unreachable");
    // carol's ID token has no email: Better Auth asks the user info endpoint, which is not there.
    expect((await signInThroughIdp(noUserInfo, { user: "carol" })).answer.location).toBe("/sign-in?via=oidc&error=provider_unreachable");
    expect(warn.lines()).toEqual([
      expect.stringMatching(/^auth: sign-in with Local SSO \(oidc\) failed: provider_unreachable: Local SSO \(oidc\)'s token endpoint could not be reached \(.+\)$/),
      expect.stringMatching(/^auth: sign-in with Local SSO \(oidc\) failed: provider_unreachable: Local SSO \(oidc\) \(keys or user info\) could not be reached \(.*ECONNREFUSED.*\)$/),
    ]);
  });

  it.each([
    ["answers 500", (res: http.ServerResponse) => void res.writeHead(500).end("oops"), /discovery left no usable authorization endpoint/],
    ["has no jwks_uri", async (res: http.ServerResponse) => {
      const doc = await idpDiscovery();
      delete doc.jwks_uri;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(doc));
    }, /requires verified ID tokens, but discovery did not provide a usable issuer and jwks_uri/],
  ])("discovery that %s: no sign-in button works (404), the app does, the cause logged", async (_, answer, logged) => {
    const error = captureConsole("error");
    const a = app({ OIDC_ISSUER: await serve((_req, res) => void answer(res)) });
    const r = await a.post("/sign-in/social", { provider: "oidc", callbackURL: "/dashboard" });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: "PROVIDER_NOT_FOUND" });
    expect((await a.get("/ok")).status).toBe(200);
    expect(error.lines()).toContainEqual(expect.stringMatching(logged));
  });
});

describe("a provider whose discovery hangs costs the app nothing", () => {
  it("discovery that hangs at start: the app answers after the deadline; once the provider answers, sign-in works", { timeout: PROVIDER_TIMEOUT_MS + 20_000 }, async () => {
    let up = false;
    const waiting: http.ServerResponse[] = [];
    const answer = async (res: http.ServerResponse) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(await idpDiscovery()));
    const issuer = await serve(async (_req, res) => void (up ? await answer(res) : waiting.push(res)));
    const warn = captureConsole("warn");
    const t0 = performance.now();
    const a = app({ OIDC_ISSUER: issuer });
    expect((await a.get("/ok")).status).toBe(200);
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(PROVIDER_TIMEOUT_MS - 100);
    expect(waited).toBeLessThan(PROVIDER_TIMEOUT_MS + 3000);
    expect(warn.lines()).toEqual([`auth: discovery at ${issuer}/.well-known/openid-configuration did not answer within ${PROVIDER_TIMEOUT_MS} ms; oidc is retried on its next sign-in`]);

    up = true;
    // The first, late answer is not waited for any more: the next sign-in asks again.
    for (const res of waiting) await answer(res);
    captureConsole("error");
    const done = await signInThroughIdp(a, person());
    expect(done.answer.location).toBe("/dashboard");
    expect(done.answer.cookie).toMatch(/session_token=/);
    // The provider found on retry is guarded like the others.
    const r = await a.post("/sign-in/social", { provider: "oidc", idToken: { token: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln" } });
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
