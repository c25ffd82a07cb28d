// The local OpenID provider ("Local SSO") that `npm run dev` and `npm test` start (local-idp.ts): panva's
// oidc-provider (OpenID Certified), on loopback over plain http (never reachable from another machine, so
// nothing it sends can be read on the way), with one client (the app), PKCE required, RS256 ID tokens from a
// key kept under .dev/local-idp/, and its own login and consent pages: a few test users, any other address
// (confirmed or not) for tests that need a person of their own, Cancel and Deny.
//
//   node --import tsx tools/harness/src/local-idp-server.ts --port 9400 --client-id ID --client-secret SECRET \
//        --redirect-uri http://localhost:3000/api/auth/callback/oidc [--redirect-uri …] [--state-dir DIR]
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import Provider, { type AccountClaims, type Interaction } from "oidc-provider";

/** The test users every Local SSO has; any other email address can sign in too (see the login page). */
export const LOCAL_IDP_USERS: Readonly<Record<string, AccountClaims>> = {
  alice: { sub: "alice", name: "Alice Example", email: "alice@example.test", email_verified: true },
  bob: { sub: "bob", name: "Bob Example", email: "bob@example.test", email_verified: false },
  carol: { sub: "carol", name: "Carol Example" },
};

/** The signing key (a private JWK set) and the cookie key, made once and kept in `dir` (git-ignored). */
export function localIdpKeys(dir: string): { jwks: { keys: object[] }; cookieKey: string } {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const jwksFile = path.join(dir, "jwks.json");
  if (!fs.existsSync(jwksFile)) {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: "jwk" }), kid: randomBytes(8).toString("hex"), alg: "RS256", use: "sig" };
    fs.writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }), { mode: 0o600 });
  }
  const cookieFile = path.join(dir, "cookie-key");
  if (!fs.existsSync(cookieFile)) fs.writeFileSync(cookieFile, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return { jwks: JSON.parse(fs.readFileSync(jwksFile, "utf8")) as { keys: object[] }, cookieKey: fs.readFileSync(cookieFile, "utf8").trim() };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Local SSO</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
button{display:block;width:100%;margin:.5rem 0;padding:.6rem;font:inherit;cursor:pointer}
input[type=email]{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}fieldset{margin:1rem 0}.note{color:#555;font-size:.9em}</style>
</head><body><h1>${escape(title)}</h1>${body}</body></html>`;
}

function loginPage(uid: string, clientId: string, error?: string): string {
  const users = Object.entries(LOCAL_IDP_USERS)
    .map(([id, u]) => {
      const email = typeof u.email === "string" ? `${u.email}, ${u.email_verified ? "confirmed" : "not confirmed"}` : "no email address";
      return `<button type="submit" name="user" value="${id}">Sign in as ${id} (${escape(email)})</button>`;
    })
    .join("");
  return page(
    "Sign in to Local SSO",
    `<p class="note">A development identity provider on this machine. Not for production: anyone here can be anyone.</p>
${error ? `<p role="alert">${escape(error)}</p>` : ""}
<p><strong>${escape(clientId)}</strong> asks you to sign in.</p>
<form method="post" action="/interaction/${uid}/login">${users}</form>
<form method="post" action="/interaction/${uid}/login"><fieldset><legend>Another person</legend>
<label for="email">Email</label> <input id="email" name="email" type="email" required autocomplete="off">
<label><input type="checkbox" name="verified" value="yes" checked> Local SSO confirms this address</label>
<button type="submit">Sign in</button></fieldset></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>`,
  );
}

function consentPage(uid: string, clientId: string, details: Interaction["prompt"]["details"]): string {
  const asked = [...(details.missingOIDCScope ?? []).filter((s) => s !== "openid"), ...(details.missingOIDCClaims ?? [])];
  return page(
    "Allow access?",
    `<p><strong>${escape(clientId)}</strong> asks for: ${escape(asked.join(", ") || "your identity")}.</p>
<form method="post" action="/interaction/${uid}/consent"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit" name="deny" value="yes">Deny</button></form>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16 * 1024) throw new Error("form too large");
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export interface LocalIdpOptions {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  stateDir: string;
}

/** The OpenID provider itself: one client, its keys kept in the state folder, the test users and `others`. */
function oidcProvider(opts: LocalIdpOptions, issuer: string, others: Map<string, AccountClaims>): Provider {
  const keys = localIdpKeys(opts.stateDir);
  // Callbacks all on http loopback (the test stacks): registered as a native client, whose loopback redirect URIs
  // match on any port (RFC 8252 §7.3), so one provider serves every test app on this machine. Otherwise (an
  // https callback, `npm run prod -- --local-idp`): a web client, exact URIs only.
  const loopbackOnly = opts.redirectUris.every((u) => new URL(u).protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(new URL(u).hostname));
  const client = { client_id: opts.clientId, client_secret: opts.clientSecret, redirect_uris: opts.redirectUris, application_type: loopbackOnly ? ("native" as const) : ("web" as const) };
  return new Provider(issuer, {
    clients: [{ ...client, grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic" }],
    jwks: keys.jwks,
    cookies: { keys: [keys.cookieKey] },
    findAccount: (_ctx, sub) => {
      const claims = LOCAL_IDP_USERS[sub] ?? others.get(sub);
      return claims && { accountId: sub, claims: () => claims };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // The claims in the ID token itself (verified by its signature), not only at the userinfo endpoint.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true, methods: ["S256"] },
    responseTypes: ["code"],
    scopes: ["openid", "email", "profile"],
    // Its own error page: what went wrong, and nothing loaded from elsewhere.
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = page("Sign-in failed", `<p>${escape(`${out.error ?? "error"}: ${out.error_description ?? ""}`)}</p><p>Go back to the app and start again.</p>`);
    },
  });
}

/** The provider and its interaction pages as one request handler (what `main` serves on loopback). */
export function localIdpHandler(opts: LocalIdpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const issuer = `http://localhost:${opts.port}`;
  // People who signed in through the "another person" form, by subject (this process's lifetime).
  const others = new Map<string, AccountClaims>();
  const provider = oidcProvider(opts, issuer, others);
  const oidc = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error("interaction mismatch");
    const clientId = details.params.client_id ?? "the app";
    const html = (status: number, body: string) => res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(body);
    if (req.method === "GET" && action === undefined) {
      return void html(200, details.prompt.name === "login" ? loginPage(uid, clientId) : consentPage(uid, clientId, details.prompt.details));
    }
    if (req.method !== "POST") return void html(405, page("Not allowed", "<p>Use the buttons.</p>"));
    const form = await readForm(req);
    if (action === "abort") {
      return provider.interactionFinished(req, res, { error: "access_denied", error_description: "End-User aborted interaction" }, { mergeWithLastSubmission: false });
    }
    if (action === "login") {
      const user = form.get("user");
      const email = form.get("email")?.trim().toLowerCase();
      let sub: string | undefined;
      if (user && LOCAL_IDP_USERS[user]) sub = user;
      else if (email && /^[^\s@]+@[^\s@]+$/.test(email)) {
        sub = `${form.get("verified") === "yes" ? "confirmed" : "unconfirmed"}:${email}`;
        others.set(sub, { sub, email, email_verified: form.get("verified") === "yes", name: email.split("@")[0] });
      }
      if (!sub) return void html(400, loginPage(uid, clientId, "Pick a test user, or give an email address."));
      return provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
    }
    if (action === "consent" && details.prompt.name === "consent" && details.session?.accountId) {
      const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session.accountId, clientId });
      if (!grant) throw new Error("grant not found");
      if (details.prompt.details.missingOIDCScope) grant.addOIDCScope(details.prompt.details.missingOIDCScope.join(" "));
      if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
      return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    }
    return void html(400, page("Not now", "<p>This step is not waiting for that answer. Go back to the app and start again.</p>"));
  }

  return (req, res) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|consent|abort))?\/?$/.exec(new URL(req.url ?? "/", issuer).pathname);
    if (!match) return oidc(req, res);
    interaction(req, res, match[1]!, match[2]).catch((err: unknown) => {
      console.error(`local idp: interaction failed: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(400, { "content-type": "text/html; charset=utf-8" }).end(page("Sign-in expired", "<p>This sign-in has expired or was already finished. Go back to the app and start again.</p>"));
    });
  };
}

/** Listens on 127.0.0.1 and, where the machine has it, ::1 (browsers and Node resolve `localhost` to either). */
async function listenOnLoopback(handler: (req: IncomingMessage, res: ServerResponse) => void, port: number): Promise<Server[]> {
  const servers: Server[] = [];
  for (const host of ["127.0.0.1", "::1"]) {
    const server = createServer(handler);
    try {
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
      servers.push(server);
    } catch (err) {
      // No IPv6 loopback here: 127.0.0.1 alone. Anything else (the port is taken) is fatal.
      if (host === "127.0.0.1" || (err as NodeJS.ErrnoException).code !== "EADDRNOTAVAIL") throw err;
    }
  }
  return servers;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      "redirect-uri": { type: "string", multiple: true },
      "state-dir": { type: "string" },
    },
  });
  const port = Number(values.port);
  const redirectUris = values["redirect-uri"] ?? [];
  if (!Number.isInteger(port) || port <= 0 || !values["client-id"] || !values["client-secret"] || redirectUris.length === 0) {
    throw new Error("usage: local-idp-server.ts --port PORT --client-id ID --client-secret SECRET --redirect-uri URI [--redirect-uri URI …] [--state-dir DIR]");
  }
  const stateDir = values["state-dir"] ?? path.join(process.cwd(), ".dev", "local-idp");
  const handler = localIdpHandler({ port, clientId: values["client-id"], clientSecret: values["client-secret"], redirectUris, stateDir });
  const servers = await listenOnLoopback(handler, port);
  const stop = () => {
    for (const s of servers) s.close();
    process.exit(0);
  };
  process.once("SIGTERM", stop).once("SIGINT", stop);
}

// Run as a script (not when a test imports the handler).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((err: unknown) => {
    console.error(`local idp: ${(err as Error).message}`);
    process.exit(1);
  });
}
