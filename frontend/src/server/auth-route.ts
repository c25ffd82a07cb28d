// /api/auth/* around Better Auth's handler: our error shape (docs/api.md "Errors") where Better
// Auth has none or a misleading one.
// - a request body over 64 KiB (body-limit.ts) → 413 PAYLOAD_TOO_LARGE, before anything reads it;
// - `POST /api/auth/sign-up` (the path the product's specification names) is `/sign-up/email`, with
//   the same status, body, cookies and limits;
// - a redirect target (`callbackURL`, `redirectTo`, `errorCallbackURL`, `newUserCallbackURL`, in
//   the query string, a JSON body or a form) that is not on BETTER_AUTH_URL's origin → 400
//   INVALID_REDIRECT, before Better Auth (or the throttle) sees the request: one rule for every
//   redirect, src/lib/return-path.ts, docs/security.md "Redirects";
// - input that Better Auth's handler fails to validate with zod outside its own APIError (a token
//   signed with our secret whose claims are not what it expects, at /verify-email) → 400
//   VALIDATION_ERROR, never a 500;
// - database unavailable (db-errors.ts) → 503 DATABASE_UNAVAILABLE + Retry-After: the ONLY 503;
// - the throttle (throttle.ts, inside this mapping so its database errors answer 503 too) answers
//   its own 429 RATE_LIMITED + Retry-After; Better Auth's limiter is off (auth-options.ts);
// - a concurrent duplicate sign-up (unique violation on "user", which Better Auth reports as 422
//   FAILED_TO_CREATE_USER) → the same answer as a sequential duplicate: 422, or with
//   `quietDuplicates` (email verification on) the 200 any sign-up gets;
// - any other unexpected error → 500 INTERNAL_ERROR with a JSON body (never a stack trace).
import "server-only";
import { BASE_ERROR_CODES, generateId } from "better-auth";
import * as z from "zod";
import { ERROR_CODES } from "@/lib/error-codes";
import { sameOriginTarget } from "@/lib/return-path";
import { boundedRequest } from "./body-limit";
import type { SignupMarkers } from "./signup-marker";
import { collectDatabaseErrors, isDatabaseUnavailable, isDuplicateUserEmail } from "./db-errors";
import { DATABASE_RETRY_AFTER_SECONDS } from "./db-policy";

type Handler = (request: Request) => Promise<Response>;

const json = (status: number, body: object, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

const databaseUnavailable = () =>
  json(
    503,
    { code: "DATABASE_UNAVAILABLE", message: ERROR_CODES.DATABASE_UNAVAILABLE },
    { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
  );

const DUPLICATE = BASE_ERROR_CODES.USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL;

/**
 * What a sign-up that lost a duplicate race answers when sign-ups must not reveal existing emails
 * (email verification on, docs/security.md "Email verification"): the 200 Better Auth gives any
 * sign-up with an existing email, a user that was never stored (a fresh id, the submitted name and
 * email, every field a new user has), never the 422 that would say the address is taken.
 */
async function quietDuplicate(request: Request): Promise<Response> {
  const body = (await request.json().catch(() => ({}))) as { name?: unknown; email?: unknown };
  const now = new Date().toISOString();
  const user = {
    name: typeof body.name === "string" ? body.name : "",
    email: typeof body.email === "string" ? body.email.toLowerCase() : "",
    emailVerified: false,
    image: null,
    // The two-factor plugin's field on every user (second-factor/options.ts): a new user has it off.
    twoFactorEnabled: false,
    createdAt: now,
    updatedAt: now,
    id: generateId(32),
  };
  return json(200, { token: null, user });
}

/** Paths that are another path by another name: the request goes on as if sent there. */
const ALIASES: Readonly<Record<string, string>> = { "/api/auth/sign-up": "/api/auth/sign-up/email" };

async function unaliased(request: Request): Promise<Request> {
  const url = new URL(request.url);
  const target = ALIASES[url.pathname.replace(/\/+$/, "")];
  if (target === undefined) return request;
  url.pathname = target;
  // The body is already in memory (body-limit.ts): copied, not streamed.
  const body = request.body === null ? null : await request.arrayBuffer();
  return new Request(url, { method: request.method, headers: request.headers, body, signal: request.signal });
}

/** Better Auth's parameters that name where to send the browser (the four its own origin check reads). */
export const REDIRECT_PARAMETERS: readonly string[] = ["callbackURL", "redirectTo", "errorCallbackURL", "newUserCallbackURL"];

/** A JSON object's members, or none (Better Auth reads parameters from no other JSON). */
function jsonMembers(text: string): [string, unknown][] {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? Object.entries(parsed) : [];
  } catch {
    return [];
  }
}

/**
 * The first redirect parameter whose value sameOriginTarget refuses, or null. Read where Better Auth
 * reads parameters: the query string, and a form or JSON object body; every copy of a repeated one.
 */
async function refusedRedirect(request: Request, publicUrl: string | null): Promise<string | null> {
  const parameters: [string, unknown][] = [...new URL(request.url).searchParams];
  if (request.body !== null) {
    // The body is already in memory and capped (body-limit.ts).
    const text = await request.clone().text();
    const form = /application\/x-www-form-urlencoded/i.test(request.headers.get("content-type") ?? "");
    parameters.push(...(form ? new URLSearchParams(text) : jsonMembers(text)));
  }
  const refused = parameters.find(([name, value]) => REDIRECT_PARAMETERS.includes(name) && sameOriginTarget(value, publicUrl) === null);
  return refused ? refused[0] : null;
}

const invalidRedirect = (parameter: string) =>
  json(400, {
    code: "INVALID_REDIRECT",
    message: ERROR_CODES.INVALID_REDIRECT,
    fields: [{ field: parameter, code: "INVALID_REDIRECT", message: ERROR_CODES.INVALID_REDIRECT }],
  });

export interface AuthRouteOptions {
  /**
   * The app's public URL (BETTER_AUTH_URL): redirect targets must be on its origin. Without it, only
   * root-relative paths are accepted.
   */
  publicUrl?: string;
  /** A concurrent duplicate sign-up answers like any sign-up (200), not 422 (email verification on). */
  quietDuplicates?: boolean;
  /**
   * Strict mode: every 200 sign-up without a session gets the sign-up marker (signup-marker.ts) of the
   * user id it answers with, so the confirmation link opened in this browser signs in.
   */
  signupMarkers?: SignupMarkers;
}

const SIGN_UP_PATH = "/api/auth/sign-up/email";

/** `response` with the sign-up marker added, when it is a 200 sign-up that set no session. */
async function withSignupMarker(request: Request, response: Response, markers: SignupMarkers | undefined): Promise<Response> {
  if (!markers || response.status !== 200 || new URL(request.url).pathname !== SIGN_UP_PATH) return response;
  if (response.headers.getSetCookie().some((c) => c.includes("session_token="))) return response;
  const userId = ((await response.clone().json()) as { user?: { id?: unknown } }).user?.id;
  if (typeof userId !== "string") return response;
  const marked = new Response(response.body, response);
  marked.headers.append("set-cookie", markers.issue(userId));
  return marked;
}

export function authRouteHandler(handler: Handler, options: AuthRouteOptions = {}): Handler {
  return async (incoming) => {
    // Bodies are capped before anything reads them (body-limit.ts): 413 PAYLOAD_TOO_LARGE.
    const bounded = await boundedRequest(incoming);
    if (bounded instanceof Response) return bounded;
    const request = await unaliased(bounded);
    const refused = await refusedRedirect(request, options.publicUrl ?? null);
    if (refused !== null) return invalidRedirect(refused);
    const dbErrors: unknown[] = [];
    // Kept for a sign-up that loses a duplicate race (quietDuplicate reads its name and email).
    const original = options.quietDuplicates ? request.clone() : null;
    let response: Response;
    try {
      // Better Auth is configured with onAPIError.throw, so non-API errors (a raw pg error) reach us.
      response = await collectDatabaseErrors(dbErrors, () => handler(request));
    } catch (err) {
      if (isDatabaseUnavailable(err) || dbErrors.some(isDatabaseUnavailable)) {
        console.warn(`auth: database unavailable on ${new URL(request.url).pathname}`);
        return databaseUnavailable();
      }
      // A zod error (any copy of zod 4: instanceof checks its traits) from Better Auth's handler:
      // input it did not validate up front, such as a token's claims.
      if (err instanceof z.core.$ZodError) return json(400, { code: "VALIDATION_ERROR", message: ERROR_CODES.VALIDATION_ERROR });
      console.error("auth: unexpected error", err);
      return json(500, { code: "INTERNAL_ERROR", message: ERROR_CODES.INTERNAL_ERROR });
    }
    if (response.status >= 400 && dbErrors.length > 0) {
      // Better Auth answered from a database error it caught (and dropped the cause of).
      if (dbErrors.some(isDatabaseUnavailable)) return databaseUnavailable();
      if (dbErrors.some(isDuplicateUserEmail)) {
        if (!original) return json(422, { code: DUPLICATE.code, message: DUPLICATE.message });
        return withSignupMarker(request, await quietDuplicate(original), options.signupMarkers);
      }
    }
    return withSignupMarker(request, response, options.signupMarkers);
  };
}
