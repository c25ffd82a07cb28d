// What each throttled route counts and how it settles (throttle.ts says the rules and sends each request here;
// docs/security.md "Rate limiting"): the sign-in lock per account and device, sign-ups and mail routes per
// email and address, session routes per user with a lock on wrong current passwords, codes per account.
import "server-only";
import { BASE_ERROR_CODES } from "better-auth";
import { clientAddress } from "./throttle-address";
import {
  afterwards,
  emailSchema,
  errorCode,
  guarded,
  invalid,
  json,
  jsonObjectBody,
  jsonObjectOf,
  normalizeEmail,
  refusal,
  type ThrottleDeps,
} from "./throttle-guard";

/** Of those, the ones that check the current password: a wrong one (400 INVALID_PASSWORD) is a failure. */
const PASSWORD_CHECK_ROUTES = new Set([
  "/change-password", "/verify-password", "/delete-user", "/re-authenticate",
  "/two-factor/enable", "/two-factor/disable", "/two-factor/generate-backup-codes", "/two-factor/get-totp-uri",
]);
/** Better Auth's answers to a wrong code. */
const WRONG_CODES = new Set(["INVALID_CODE", "INVALID_BACKUP_CODE"]);
/** How long an authenticator code that worked stays refused: its 30 s step, one step either side (90 s), and a margin. */
const USED_CODE_SECONDS = 120;

/** `response` with a new device token for `account` (device-token.ts), the browser's others after it. */
function withDeviceToken(deps: ThrottleDeps, request: Request, response: Response, account: string): Response {
  const headers = new Headers(response.headers);
  headers.append("set-cookie", deps.devices.issue(request.headers.get("cookie"), account));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}


export async function signIn(deps: ThrottleDeps, request: Request): Promise<Response> {
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
export async function resetPassword(deps: ThrottleDeps, request: Request): Promise<Response> {
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

export async function signUp(deps: ThrottleDeps, request: Request): Promise<Response> {
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

export async function mailRoute(deps: ThrottleDeps, request: Request, route: string): Promise<Response> {
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

export async function sessionRoute(deps: ThrottleDeps, request: Request, route: string): Promise<Response> {
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
export async function codeRoute(deps: ThrottleDeps, request: Request, route: string): Promise<Response> {
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
export async function passkeySignIn(deps: ThrottleDeps, request: Request): Promise<Response> {
  const address = clientAddress(request.headers, deps.settings.trustedAddressHeaders);
  if (address) {
    const limited = refusal([await deps.store.hit(deps.keyOf("passkey-address", address), deps.settings.signInPerAddress)]);
    if (limited) return limited;
  }
  return deps.handler(request);
}

