// Better Auth `hooks.before`: the password policy (src/lib/password-policy.ts) and name rules on
// the server, plus the forced `revokeOtherSessions` on password change (a changed password must
// end every other session; docs/security.md "Revocation").
import "server-only";
import { APIError, createAuthMiddleware } from "better-auth/api";
import type { FieldError } from "@/lib/error-codes";
import { checkPassword, type PasswordPolicyName } from "@/lib/password-policy";
import { isCommonPassword } from "./common-passwords";

export const NAME_MAX_LENGTH = 100;

/** Paths whose body carries a new password, and the body key that holds it. */
const PASSWORD_FIELD_BY_PATH: Record<string, string> = {
  "/sign-up/email": "password",
  "/change-password": "newPassword",
  "/reset-password": "newPassword",
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

export function accountPolicyHook(policy: PasswordPolicyName) {
  return createAuthMiddleware(async (ctx) => {
    const passwordField = PASSWORD_FIELD_BY_PATH[ctx.path];
    if (!passwordField) return;
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    const errors: FieldError[] = [];

    if (ctx.path === "/sign-up/email") {
      const name = typeof body.name === "string" ? body.name.trim() : "";
      if (!name) errors.push({ field: "name", code: "NAME_REQUIRED", message: "Enter your name." });
      else if ([...name].length > NAME_MAX_LENGTH) {
        errors.push({ field: "name", code: "NAME_TOO_LONG", message: `Your name must be at most ${NAME_MAX_LENGTH} characters.` });
      }
    }

    const password = body[passwordField];
    if (typeof password === "string") {
      for (const failure of checkPassword(password, policy, isCommonPassword)) {
        errors.push({ field: "password", code: failure.code, message: failure.message });
      }
    }
    if (errors.length > 0) refuse(errors);

    if (ctx.path === "/sign-up/email") {
      return { context: { body: { ...body, name: (body.name as string).trim() } } };
    }
    if (ctx.path === "/change-password") {
      return { context: { body: { ...body, revokeOtherSessions: true } } };
    }
  });
}
