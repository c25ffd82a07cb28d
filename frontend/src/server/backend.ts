// Calls to the backend from the Next.js server with the session's token, turning every outcome
// into {ok, data} or {ok: false, error: {code, message, fields?}}. A 401 means the session was
// revoked (sign-out everywhere, password change): back to sign-in (see CallOptions). A 401
// EMAIL_NOT_VERIFIED (the backend runs strict mode, docs/security.md "Email verification") goes to
// /confirm-email instead, a page that stays put: sign-in would send a signed-in user straight back.
import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { env } from "@/env";
import { createBackendClient, REQUEST_ID_HEADER, type BackendClient } from "@/lib/backend/client";
import { ERROR_CODES, type ErrorBody } from "@/lib/error-codes";
import { CONFIRM_EMAIL_PATH } from "@/lib/confirm-email";
import { signInHref } from "@/lib/return-path";
import { getBackendToken } from "./session";

export type BackendResult<T> = { ok: true; data: T } | { ok: false; status: number; error: ErrorBody };

interface FetchOutcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

const isErrorBody = (v: unknown): v is ErrorBody =>
  typeof v === "object" && v !== null && typeof (v as ErrorBody).code === "string" && typeof (v as ErrorBody).message === "string";

/**
 * What a 401 (the session ended: signed out in another tab, sign-out everywhere, a password change)
 * does: a page redirects to sign-in with `returnTo` as its return path and "You were signed out";
 * a server action (`signedOut: "result"`) gets a SIGNED_OUT error instead, so the form keeps what
 * was typed and says so itself.
 */
export interface CallOptions {
  returnTo?: string;
  signedOut?: "redirect" | "result";
}

export async function callBackend<T>(run: (api: BackendClient) => Promise<FetchOutcome<T>>, options: CallOptions = {}): Promise<BackendResult<T>> {
  // The request id start.mjs (or the proxy) put on the incoming request, so the backend logs it too.
  const requestId = (await headers()).get(REQUEST_ID_HEADER) ?? undefined;
  const api = createBackendClient(env.BACKEND_URL, await getBackendToken(), requestId);
  let outcome: FetchOutcome<T>;
  try {
    outcome = await run(api);
  } catch {
    return { ok: false, status: 503, error: { code: "BACKEND_UNAVAILABLE", message: ERROR_CODES.BACKEND_UNAVAILABLE } };
  }
  const { response } = outcome;
  if (response.status === 401 && isErrorBody(outcome.error) && outcome.error.code === "EMAIL_NOT_VERIFIED") {
    if (options.signedOut === "result") return { ok: false, status: 401, error: { code: "EMAIL_NOT_VERIFIED", message: ERROR_CODES.EMAIL_NOT_VERIFIED } };
    redirect(CONFIRM_EMAIL_PATH);
  }
  if (response.status === 401) {
    if (options.signedOut === "result") return { ok: false, status: 401, error: { code: "SIGNED_OUT", message: ERROR_CODES.SIGNED_OUT } };
    redirect(signInHref(options.returnTo, "signed-out"));
  }
  if (response.ok) return { ok: true, data: outcome.data as T };
  if (response.status === 503) {
    return { ok: false, status: 503, error: { code: "BACKEND_UNAVAILABLE", message: ERROR_CODES.BACKEND_UNAVAILABLE } };
  }
  const error = isErrorBody(outcome.error) ? outcome.error : { code: "BACKEND_ERROR", message: ERROR_CODES.BACKEND_ERROR };
  return { ok: false, status: response.status, error };
}
