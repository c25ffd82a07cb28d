// What each /api/auth/* request costs, and whom (docs/security.md "Rate limiting"). The rule: no
// anonymous client can spend anyone else's allowance. So nothing is ever counted in a bucket that
// all clients share; Better Auth's own limiter (per address, in one process's memory, and one
// shared bucket per route when the address is unknown) is off in auth-options.ts.
// - POST /sign-in/email: consecutive failures lead to an escalating lock, counted per account
//   (normalized email, hashed) and device: a request with a valid device token for the account
//   (device-token.ts, set here when a sign-in succeeds) in that device's own bucket, every other
//   one in the account's "unknown devices" bucket, whose lock never applies to a device with a
//   token; so a stranger's flood never locks the owner's own browser out. Per client address only
//   where a trusted header makes it known.
// - POST /reset-password that succeeds: every lock and failure count of that user's account is
//   lifted (the unknown devices, every device, the password check).
// - POST /sign-up/email: per normalized email, plus per address where known. One that signs the
//   new user in gives the browser its device token, as a sign-in does.
// - POST /send-verification-email and /request-password-reset (they mail the address in the body):
//   per normalized email, plus per address where known.
// - routes that need a session (change-password, revoke-sessions, token, two-step and passkey
//   settings, …): per signed-in user; wrong current passwords count towards a lock per user.
//   Without a session they cost nothing (Better Auth answers 401).
// - POST /two-factor/verify-totp | verify-backup-code | verify-otp (a sign-in's second step, or a
//   code in a session): wrong codes lead to the same escalating lock, counted per account whoever
//   sends them (the pending sign-in's user, from Better Auth's signed cookie, or the session's);
//   an authenticator code that already worked for the account is refused for two minutes (RFC
//   6238 §5.2). Without a pending sign-in or a session they cost nothing (Better Auth answers 401).
// - GET /passkey/generate-authenticate-options, POST /passkey/verify-authentication: per client
//   address where known, like sign-ins (a passkey cannot be guessed; the limit is on the work).
// A malformed sign-in or sign-up (not JSON, missing or invalid fields) is refused before anything
// is counted: 400 here, or the account field rules' 422 (a sign-up). Every refusal is the same 429
// for an existing and an unknown email.
import "server-only";
import type { BetterAuthOptions } from "better-auth";
import { createCookieGetter } from "better-auth/cookies";
import type { Pool } from "pg";
import type { ServerEnv } from "@/config/env-schema";
import { deviceTokens } from "./device-token";
import { PENDING_SIGN_IN_COOKIE, signedCookieValue } from "./second-factor/options";
import type { Handler, ThrottleDeps } from "./throttle-guard";
import { codeRoute, mailRoute, passkeySignIn, resetPassword, sessionRoute, signIn, signUp } from "./throttle-routes";
import { throttleSettings, type ThrottleSettings } from "./throttle-settings";
import { createThrottleStore, subjectHashes, throttleKeys } from "./throttle-store";

export { rateLimited } from "./throttle-guard";

/** Better Auth's base path (auth-options.ts sets none, so it is the default). */
const BASE_PATH = "/api/auth";

/** Routes whose endpoint needs a session (Better Auth 1.7's routes plus our /token), counted per user. */
const SESSION_ROUTES = new Set([
  "/change-password", "/verify-password", "/delete-user", "/revoke-sessions", "/revoke-session",
  "/revoke-other-sessions", "/token", "/update-user", "/change-email", "/list-sessions", "/update-session",
  "/list-accounts", "/unlink-account", "/delete-user/request-link", "/link-social", "/get-access-token", "/refresh-token", "/account-info",
  "/re-authenticate",
  // Two-step sign-in's settings (better-auth/plugins twoFactor) and the passkeys' (@better-auth/passkey).
  "/two-factor/enable", "/two-factor/disable", "/two-factor/generate-backup-codes", "/two-factor/get-totp-uri",
  "/passkey/generate-register-options", "/passkey/verify-registration", "/passkey/list-user-passkeys",
  "/passkey/update-passkey", "/passkey/delete-passkey",
]);
/**
 * Anonymous routes that send mail to the address in their body (a new verification link, a reset
 * link): per normalized email, and per address where known, so nobody can flood an inbox or the
 * SMTP quota. Same 429 whether or not the address has an account.
 */
const MAIL_ROUTES = new Set(["/send-verification-email", "/request-password-reset"]);
/** A sign-in's second step, or a code sent in a session ("Confirm it's you"): Better Auth's twoFactor. */
const CODE_ROUTES = new Set(["/two-factor/verify-totp", "/two-factor/verify-backup-code", "/two-factor/verify-otp"]);
/** The passkey sign-in ceremony (anonymous). */
const PASSKEY_SIGN_IN_ROUTES = new Set(["/passkey/generate-authenticate-options", "/passkey/verify-authentication"]);

/** The route below the base path, without trailing slashes (Better Auth's router routes no `//`). */
function routeOf(request: Request): string | null {
  const { pathname } = new URL(request.url);
  if (!pathname.startsWith(`${BASE_PATH}/`)) return null;
  return pathname.slice(BASE_PATH.length).replace(/\/+$/, "") || "/";
}

/** Better Auth's handler with the throttle in front (inside auth-route.ts's error mapping). */
function throttledHandler(deps: ThrottleDeps): Handler {
  return async (request) => {
    const route = routeOf(request);
    if (route === null) return deps.handler(request);
    if (request.method === "POST" && route === "/sign-in/email") return signIn(deps, request);
    if (request.method === "POST" && route === "/sign-up/email") return signUp(deps, request);
    if (request.method === "POST" && route === "/reset-password") return resetPassword(deps, request);
    if (request.method === "POST" && MAIL_ROUTES.has(route)) return mailRoute(deps, request, route);
    if (request.method === "POST" && CODE_ROUTES.has(route)) return codeRoute(deps, request, route);
    if (PASSKEY_SIGN_IN_ROUTES.has(route)) return passkeySignIn(deps, request);
    if (SESSION_ROUTES.has(route)) return sessionRoute(deps, request, route);
    return deps.handler(request);
  };
}

/** The parts of a Better Auth instance the throttle uses. */
export interface ThrottledAuth {
  handler: Handler;
  api: {
    getSession: (context: { headers: Headers; query: { disableRefresh: boolean } }) => Promise<{ user: { id: string } } | null>;
  };
  options: BetterAuthOptions;
  $context: Promise<{
    internalAdapter: {
      findVerificationValue: (identifier: string) => Promise<{ value: string; expiresAt: Date } | null>;
      findUserById: (id: string) => Promise<{ id: string; email: string } | null>;
    };
  }>;
}

/** The app's throttle: counters on `pool`, limits from `env` (tests override durations). */
export function authThrottle(auth: ThrottledAuth, pool: Pool, env: ServerEnv, overrides: Partial<ThrottleSettings> = {}): Handler {
  const settings = throttleSettings(env, overrides);
  return throttledHandler({
    handler: (request) => auth.handler(request),
    // disableRefresh: looking is not using; the endpoint itself refreshes the session as usual.
    sessionUserId: async (headers) => (await auth.api.getSession({ headers, query: { disableRefresh: true } }))?.user.id ?? null,
    store: createThrottleStore(pool, settings.cleanup),
    settings,
    keyOf: throttleKeys(env.BETTER_AUTH_SECRET),
    accountOf: subjectHashes(env.BETTER_AUTH_SECRET),
    // Secure (and __Host-) exactly when Better Auth's own cookies are (auth-options.ts secureCookiesFor).
    devices: deviceTokens(env.BETTER_AUTH_SECRET, createCookieGetter(auth.options)("device").attributes.secure === true),
    pendingSignInUser: async (headers) => {
      // Better Auth's `two_factor` cookie: `2fa-…`, signed; its verification row holds the user id.
      const name = createCookieGetter(auth.options)(PENDING_SIGN_IN_COOKIE).name;
      const identifier = signedCookieValue(headers.get("cookie"), name, env.BETTER_AUTH_SECRET);
      const row = identifier ? await (await auth.$context).internalAdapter.findVerificationValue(identifier) : null;
      return row && new Date(row.expiresAt) > new Date() ? row.value : null;
    },
    resetUser: async (token) => {
      // Better Auth's reset rows: `reset-password:<token>`, holding the user id.
      const { internalAdapter } = await auth.$context;
      const row = await internalAdapter.findVerificationValue(`reset-password:${token}`);
      const user = row && (await internalAdapter.findUserById(row.value));
      return user ? { id: user.id, email: user.email } : null;
    },
  });
}
