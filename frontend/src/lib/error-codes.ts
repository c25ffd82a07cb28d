// The frontend's own error codes (docs/api.md "Errors": {code, message, fields?}). Better Auth's
// codes (e.g. USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL, INVALID_EMAIL_OR_PASSWORD) pass through as is;
// the backend's live in backend/app/core/errors.py.
import type { PasswordRuleCode } from "./password-policy";

export const ERROR_CODES = {
  UNAUTHORIZED: "Sign in to continue.",
  NAME_REQUIRED: "Enter your name.",
  NAME_TOO_LONG: "Your name must be at most 100 characters.",
  PASSWORD_TOO_SHORT: "Password is too short.",
  PASSWORD_TOO_LONG: "Password is too long.",
  PASSWORD_NEEDS_UPPERCASE: "Password needs an uppercase letter.",
  PASSWORD_NEEDS_LOWERCASE: "Password needs a lowercase letter.",
  PASSWORD_NEEDS_DIGIT: "Password needs a digit.",
  PASSWORD_TOO_COMMON: "Password is too common.",
  INVALID_PASSWORD_POLICY: "The password does not meet the policy.",
  BACKEND_UNAVAILABLE: "The service is unavailable right now. Please try again in a moment.",
  BACKEND_ERROR: "Something went wrong. Please try again.",
  VALIDATION_ERROR: "Please correct the highlighted fields.",
  DATABASE_UNAVAILABLE: "Accounts are temporarily unavailable (database unreachable). Please try again in a few seconds.",
  RATE_LIMITED: "Too many attempts. Please wait a minute and try again.",
  INTERNAL_ERROR: "Something went wrong. Please try again.",
} as const satisfies Record<string, string> & Record<PasswordRuleCode, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

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
