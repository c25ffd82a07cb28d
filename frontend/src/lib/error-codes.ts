// The error shape the frontend speaks (docs/api.md "Errors": {code, message, fields?}) and the
// messages of the codes the frontend makes up itself. A validation rule's message lives with its
// rule (the password policy's in src/lib/password-policy.ts), the backend's codes in
// backend/app/errors.py, and Better Auth's codes (USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL,
// INVALID_EMAIL_OR_PASSWORD, …) pass through as is.

export const ERROR_CODES = {
  /** The backend did not answer (network error, timeout) or answered 503: src/server/backend.ts. */
  BACKEND_UNAVAILABLE: "The service is unavailable right now. Please try again in a moment.",
  /** The backend answered an error without our {code, message} body: src/server/backend.ts. */
  BACKEND_ERROR: "Something went wrong. Please try again.",
  /** Better Auth could not reach the database: src/server/auth-route.ts (503 + Retry-After). */
  DATABASE_UNAVAILABLE: "Accounts are temporarily unavailable (database unreachable). Please try again in a few seconds.",
  /** A 429 that carries no message of ours (src/server/throttle.ts's says how long to wait). */
  RATE_LIMITED: "Too many attempts. Please wait a minute and try again.",
  /** The session ended while a page was open (signed out elsewhere): src/server/backend.ts, src/server/task-actions.ts. */
  SIGNED_OUT: "You were signed out. Sign in again to continue.",
  /** The backend runs strict mode and this address is not confirmed yet: src/server/backend.ts. */
  EMAIL_NOT_VERIFIED: "Confirm your email address to continue: open the link we sent you.",
  /** A callbackURL, redirectTo, errorCallbackURL or newUserCallbackURL off the app's origin: src/server/auth-route.ts (400). */
  INVALID_REDIRECT: "The redirect target must be a page of this site.",
  /** Input Better Auth could not validate (e.g. a token's claims): src/server/auth-route.ts (400). */
  VALIDATION_ERROR: "The request is invalid.",
  /** Any other unexpected error of /api/auth/*: src/server/auth-route.ts (500, never a stack trace). */
  INTERNAL_ERROR: "Something went wrong. Please try again.",
} as const satisfies Record<string, string>;

export interface FieldError {
  field: string;
  code?: string;
  message: string;
}

export interface ErrorBody {
  code: string;
  message: string;
  fields?: FieldError[];
}
