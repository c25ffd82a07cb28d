// Better Auth `hooks.before`: the account field rules on the server — the password policy
// (src/lib/password-policy.ts) and the name, email and image rules (src/lib/profile-rules.ts) — on
// EVERY endpoint that writes one of those fields, plus the forced `revokeOtherSessions` on
// password change (a changed password must end every other session; docs/security.md "Revocation").
// It runs before Better Auth's own validation and before any database work, so a bad value is a
// 422 with field errors, never a row stored or a 500 (docs/security.md "Profile fields").
import "server-only";
import { APIError, createAuthMiddleware } from "better-auth/api";
import type { FieldError } from "@/lib/error-codes";
import { checkPassword, PASSWORD_UNCHANGED, withInputs, type PasswordPolicyName } from "@/lib/password-policy";
import { loadStrengthJudge, strengthInputs, type StrengthJudge } from "@/lib/password-strength";
import { checkEmail, checkImage, checkName, normalizeName } from "@/lib/profile-rules";

/** Which account fields an endpoint writes, and the body key of the email and password it takes. */
interface Writes {
  name?: "required" | "optional";
  emailKey?: string;
  image?: true;
  passwordKey?: string;
  /** The body key of the current password, when the endpoint takes one (the new one must differ). */
  currentPasswordKey?: string;
}

/**
 * Every endpoint that writes a user's name, email, image or password: Better Auth 1.7's (read from
 * node_modules/better-auth/dist/api/routes; no plugin of Better Auth's that we enable adds one) and
 * our own plugins' (src/server/email-change/, src/server/verify-address/). Sign-in paths read these
 * fields but never write them. `/update-user` refuses `email` itself (EMAIL_CAN_NOT_BE_UPDATED). A user
 * can change their email: through our own flow, whose request is `/email-change/request` below and whose
 * completion writes the address only once both addresses said yes (docs/security.md "Changing the email").
 * Only Better Auth's own `/change-email` and `/verify-email` are switched off (auth-options.ts
 * `disabledPaths`), for our email-change and verify-address flows.
 * `setPassword` has no path and no HTTP route (server-only); nothing here calls it.
 */
export const WRITES_BY_PATH: Readonly<Record<string, Writes>> = {
  "/sign-up/email": { name: "required", emailKey: "email", image: true, passwordKey: "password" },
  "/update-user": { name: "optional", image: true },
  "/email-change/request": { emailKey: "newEmail" },
  "/change-password": { passwordKey: "newPassword", currentPasswordKey: "currentPassword" },
  "/reset-password": { passwordKey: "newPassword" },
  "/verify-address/with-new-password": { passwordKey: "newPassword" },
};

function refuse(errors: FieldError[]): never {
  const first = errors[0]!;
  throw new APIError("UNPROCESSABLE_ENTITY", {
    code: first.code ?? "VALIDATION_ERROR",
    message: first.message,
    field: first.field,
    fields: errors,
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/**
 * Field errors of `body` for what `writes` says the endpoint stores, in form order. The password's
 * strength is judged against the name and email sent with it (sign-up), as the form judges it.
 */
export function accountFieldErrors(writes: Writes, body: Record<string, unknown>, policy: PasswordPolicyName, judge: StrengthJudge): FieldError[] {
  const errors: FieldError[] = [];
  if (writes.name === "required" || (writes.name === "optional" && body.name !== undefined)) errors.push(...checkName(body.name));
  if (writes.emailKey) errors.push(...checkEmail(body[writes.emailKey]));
  if (writes.image) errors.push(...checkImage(body.image));
  if (writes.passwordKey) {
    const password = body[writes.passwordKey];
    if (typeof password !== "string" || password === "") {
      errors.push({ field: "password", code: "PASSWORD_REQUIRED", message: "Enter a password." });
    } else {
      const inputs = strengthInputs(text(body.name), writes.emailKey ? text(body[writes.emailKey]) : undefined);
      for (const failure of checkPassword(password, policy, withInputs(judge, inputs))) {
        errors.push({ field: "password", code: failure.code, message: failure.message });
      }
      // A "change" to the same password changes nothing, yet would end every other session.
      if (writes.currentPasswordKey && password === body[writes.currentPasswordKey]) {
        errors.push({ field: "password", code: PASSWORD_UNCHANGED.code, message: PASSWORD_UNCHANGED.message });
      }
    }
  }
  return errors;
}

export function accountPolicyHook(policy: PasswordPolicyName) {
  return createAuthMiddleware(async (ctx) => {
    const writes = WRITES_BY_PATH[ctx.path];
    if (!writes) return;
    const body = isRecord(ctx.body) ? ctx.body : {};
    const errors = accountFieldErrors(writes, body, policy, await loadStrengthJudge());
    if (errors.length > 0) refuse(errors);

    // Better Auth merges this into the request's context (defu): keys given here win.
    const changes: Record<string, unknown> = {};
    if (writes.name && typeof body.name === "string") changes.name = normalizeName(body.name);
    if (ctx.path === "/change-password") changes.revokeOtherSessions = true;
    if (Object.keys(changes).length > 0) return { context: { body: { ...body, ...changes } } };
  });
}
