// Better Auth's email-driven account options, wired to our mail (docs/security.md "Account email"):
// - every sign-up mails a confirmation link (valid LINK_LIFETIME_SECONDS). By default sign-up also
//   signs the user in at once (the app shows a "Confirm your email" banner until the link is
//   opened); in strict mode (REQUIRE_EMAIL_VERIFICATION=true) it creates no session, and the link's
//   page signs the user in and lands on the dashboard;
// - strict mode's sign-up is enumeration-safe: Better Auth answers an existing email with the same
//   200 and a synthetic user, after hashing the password as for a new one; the owner gets a notice
//   with a link to reset their password. By default an existing email is refused (422), as almost
//   every product does (docs/security.md "Email verification" weighs the two);
// - forgotten password: a single-use link (a `verification` row consumed in the same transaction
//   as the new password), valid LINK_LIFETIME_SECONDS; only the newest one works; a reset ends
//   every session of the user, voids every other link (account-links.ts) and proves the address;
// - "your password was changed" after a reset and after a change;
// - a change of email: our own flow (src/server/email-change/), Better Auth's is off;
// - account deletion with the current password or a fresh email link, and a goodbye email.
// Every send follows the response (mailer.ts): no request waits on SMTP, and none fails with it.
import "server-only";
import type { BetterAuthOptions } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import type { ServerEnv } from "@/config/env-schema";
import { keepNewestResetLink, voidLinks } from "../account-links";
import { type ObservedPool, queryVia } from "../db";
import { afterResponse } from "../after-response";
import { type AccountMail, LINK_LIFETIME_SECONDS } from "./account-mail";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The user in a successful answer `{ user: { email, name, emailVerified } }`, if that is what `returned` is. */
function returnedUser(returned: unknown): { email: string; name: string; emailVerified: boolean } | null {
  if (!isRecord(returned) || !isRecord(returned.user)) return null;
  const { email, name, emailVerified } = returned.user;
  return typeof email === "string" && typeof name === "string" ? { email, name, emailVerified: emailVerified === true } : null;
}

/** `hooks.after`: the notices that follow an endpoint's success (Better Auth has no callback for these). */
export function accountMailHook(mail: AccountMail) {
  return createAuthMiddleware(async (ctx) => {
    if (ctx.path !== "/change-password") return;
    const user = returnedUser(ctx.context.returned);
    if (user) mail.passwordChanged(user, "change");
  });
}

export function authMailOptions(env: Pick<ServerEnv, "REQUIRE_EMAIL_VERIFICATION">, mail: AccountMail, pool: ObservedPool) {
  const emailVerification: BetterAuthOptions["emailVerification"] = {
    sendOnSignUp: true,
    // Signing in before verifying answers 403 EMAIL_NOT_VERIFIED; the page offers to resend
    // (throttled) rather than mailing on every attempt.
    sendOnSignIn: false,
    // Better Auth's /verify-email (which signs in whoever opens the link) is off: the page
    // src/app/verify-email/ and src/server/verify-address/ decide what a link does.
    autoSignInAfterVerification: false,
    expiresIn: LINK_LIFETIME_SECONDS,
    sendVerificationEmail: async ({ user, token }) => mail.verifyEmail(user, token),
  };
  const emailAndPassword: Omit<NonNullable<BetterAuthOptions["emailAndPassword"]>, "enabled"> = {
    requireEmailVerification: env.REQUIRE_EMAIL_VERIFICATION,
    onExistingUserSignUp: async ({ user }) => mail.existingAccount(user),
    resetPasswordTokenExpiresIn: LINK_LIFETIME_SECONDS,
    revokeSessionsOnPasswordReset: true,
    sendResetPassword: async ({ user, token }) => {
      mail.resetPassword(user, token);
      // Only the newest link works; after the response, so a known address answers as fast as an unknown one.
      afterResponse(() => keepNewestResetLink(pool, user.id, token));
    },
    // The reset link proved the address: it is confirmed, and every other link of the user dies
    // (Better Auth already deleted every session: revokeSessionsOnPasswordReset).
    onPasswordReset: async ({ user }) => {
      await queryVia(pool, 'UPDATE "user" SET email_verified = true, updated_at = now() WHERE id = $1', [user.id]);
      await voidLinks(pool, user.id);
      mail.passwordChanged({ ...user, emailVerified: true }, "reset");
    },
  };
  // Change of email: Better Auth's is off (src/server/email-change/ instead). Deletion: the current
  // password, or a fresh email link, always (delete-link-plugin.ts); the FK cascade takes the tasks,
  // and a goodbye email follows.
  const user = {
    changeEmail: { enabled: false },
    deleteUser: {
      enabled: true,
      afterDelete: async (deleted: { email: string; name: string; emailVerified: boolean }) => mail.goodbye(deleted),
    },
  };
  return { emailVerification, emailAndPassword, user };
}
