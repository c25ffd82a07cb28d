// What a node-postgres failure means for the user (or the operator: a refused certificate), and
// which failures a request met.
// Better Auth turns some database errors into its own (a failed insert becomes 422
// FAILED_TO_CREATE_USER, a failed session read 500 FAILED_TO_GET_SESSION) and drops the cause, so
// the pool wrapper (db.ts) records every database error of the request here, and the route
// (auth-route.ts) decides from them: unavailable → 503, duplicate email → the duplicate refusal.
import { AsyncLocalStorage } from "node:async_hooks";

// Socket-level failures: refused, reset, timed out, unreachable, DNS not answering.
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "ENOTFOUND",
]);
// SQLSTATEs: 08 connection exception, 53 insufficient resources (e.g. 53300 too many connections),
// 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting, recovering),
// 57014 statement timeout (our STATEMENT_TIMEOUT_MS: the database is too slow to answer now).
const UNAVAILABLE_SQLSTATE_CLASSES = ["08", "53"];
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "57014"]);
// node-postgres and pg-pool report these without any code.
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Connection ended unexpectedly/i;

const UNIQUE_VIOLATION = "23505";

// Node's TLS verification failures (the OpenSSL X509_V_ERR names, and the host name check).
const UNTRUSTED_CERTIFICATE_CODES = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
]);
const HOST_MISMATCH_CODE = "ERR_TLS_CERT_ALTNAME_INVALID";
// The same lines as the backend's (backend/app/db/engine.py describe_certificate_failure).
export const UNTRUSTED_CERTIFICATE_LINE =
  "config error: DATABASE_CA_CERT: does not sign the database's certificate (empty: the system CAs). " +
  "Fix: point it at the PEM CA that signs it (npm run dev writes .dev/tls/ca.crt for the local server); " +
  "empty suits a publicly trusted certificate such as Neon's";
const HOST_MISMATCH_LINE =
  "config error: DATABASE_URL: its host is not a name the database's certificate lists. " +
  "Fix: connect by a name the certificate is for (the local server's: localhost)";

interface PgLikeError {
  code?: unknown;
  message?: unknown;
  table?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The error and whatever it wraps (`cause`, AggregateError's `errors`), at most a few levels deep. */
function* chain(err: unknown, depth = 0): Generator<PgLikeError> {
  if (depth > 4 || err === null || typeof err !== "object") return;
  const e = err as PgLikeError;
  yield e;
  if (e.cause !== undefined) yield* chain(e.cause, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* chain(inner, depth + 1);
}

/** True when the database cannot be reached or cannot serve right now (a retry later may work). */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of chain(err)) {
    const code = typeof e.code === "string" ? e.code : "";
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
    if (typeof e.message === "string" && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** One line naming the problem when the database's TLS certificate was refused; undefined otherwise. */
export function describeCertificateError(err: unknown): string | undefined {
  for (const e of chain(err)) {
    if (e.code === HOST_MISMATCH_CODE) return HOST_MISMATCH_LINE;
    if (typeof e.code === "string" && UNTRUSTED_CERTIFICATE_CODES.has(e.code)) return UNTRUSTED_CERTIFICATE_LINE;
  }
  return undefined;
}

/** True when an insert into "user" hit a unique index: its only ones are the random id and the (lower-case) email. */
export function isDuplicateUserEmail(err: unknown): boolean {
  for (const e of chain(err)) if (e.code === UNIQUE_VIOLATION && e.table === "user") return true;
  return false;
}

const requestDatabaseErrors = new AsyncLocalStorage<unknown[]>();

/** Runs `fn`, collecting into `errors` every database error met on its way (see recordDatabaseError). */
export function collectDatabaseErrors<T>(errors: unknown[], fn: () => Promise<T>): Promise<T> {
  return requestDatabaseErrors.run(errors, fn);
}

/** Called by the pool wrapper for every failed connect or query; a no-op outside collectDatabaseErrors. */
export function recordDatabaseError(err: unknown): void {
  requestDatabaseErrors.getStore()?.push(err);
}
