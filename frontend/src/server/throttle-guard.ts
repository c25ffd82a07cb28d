// What every throttled route shares (throttle.ts, throttle-routes.ts): the one refusal (429), the bodies
// read without spending them, and a guarded attempt, counted before it runs and settled by its answer.
import "server-only";
import * as z from "zod";
import type { FieldError } from "@/lib/error-codes";
import type { DeviceTokens } from "./device-token";
import type { ThrottleSettings } from "./throttle-settings";
import type { ThrottleStore, Verdict } from "./throttle-store";

export type Handler = (request: Request) => Promise<Response>;

export interface ThrottleDeps {
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

export const json = (status: number, body: object, headers: Record<string, string> = {}) =>
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

export const invalid = (field: string, message: string, code = "VALIDATION_ERROR") => {
  const error: FieldError = { field, code, message };
  return json(400, { code, message, fields: [error] });
};

/** The JSON object body of a sign-in or sign-up, or the 400 that refuses it. */
export async function jsonObjectBody(request: Request): Promise<Record<string, unknown> | Response> {
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

export const emailSchema = z.email();
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The JSON object an answer (or a request) carries, if any; the original stays readable. */
export const jsonObjectOf = async (message: Request | Response): Promise<Record<string, unknown> | undefined> => {
  const body: unknown = await message.clone().json().catch(() => undefined);
  return isRecord(body) ? body : undefined;
};

/** The `code` of a JSON error answer, if any. */
export async function errorCode(response: Response): Promise<string | undefined> {
  const code = (await jsonObjectOf(response))?.code;
  return typeof code === "string" ? code : undefined;
}


/** Bookkeeping after the answer: best effort, so a counter write can never cost a user a sign-in. */
export async function afterwards(what: string, work: () => Promise<void>) {
  try {
    await work();
  } catch (err) {
    console.warn(`auth throttle: could not record ${what} (${(err as { code?: string }).code ?? (err as Error).message})`);
  }
}

type Outcome = "succeeded" | "failed" | "void";

/** Runs a guarded attempt: counted before, settled after by what `outcomeOf` makes of the answer. */
export async function guarded(
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

export const refusal = (verdicts: Verdict[]) => {
  const refused = verdicts.filter((v) => !v.allowed);
  return refused.length ? rateLimited(Math.max(...refused.map((v) => v.retryAfterSeconds))) : null;
};

