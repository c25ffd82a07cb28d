// The local OpenID provider ("Local SSO", dev/src/local-idp-server.ts: panva's oidc-provider, OpenID
// Certified) for integration tests, in this process on a loopback port of its own, with a throwaway
// signing key. Nothing between the app and it is mocked: the app discovers it, sends the browser to
// its authorization endpoint with PKCE, `state` and `nonce`, exchanges the code and verifies the ID
// token against its JWKS. `authorize` plays the browser at the provider: it follows the
// authorization URL, signs in on the provider's own login page (a test user, or any address,
// confirmed or not), allows on its consent page, and returns the redirect back to the app.
// The hand-written types of oidc-provider (it ships none): an ambient module declaration, so a reference.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a `declare module` file cannot be imported
/// <reference path="../../../dev/src/oidc-provider.d.ts" />
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { localIdpHandler } from "../../../dev/src/local-idp-server";

/** Who signs in at the provider: one of its test users, or any address it confirms (or not). */
export type IdpPerson = { user: "alice" | "bob" | "carol" } | { email: string; verified: boolean };

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The app's OIDC_* variables for this provider. */
  env: Record<string, string>;
  /** Plays the browser at the provider as `person`; returns where the provider sends it back (the app's callback). */
  authorize(authorizationUrl: string, person: IdpPerson, answer?: "allow" | "deny"): Promise<URL>;
  close(): Promise<void>;
}

/** Starts a provider whose one client may return to `appUrl`'s `/api/auth/callback/oidc`. */
export async function startTestIdp(appUrl: string): Promise<TestIdp> {
  const clientId = "authbridge-integration";
  const clientSecret = "integration-test-client-secret";
  const stateDir = mkdtempSync(path.join(tmpdir(), "authbridge-idp-"));
  let handler: ReturnType<typeof localIdpHandler> = (_req, res) => void res.writeHead(503).end();
  // `localhost` resolves to 127.0.0.1 or ::1: the provider listens on both where the machine has both.
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const v6 = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => v6.once("error", () => resolve()).listen(port, "::1", resolve));
  handler = localIdpHandler({ port, clientId, clientSecret, redirectUris: [`${new URL(appUrl).origin}/api/auth/callback/oidc`], stateDir });
  const issuer = `http://localhost:${port}`;

  return {
    issuer,
    clientId,
    clientSecret,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret, OIDC_NAME: "Local SSO" },
    async authorize(authorizationUrl, person, answer = "allow") {
      const jar = new Map<string, string>();
      const send = async (url: URL, form?: Record<string, string>) => {
        const res = await fetch(url, {
          method: form ? "POST" : "GET",
          redirect: "manual",
          headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "), ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
          body: form ? new URLSearchParams(form) : undefined,
        });
        for (const c of res.headers.getSetCookie()) {
          const pair = c.split(";")[0]!;
          const at = pair.indexOf("=");
          jar.set(pair.slice(0, at), pair.slice(at + 1));
        }
        return res;
      };
      let url = new URL(authorizationUrl);
      // authorize → login page → authorize → consent page → authorize → the app: a handful of hops, bounded.
      for (let hop = 0; hop < 12; hop++) {
        if (url.origin !== new URL(issuer).origin) return url;
        let res = await send(url);
        const page = /^\/interaction\/([\w-]+)\/?$/.exec(url.pathname);
        if (page && res.status === 200) {
          const html = await res.text();
          if (html.includes("Allow access?")) res = await send(new URL(`/interaction/${page[1]}/${answer === "allow" ? "consent" : "abort"}`, issuer), answer === "allow" ? {} : { deny: "yes" });
          else res = await send(new URL(`/interaction/${page[1]}/login`, issuer), "user" in person ? { user: person.user } : { email: person.email, ...(person.verified ? { verified: "yes" } : {}) });
        }
        const location = res.headers.get("location");
        if (!location) throw new Error(`the provider answered ${res.status} at ${url.pathname}: ${(await res.text()).slice(0, 300)}`);
        url = new URL(location, url);
      }
      throw new Error("the provider kept redirecting");
    },
    async close() {
      await Promise.all([server, v6].map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))));
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
