// The local OpenID provider (tools/harness/src/local-idp-server.ts) on a free loopback port, driven as an app would: the
// authorization code flow with PKCE through its login and consent pages, the token endpoint, the ID token
// checked against its JWKS; then what the app's failure pages rely on (Cancel and Deny answer access_denied,
// a code works once, PKCE is required).
import assert from "node:assert/strict";
import { createHash, createPublicKey, randomBytes, verify } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { after, before, test } from "node:test";
import { freePort, type LocalIdp, startLocalIdp, wantsLocalIdp } from "@authbridge/harness";
import { oidcDiscoveryCheck } from "./doctor-command.ts";

const APP = "http://localhost:3999";
const CALLBACK = `${APP}/api/auth/callback/oidc`;
const CLIENT = { clientId: "local-idp-test", clientSecret: randomBytes(16).toString("hex"), appUrls: [APP] };
let idp: LocalIdp;

before(async () => {
  idp = await startLocalIdp(await freePort(), CLIENT, { quiet: true });
});
after(async () => {
  await idp.service?.stop();
});

/** A browser's cookies for the provider (one origin), enough to walk its pages with fetch. */
class Browser {
  private cookies = new Map<string, string>();
  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(5000) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [name, ...value] = pair!.split("=");
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name!);
      else this.cookies.set(name!, value.join("="));
    }
    return res;
  }
  /** Follows redirects on the provider until one leaves it (to the app) or a page answers. */
  async follow(url: string, init: RequestInit = {}): Promise<{ url: string; res: Response }> {
    let res = await this.go(url, init);
    for (let hops = 0; hops < 10 && res.status >= 300 && res.status < 400; hops++) {
      url = new URL(res.headers.get("location")!, url).href;
      if (!url.startsWith(idp.issuer)) return { url, res };
      res = await this.go(url);
    }
    return { url, res };
  }
  post(url: string, form: Record<string, string>) {
    return this.follow(url, { method: "POST", body: new URLSearchParams(form), headers: { "content-type": "application/x-www-form-urlencoded" } });
  }
}

const b64url = (buf: Buffer) => buf.toString("base64url");

function authorizeUrl(verifier: string, nonce: string, state: string): string {
  const url = new URL(`${idp.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: CLIENT.clientId,
    redirect_uri: CALLBACK,
    response_type: "code",
    scope: "openid email profile",
    state,
    nonce,
    code_challenge: b64url(createHash("sha256").update(verifier).digest()),
    code_challenge_method: "S256",
  }).toString();
  return url.href;
}

const action = (html: string, path: string) => {
  const m = new RegExp(`action="(/interaction/[\\w-]+/${path})"`).exec(html);
  assert.ok(m, `no ${path} form on the page: ${html.slice(0, 300)}`);
  return `${idp.issuer}${m[1]}`;
};

/** Logs in with `form` and allows (or denies) the consent; the redirect back to the app. */
async function authorize(form: Record<string, string>, consent: "allow" | "deny" = "allow", verifier = b64url(randomBytes(32)), nonce = "n-0S6_WzA2Mj") {
  const browser = new Browser();
  const state = b64url(randomBytes(12));
  const login = await browser.follow(authorizeUrl(verifier, nonce, state));
  assert.equal(login.res.status, 200);
  const loginHtml = await login.res.text();
  assert.match(loginHtml, /Sign in to Local SSO/);
  const afterLogin = await browser.post(action(loginHtml, "login"), form);
  assert.equal(afterLogin.res.status, 200, "the consent page");
  const consentHtml = await afterLogin.res.text();
  assert.match(consentHtml, /Allow access\?/);
  const back = consent === "allow" ? await browser.post(action(consentHtml, "consent"), {}) : await browser.post(action(consentHtml, "abort"), { deny: "yes" });
  assert.ok(back.url.startsWith(CALLBACK), `back at the app: ${back.url}`);
  const params = new URL(back.url).searchParams;
  assert.equal(params.get("state"), state);
  return { params, verifier, nonce };
}

async function token(code: string, verifier: string): Promise<Response> {
  return fetch(`${idp.issuer}/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: verifier }),
  });
}

/** The ID token's claims, after checking its RS256 signature against the provider's JWKS. */
async function verifiedClaims(idToken: string): Promise<Record<string, unknown>> {
  const [header, payload, signature] = idToken.split(".") as [string, string, string];
  const { kid, alg } = JSON.parse(Buffer.from(header, "base64url").toString()) as { kid: string; alg: string };
  assert.equal(alg, "RS256");
  const jwks = (await (await fetch(`${idp.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
  const jwk = jwks.keys.find((k) => k.kid === kid);
  assert.ok(jwk, "the signing key is published");
  assert.ok(verify("sha256", Buffer.from(`${header}.${payload}`), createPublicKey({ key: jwk, format: "jwk" }), Buffer.from(signature, "base64url")), "signature");
  return JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
}

test("discovery names the issuer, S256 PKCE and RS256 ID tokens", async () => {
  const doc = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  assert.equal(doc.issuer, idp.issuer);
  assert.deepEqual(doc.code_challenge_methods_supported, ["S256"]);
  assert.deepEqual(doc.id_token_signing_alg_values_supported, ["RS256"]);
  assert.equal(doc.jwks_uri, `${idp.issuer}/jwks`);
  assert.deepEqual(idp.env, { OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: CLIENT.clientId, OIDC_CLIENT_SECRET: CLIENT.clientSecret, OIDC_NAME: "Local SSO" });
});

test("alice signs in: a code, once, for an ID token with her confirmed email and the nonce", async () => {
  const { params, verifier, nonce } = await authorize({ user: "alice" });
  assert.equal(params.get("iss"), idp.issuer);
  const code = params.get("code")!;
  const res = await token(code, verifier);
  assert.equal(res.status, 200);
  const claims = await verifiedClaims(((await res.json()) as { id_token: string }).id_token);
  assert.equal(claims.iss, idp.issuer);
  assert.equal(claims.aud, CLIENT.clientId);
  assert.equal(claims.nonce, nonce);
  assert.equal(claims.sub, "alice");
  assert.equal(claims.email, "alice@example.test");
  assert.equal(claims.email_verified, true);
  // The same code again: refused (and the grant it made is revoked).
  const replay = await token(code, verifier);
  assert.equal(replay.status, 400);
  assert.equal(((await replay.json()) as { error: string }).error, "invalid_grant");
});

test("bob's email is not confirmed, carol has none, another person is who the form says", async () => {
  for (const [form, expected] of [
    [{ user: "bob" }, { sub: "bob", email: "bob@example.test", email_verified: false }],
    [{ user: "carol" }, { sub: "carol", email: undefined, email_verified: undefined }],
    [{ email: "Dana@Example.test", verified: "yes" }, { sub: "confirmed:dana@example.test", email: "dana@example.test", email_verified: true }],
    [{ email: "erin@example.test" }, { sub: "unconfirmed:erin@example.test", email: "erin@example.test", email_verified: false }],
  ] as const) {
    const { params, verifier } = await authorize(form);
    const res = await token(params.get("code")!, verifier);
    const claims = await verifiedClaims(((await res.json()) as { id_token: string }).id_token);
    assert.deepEqual({ sub: claims.sub, email: claims.email, email_verified: claims.email_verified }, expected);
  }
});

test("Deny at the consent answers access_denied; a wrong PKCE verifier gets no token", async () => {
  const denied = await authorize({ user: "alice" }, "deny");
  assert.equal(denied.params.get("error"), "access_denied");
  assert.equal(denied.params.get("code"), null);

  const { params } = await authorize({ user: "alice" });
  const res = await token(params.get("code")!, b64url(randomBytes(32)));
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { error: string }).error, "invalid_grant");
});

test("Cancel on the login page answers access_denied; PKCE is required", async () => {
  const browser = new Browser();
  const login = await browser.follow(authorizeUrl(b64url(randomBytes(32)), "n", "s1"));
  const cancelled = await browser.post(action(await login.res.text(), "abort"), {});
  assert.equal(new URL(cancelled.url).searchParams.get("error"), "access_denied");

  const noPkce = new URL(authorizeUrl("v", "n", "s2"));
  noPkce.searchParams.delete("code_challenge");
  noPkce.searchParams.delete("code_challenge_method");
  const refused = await new Browser().follow(noPkce.href);
  assert.equal(new URL(refused.url).searchParams.get("error"), "invalid_request");
  assert.match(new URL(refused.url).searchParams.get("error_description") ?? "", /requires PKCE/);
});

test("npm run doctor: the discovery document answers, names the issuer and its keys; each way it does not", async () => {
  const lines: string[] = [];
  const add = (name: string, outcome: string, detail: string) => void lines.push(`${outcome} ${name}: ${detail}`);
  await oidcDiscoveryCheck(`${idp.issuer}/`, false, add);
  assert.equal(lines.pop(), `pass OpenID provider discovery (OIDC_ISSUER): ${idp.issuer}/.well-known/openid-configuration names ${idp.issuer}, keys at ${idp.issuer}/jwks`);

  const real = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  let answer: (res: http.ServerResponse) => void = () => undefined;
  const server = http.createServer((_req, res) => answer(res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const other = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  try {
    answer = (res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(real));
    await oidcDiscoveryCheck(other, false, add);
    assert.match(lines.pop()!, new RegExp(`^fail .*names the issuer ${idp.issuer}, not ${other}: ID tokens would be refused\\. Fix: set OIDC_ISSUER=${idp.issuer}$`));
    answer = (res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ...real, issuer: other, jwks_uri: undefined }));
    await oidcDiscoveryCheck(other, false, add);
    assert.match(lines.pop()!, /^fail .*publishes no jwks_uri/);
    answer = (res) => res.writeHead(500).end("oops");
    await oidcDiscoveryCheck(other, false, add);
    assert.match(lines.pop()!, /^fail .*answered 500 without a discovery document\. Fix: /);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  // Nothing there: a configured provider fails, the local one npm run dev would start is skipped.
  await oidcDiscoveryCheck(other, false, add);
  assert.match(lines.pop()!, /^fail .*did not answer within 6 s/);
  await oidcDiscoveryCheck(other, true, add);
  assert.equal(lines.pop(), `skip OpenID provider discovery (Local SSO): nothing answers at ${other} (npm run dev starts it)`);
});

test("npm run dev starts Local SSO unless OIDC_ISSUER names another provider", () => {
  assert.equal(wantsLocalIdp({}), true);
  assert.equal(wantsLocalIdp({ OIDC_ISSUER: "" }), true);
  assert.equal(wantsLocalIdp({ OIDC_ISSUER: "http://localhost:9400/" }), true);
  assert.equal(wantsLocalIdp({ OIDC_ISSUER: "https://sso.example.com/realms/acme" }), false);
});

test("an app on another loopback port is a callback too (a native client, RFC 8252); another host is not", async () => {
  const elsewhere = "http://localhost:3998/api/auth/callback/oidc";
  const url = new URL(authorizeUrl(b64url(randomBytes(32)), "n", "s3"));
  url.searchParams.set("redirect_uri", elsewhere);
  const browser = new Browser();
  const login = await browser.follow(url.href);
  const consent = await browser.post(action(await login.res.text(), "login"), { user: "alice" });
  const back = await browser.post(action(await consent.res.text(), "consent"), {});
  assert.ok(back.url.startsWith(`${elsewhere}?code=`), back.url);

  url.searchParams.set("redirect_uri", "http://app.example/api/auth/callback/oidc");
  const refused = await new Browser().follow(url.href);
  assert.equal(refused.res.status, 400);
  assert.match(await refused.res.text(), /invalid_redirect_uri: redirect_uri did not match/);
});
