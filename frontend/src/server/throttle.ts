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
import { BASE_ERROR_CODES, type BetterAuthOptions } from "better-auth";
import { createCookieGetter } from "better-auth/cookies";
import type { Pool } from "pg";
import * as z from "zod";
import type { ServerEnv } from "@/config/env-schema";
import type { FieldError } from "@/lib/error-codes";
import { type DeviceTokens, deviceTokens } from "./device-token";
import { PENDING_SIGN_IN_COOKIE, signedCookieValue } from "./second-factor/options";
import { clientAddress } from "./throttle-address";
import { throttleSettings, type ThrottleSettings } from "./throttle-settings";
import { createThrottleStore, subjectHashes, throttleKeys, type ThrottleStore, type Verdict } from "./throttle-store";

type Handler = (request: Request) => Promise<Response>;

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
/** Of those, the ones that check the current password: a wrong one (400 INVALID_PASSWORD) is a failure. */
const PASSWORD_CHECK_ROUTES = new Set([
  "/change-password", "/verify-password", "/delete-user", "/re-authenticate",
  "/two-factor/enable", "/two-factor/disable", "/two-factor/generate-backup-codes", "/two-factor/get-totp-uri",
]);
/** A sign-in's second step, or a code sent in a session ("Confirm it's you"): Better Auth's twoFactor. */
const CODE_ROUTES = new Set(["/two-factor/verify-totp", "/two-factor/verify-backup-code", "/two-factor/verify-otp"]);
/** Better Auth's answers to a wrong code. */
const WRONG_CODES = new Set(["INVALID_CODE", "INVALID_BACKUP_CODE"]);
/** How long an authenticator code that worked stays refused: its 30 s step, one step either side (90 s), and a margin. */
const USED_CODE_SECONDS = 120;
/** The passkey sign-in ceremony (anonymous). */
const PASSKEY_SIGN_IN_ROUTES = new Set(["/passkey/generate-authenticate-options", "/passkey/verify-authentication"]);

interface ThrottleDeps {
  /** Better Auth's handler. */
  handler: Handler;
  /** The id of the user whose valid session these headers carry, or null. */
  sessionUserId: (headers: Headers) => Promise<string | null>;
  store: ThrottleStore;
  settings: ThrottleSettings;
  /** Row key of a subject in a scope (throttle-store.ts throttleKeys). */
  keyOf: (scope: string, subject: string) => string;
  /** The account a normalized email names, as device tokens name it (throttle-store.ts subjectHashes). */
  accountOf: (email: string) => string;
  devices: DeviceTokens;
  /** The user a password reset token belongs to, while the token is unused, or null. */
  resetUser: (token: string) => Promise<{ id: string; email: string } | null>;
  /** The user of the sign-in waiting for its second step that these headers carry (Better Auth's signed cookie), or null. */
  pendingSignInUser: (headers: Headers) => Promise<string | null>;
}

const json = (status: number, body: object, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

const waitPhrase = (seconds: number) =>
  seconds <= 90 ? `${seconds} second${seconds === 1 ? "" : "s"}` : `${Math.ceil(seconds / 60)} minutes`;

/** 429 RATE_LIMITED: the only refusal, whatever was counted, so it tells nothing about accounts. */
export function rateLimited(retryAfterSeconds: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return json(
    429,
    { code: "RATE_LIMITED", message: `Too many attempts. Please try again in ${waitPhrase(seconds)}.` },
    // X-Retry-After: what Better Auth's own client reads.
    { "retry-after": String(seconds), "x-retry-after": String(seconds) },
  );
}

const invalid = (field: string, message: string, code = "VALIDATION_ERROR") => {
  const error: FieldError = { field, code, message };
  return json(400, { code, message, fields: [error] });
};

/** The route below the base path, without trailing slashes (Better Auth's router routes no `//`). */
function routeOf(request: Request): string | null {
  const { pathname } = new URL(request.url);
  if (!pathname.startsWith(`${BASE_PATH}/`)) return null;
  return pathname.slice(BASE_PATH.length).replace(/\/+$/, "") || "/";
}

/** The JSON object body of a sign-in or sign-up, or the 400 that refuses it. */
async function jsonObjectBody(request: Request): Promise<Record<string, unknown> | Response> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") return invalid("body", "The request body must be JSON (Content-Type: application/json).");
  let body: unknown;
  try {
    body = JSON.parse(await request.clone().text());
  } catch {
    return invalid("body", "The request body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return invalid("body", "The request body must be a JSON object.");
  return body as Record<string, unknown>;
}

const emailSchema = z.email();
const normalizeEmail = (email: string) => email.trim().toLowerCase();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The JSON object an answer (or a request) carries, if any; the original stays readable. */
const jsonObjectOf = async (message: Request | Response): Promise<Record<string, unknown> | undefined> => {
  const body: unknown = await message.clone().json().catch(() => undefined);
  return isRecord(body) ? body : undefined;
};

/** The `code` of a JSON error answer, if any. */
async function errorCode(response: Response): Promise<string | undefined> {
  const code = (await jsonObjectOf(response))?.code;
  return typeof code === "string" ? code : undefined;
}

/** `response` with a new device token for `account` (device-token.ts), the browser's others after it. */
function withDeviceToken(deps: ThrottleDeps, request: Request, response: Response, account: string): Response {
  const headers = new Headers(response.headers);
  headers.append("set-cookie", deps.devices.issue(request.headers.get("cookie"), account));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Bookkeeping after the answer: best effort, so a counter write can never cost a user a sign-in. */
async function afterwards(what: string, work: () => Promise<void>) {
  try {
    await work();
  } catch (err) {
    console.warn(`auth throttle: could not record ${what} (${(err as { code?: string }).code ?? (err as Error).message})`);
  }
}

type Outcome = "succeeded" | "failed" | "void";

/** Runs a guarded attempt: counted before, settled after by what `outcomeOf` makes of the answer. */
async function guarded(
  deps: ThrottleDeps,
  key: string,
  request: Request,
  outcomeOf: (r: Response) => Promise<Outcome>,
  run: () => Promise<Response> = () => deps.handler(request),
) {
  const verdict = await deps.store.beginAttempt(key, deps.settings.lock);
  if (!verdict.allowed) return rateLimited(verdict.retryAfterSeconds);
  let response: Response;
  try {
    response = await run();
  } catch (err) {
    await afterwards("a voided attempt", () => deps.store.attemptVoided(key));
    throw err;
  }
  const outcome = await outcomeOf(response);
  if (outcome === "succeeded") await afterwards("a success", () => deps.store.attemptSucceeded(key));
  if (outcome === "void") await afterwards("a voided attempt", () => deps.store.attemptVoided(key));
  return response;
}

const refusal = (verdicts: Verdict[]) => {
  const refused = verdicts.filter((v) => !v.allowed);
  return refused.length ? rateLimited(Math.max(...refused.map((v) => v.retryAfterSeconds))) : null;
};

async function signIn(deps: ThrottleDeps, request: Request): Promise<Response> {
  const body = await jsonObjectBody(request);
  if (body instanceof Response) return body;
  const { email, password } = body;
  if (typeof email !== "string" || typeof password !== "string") {
    const field = typeof email !== "string" ? "email" : "password";
    return invalid(field, `Enter your ${field === "email" ? "email address" : "password"}.`);
  }
  if (!emailSchema.safeParse(email).success) {
    return invalid("email", BASE_ERROR_CODES.INVALID_EMAIL.message, BASE_ERROR_CODES.INVALID_EMAIL.code);
  }

  const address = clientAddress(request.headers, deps.settings.trustedAddressHeaders);
  if (address) {
    const limited = refusal([await deps.store.hit(deps.keyOf("sign-in-address", address), deps.settings.signInPerAddress)]);
    if (limited) return limited;
  }
  const account = normalizeEmail(email);
  const accountId = deps.accountOf(account);
  // A valid device token for this account: its own bucket (a run of failures that began before
  // the account's last password reset forgotten). Anything else: the unknown devices' bucket.
  const device = deps.devices.deviceOf(request.headers.get("cookie"), accountId);
  const key = device ? deps.keyOf("sign-in-device", `${accountId}.${device}`) : deps.keyOf("sign-in-account", account);
  if (device) await deps.store.forgetBeforeMark(key, deps.keyOf("password-reset", account));
  const failed = BASE_ERROR_CODES.INVALID_EMAIL_OR_PASSWORD.code;
  const response = await guarded(deps, key, request, async (r) =>
    r.ok ? "succeeded" : r.status === 401 && (await errorCode(r)) === failed ? "failed" : "void",
  );
  return response.ok ? withDeviceToken(deps, request, response, accountId) : response;
}

/**
 * A successful reset lifts every lock of the user's account at once: the owner, back from the
 * email, signs in with the new password from any browser. The token's user is looked up before
 * the reset consumes it.
 */
async function resetPassword(deps: ThrottleDeps, request: Request): Promise<Response> {
  const body = await jsonObjectOf(request);
  const token = (typeof body?.token === "string" && body.token) || new URL(request.url).searchParams.get("token");
  const user = token ? await deps.resetUser(token) : null;
  const response = await deps.handler(request);
  if (response.ok && user) {
    const account = normalizeEmail(user.email);
    const { maxSeconds, memorySeconds } = deps.settings.lock;
    await afterwards("a password reset", async () => {
      await deps.store.forget([deps.keyOf("sign-in-account", account), deps.keyOf("password-check", user.id)]);
      // Device buckets are one per device: a mark that each forgets itself by (signIn), which
      // outlives any of them (a lock plus the memory of failures).
      await deps.store.mark(deps.keyOf("password-reset", account), maxSeconds + memorySeconds);
    });
  }
  return response;
}

/** Sign-ups refused for their content are not attempts; an existing email is (it is what a prober tries). */
const NOT_CONTENT_REFUSALS = new Set<string>([
  BASE_ERROR_CODES.USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL.code,
  BASE_ERROR_CODES.USER_ALREADY_EXISTS.code,
  BASE_ERROR_CODES.FAILED_TO_CREATE_USER.code, // a concurrent duplicate (auth-route.ts)
]);

async function signUp(deps: ThrottleDeps, request: Request): Promise<Response> {
  const body = await jsonObjectBody(request);
  if (body instanceof Response) return body;
  // The field rules themselves (name, email, password) are the account policy hook's
  // (password-hook.ts): without a valid email there is nothing to count and nothing it could
  // create, so it answers (422) uncounted; any other sign-up it refuses is refunded below.
  if (typeof body.email !== "string" || !emailSchema.safeParse(body.email).success) return deps.handler(request);
  const address = clientAddress(request.headers, deps.settings.trustedAddressHeaders);
  const keys: [string, { limit: number; seconds: number }][] = [
    [deps.keyOf("sign-up-email", normalizeEmail(body.email)), deps.settings.signUpPerEmail],
    ...(address ? [[deps.keyOf("sign-up-address", address), deps.settings.signUpPerAddress] as [string, { limit: number; seconds: number }]] : []),
  ];
  const verdicts = await Promise.all(keys.map(([key, window]) => deps.store.hit(key, window)));
  const limited = refusal(verdicts);
  if (limited) return limited;

  const started = performance.now();
  const response = await deps.handler(request);
  // A new account costs a few inserts more than an existing email: the floor hides the difference.
  await atLeast(deps.settings.signUpMinMs, started);
  if (response.status === 400 || response.status === 422) {
    const code = await errorCode(response);
    if (!code || !NOT_CONTENT_REFUSALS.has(code)) {
      await afterwards("a refund", async () => void (await Promise.all(keys.map(([key]) => deps.store.refund(key)))));
    }
  }
  // Signed in (the default mode; never in strict mode, nor for an existing email): the browser
  // that created the account holds its device token, as after a sign-in.
  if (response.ok && typeof (await jsonObjectOf(response))?.token === "string") {
    return withDeviceToken(deps, request, response, deps.accountOf(normalizeEmail(body.email)));
  }
  return response;
}

/**
 * The least time a mail route takes, whatever the address: a known one does more work (a token row,
 * a mail handed over) than an unknown one, and the difference must not tell them apart. Better Auth
 * floors /send-verification-email at 500 ms itself; this floors both the same way.
 */
const MAIL_ROUTE_MIN_MS = 500;

/** Waits until `ms` have passed since `started` (nothing when they already have). */
async function atLeast(ms: number, started: number) {
  const left = ms - (performance.now() - started);
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

async function mailRoute(deps: ThrottleDeps, request: Request, route: string): Promise<Response> {
  const started = performance.now();
  const body = await jsonObjectBody(request);
  if (body instanceof Response) return body;
  // Without a valid email Better Auth refuses it (400) and sends nothing: nothing to count.
  if (typeof body.email !== "string" || !emailSchema.safeParse(body.email).success) return deps.handler(request);
  const address = clientAddress(request.headers, deps.settings.trustedAddressHeaders);
  const verdicts = await Promise.all([
    deps.store.hit(deps.keyOf(`mail${route}`, normalizeEmail(body.email)), deps.settings.mailPerEmail),
    ...(address ? [deps.store.hit(deps.keyOf("mail-address", address), deps.settings.signUpPerAddress)] : []),
  ]);
  const limited = refusal(verdicts);
  if (limited) return limited;
  const response = await deps.handler(request);
  await atLeast(MAIL_ROUTE_MIN_MS, started);
  return response;
}

async function sessionRoute(deps: ThrottleDeps, request: Request, route: string): Promise<Response> {
  const userId = await deps.sessionUserId(request.headers);
  if (!userId) return deps.handler(request); // Better Auth answers 401; nothing is counted
  const limited = refusal([await deps.store.hit(deps.keyOf("user", userId), deps.settings.perUser)]);
  if (limited) return limited;
  if (!PASSWORD_CHECK_ROUTES.has(route)) return deps.handler(request);
  const wrong = BASE_ERROR_CODES.INVALID_PASSWORD.code;
  return guarded(deps, deps.keyOf("password-check", userId), request, async (r) =>
    r.ok ? "succeeded" : r.status === 400 && (await errorCode(r)) === wrong ? "failed" : "void",
  );
}

/**
 * A code: per account, whoever sends it (the pending sign-in's user or the session's), the same lock
 * as passwords; an authenticator code that worked for the account is refused for USED_CODE_SECONDS.
 */
async function codeRoute(deps: ThrottleDeps, request: Request, route: string): Promise<Response> {
  const sessionUser = await deps.sessionUserId(request.headers);
  const userId = sessionUser ?? (await deps.pendingSignInUser(request.headers));
  if (!userId) return deps.handler(request); // Better Auth answers 401; nothing is counted
  if (sessionUser) {
    const limited = refusal([await deps.store.hit(deps.keyOf("user", sessionUser), deps.settings.perUser)]);
    if (limited) return limited;
  }
  const body = await jsonObjectOf(request);
  const code = route === "/two-factor/verify-totp" && typeof body?.code === "string" ? body.code.trim() : null;
  const used = code ? deps.keyOf("code-used", `${userId}:${code}`) : null;
  return guarded(deps, deps.keyOf("second-factor", userId), request, async (r) => {
    if (used && !r.ok) await afterwards("a refund", () => deps.store.refund(used));
    return r.ok ? "succeeded" : r.status === 401 && WRONG_CODES.has((await errorCode(r)) ?? "") ? "failed" : "void";
  }, async () => {
    // Counted before it runs: of two requests with one code, the second is refused, whichever wins.
    if (used && !(await deps.store.hit(used, { limit: 1, seconds: USED_CODE_SECONDS })).allowed) {
      return json(401, { code: "INVALID_CODE", message: "This code was used already. Wait for the next one." });
    }
    return deps.handler(request);
  });
}

/** The passkey sign-in ceremony: per client address where known (like sign-ins); nothing else to count. */
async function passkeySignIn(deps: ThrottleDeps, request: Request): Promise<Response> {
  const address = clientAddress(request.headers, deps.settings.trustedAddressHeaders);
  if (address) {
    const limited = refusal([await deps.store.hit(deps.keyOf("passkey-address", address), deps.settings.signInPerAddress)]);
    if (limited) return limited;
  }
  return deps.handler(request);
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
