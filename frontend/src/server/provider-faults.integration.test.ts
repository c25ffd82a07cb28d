// What a provider that fails or lies costs (sign-in-providers.ts), as the app runs it against the real local
// OpenID provider (tools/harness/src/local-idp-server.ts): an ID token that does not hold, a token endpoint that
// hangs or drops the connection, a discovery that hangs. These failures come from small loopback servers in
// front of the provider, or instead of it: nothing between the app and the provider is mocked. The flows that
// work, and the failures the provider produces itself: sign-in-providers.integration.test.ts.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { createPrivateKey } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { decodeJwt, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { findRepoRoot } from "@/config/repo-root";
import { captureConsole } from "@/test/console-capture";
import { IDP, signInThroughIdp } from "@/test/local-idp";
import { app, person, servers } from "@/test/provider-app";
import { PROVIDER_TIMEOUT_MS } from "./sign-in-providers";

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
