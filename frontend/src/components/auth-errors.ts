// Turns a Better Auth client error into field-level messages for the forms. Never shows a stack
// trace or a system detail: unknown errors become one generic sentence.

import { ERROR_CODES } from "@/lib/error-codes";

type AuthField = "name" | "email" | "password" | "form";
export type FieldErrors = Partial<Record<AuthField, string>>;

interface ClientError {
  status?: number;
  code?: string;
  message?: string;
  field?: string;
  fields?: Array<{ field: string; message: string }>;
}

/**
 * Errors that mean "not now" rather than "not this": the database is unavailable (503) or the
 * client is rate limited (429). The RATE_LIMITED message is ours (src/server/throttle.ts: it says how long).
 */
function notNow(error: ClientError, what: string): string | undefined {
  if (error.code === "DATABASE_UNAVAILABLE" || error.status === 503) {
    return `${what} is temporarily unavailable. Please try again in a few seconds.`;
  }
  if (error.code === "RATE_LIMITED" && error.message) return error.message;
  if (error.status === 429) return ERROR_CODES.RATE_LIMITED;
  return undefined;
}

const EMAIL_CODES = new Set(["USER_ALREADY_EXISTS", "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", "INVALID_EMAIL"]);
/** The sentence for an address that already has an account (sign-up in the default mode says so). */
const EXISTING_ACCOUNT_MESSAGE = "An account with this email already exists: sign in or reset your password.";
export const isExistingAccount = (error: ClientError) => error.code === "USER_ALREADY_EXISTS" || error.code === "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL";
const PASSWORD_CODES = new Set(["PASSWORD_TOO_SHORT", "PASSWORD_TOO_LONG", "INVALID_PASSWORD"]);

/** The forms that write account data, with how each names itself in a "not now" or failure sentence. */
const ACCOUNT_FORMS = {
  "sign-up": { what: "Sign-up", failed: "Could not create the account right now. Please try again." },
  "change-password": { what: "Changing the password", failed: "Could not change the password right now. Please try again." },
  profile: { what: "Saving the profile", failed: "Could not save the profile right now. Please try again." },
} as const;
export type AccountForm = keyof typeof ACCOUNT_FORMS;

/**
 * A refused account write (sign-up, password change) as messages for the form's fields: the
 * server's name and password rule failures (src/server/password-hook.ts), a taken or malformed
 * email, or one form-level sentence.
 */
export function accountErrors(error: ClientError, form: AccountForm): FieldErrors {
  const { what, failed } = ACCOUNT_FORMS[form];
  const later = notNow(error, what);
  if (later) return { form: later };
  if (error.fields?.length) {
    const out: FieldErrors = {};
    for (const f of error.fields) {
      const key = (["name", "email", "password"].includes(f.field) ? f.field : "form") as AuthField;
      out[key] = out[key] ? `${out[key]} ${f.message}` : f.message;
    }
    return out;
  }
  if (error.code && EMAIL_CODES.has(error.code)) {
    return { email: error.code === "INVALID_EMAIL" ? "Enter a valid email address." : EXISTING_ACCOUNT_MESSAGE };
  }
  if (error.code && PASSWORD_CODES.has(error.code)) return { password: error.message ?? "Choose another password." };
  return { form: failed };
}

/** Signing in before the address is confirmed (strict mode). */
const EMAIL_NOT_VERIFIED_MESSAGE = "Confirm your email address first: open the link we sent you, or get a new one.";

export function signInErrors(error: ClientError): FieldErrors {
  const later = notNow(error, "Sign-in");
  if (later) return { form: later };
  if (error.status !== undefined && error.status >= 500) return { form: "Could not sign in right now. Please try again." };
  // Only a right password reaches this (Better Auth checks it first): it reveals nothing. The form
  // puts a "Send a new link" button for the typed address under it (sign-in-form.tsx).
  if (error.code === "EMAIL_NOT_VERIFIED") return { form: EMAIL_NOT_VERIFIED_MESSAGE };
  // Generic on purpose: never say whether the email or the password was wrong.
  return { form: "Invalid email or password." };
}
