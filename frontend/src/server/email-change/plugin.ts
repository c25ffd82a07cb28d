// Changing the email, as a Better Auth plugin of ours (docs/security.md "Changing the email";
// docs/decisions/0005-stateful-email-change.md says why not Better Auth's /change-email):
//   POST /api/auth/email-change/request {newEmail, currentPassword}  (signed in)
//   POST /api/auth/email-change/approve {token}   the current address's link: yes
//   POST /api/auth/email-change/confirm {token}   the new address's link: yes
//   POST /api/auth/email-change/cancel  {token}   the current address's link: "this wasn't me"
// The request needs recent proof of the current credential (the current password; an account
// without one proves itself by the current address's approval, which it needs anyway). Only both
// yeses complete it. The links are single-use, live an hour, and belong to the user they were made
// for; the pages that open them (src/app/email-change/) post here, so a mail scanner's GET spends
// nothing. A password reset or change and "sign out everywhere" void pending changes (this
// plugin's after-hooks, with account-links.ts).
import "server-only";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthEndpoint, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import * as z from "zod";
import { endSessions, voidLinks } from "../account-links";
import type { ObservedPool } from "../db";
import type { AccountMail } from "../mail/account-mail";
import { recordEvent } from "../security-events/record";
import { approveByLink, cancelByLink, type Completion, findByToken, type LinkKind, startEmailChange } from "./store";

const EMAIL_CHANGE_ERRORS = {
  UNAUTHORIZED: { code: "UNAUTHORIZED", message: "Sign in to change your email address." },
  EMAIL_UNCHANGED: { code: "EMAIL_UNCHANGED", message: "That is already your email address." },
  CURRENT_PASSWORD_REQUIRED: { code: "CURRENT_PASSWORD_REQUIRED", message: "Enter your current password to change your email address." },
  INVALID_PASSWORD: { code: "INVALID_PASSWORD", message: "That is not your current password." },
  INVALID_TOKEN: { code: "INVALID_TOKEN", message: "This link has expired or was already used." },
} as const;

/** What a link's yes led to, for the page to say. */
type ApprovalOutcome = "waiting" | Completion;

const tokenBody = z.object({ token: z.string().min(1).max(200) });

/** The user id of a successful /change-password answer (`{token, user}`), or null. */
function changedUserId(returned: unknown): string | null {
  const user = (returned as { user?: { id?: unknown } } | null)?.user;
  return typeof user?.id === "string" ? user.id : null;
}

/** POST /email-change/request: the current credential proved, both links sent (nothing when the address is taken). */
const requestEndpoint = (pool: ObservedPool, mail: AccountMail) =>
  createAuthEndpoint(
    "/email-change/request",
    { method: "POST", requireHeaders: true, body: z.object({ newEmail: z.string(), currentPassword: z.string().max(1024).optional() }) },
    async (ctx) => {
      const session = await getSessionFromCtx(ctx, { disableCookieCache: true });
      if (!session) throw new APIError("UNAUTHORIZED", EMAIL_CHANGE_ERRORS.UNAUTHORIZED);
      const { user } = session;
      // The address's format was judged by the account policy hook (password-hook.ts) already.
      const newEmail = ctx.body.newEmail.trim().toLowerCase();
      if (newEmail === user.email) throw new APIError("BAD_REQUEST", EMAIL_CHANGE_ERRORS.EMAIL_UNCHANGED);
      const credential = await ctx.context.internalAdapter.findCredentialAccount(user.id);
      if (credential?.password) {
        const password = ctx.body.currentPassword;
        if (!password) throw new APIError("BAD_REQUEST", EMAIL_CHANGE_ERRORS.CURRENT_PASSWORD_REQUIRED);
        if (!(await ctx.context.password.verify({ hash: credential.password, password }))) {
          throw new APIError("BAD_REQUEST", EMAIL_CHANGE_ERRORS.INVALID_PASSWORD);
        }
      }
      // The same answer whether or not the new address has an account; then nothing is sent.
      if (await ctx.context.internalAdapter.findUserByEmail(newEmail)) return ctx.json({ status: true });
      const tokens = await startEmailChange(pool, { userId: user.id, oldEmail: user.email, newEmail });
      mail.emailChange(user, newEmail, tokens);
      return ctx.json({ status: true });
    },
  );

/** POST /email-change/approve and /confirm: one address's yes; the change completes with both. */
const approveEndpoint = (pool: ObservedPool, mail: AccountMail, path: "/email-change/approve" | "/email-change/confirm", kind: LinkKind) =>
  createAuthEndpoint(path, { method: "POST", body: tokenBody }, async (ctx) => {
    const result = await approveByLink(pool, ctx.body.token, kind);
    if (!result) throw new APIError("BAD_REQUEST", EMAIL_CHANGE_ERRORS.INVALID_TOKEN);
    const { change, completion } = result;
    if (completion === "changed") {
      const user = await ctx.context.internalAdapter.findUserById(change.userId);
      if (user) mail.emailChanged(user, change.oldEmail);
      await recordEvent(pool, { userId: change.userId, type: "email-changed", method: "email", request: ctx, detail: { from: change.oldEmail, to: change.newEmail } });
    }
    const outcome: ApprovalOutcome = completion ?? "waiting";
    return ctx.json({ outcome, newEmail: change.newEmail });
  });

/** POST /email-change/cancel: "this wasn't me". */
const cancelEndpoint = (pool: ObservedPool) =>
  createAuthEndpoint("/email-change/cancel", { method: "POST", body: tokenBody }, async (ctx) => {
    const found = await findByToken(pool, ctx.body.token);
    if (!found || found.kind !== "current") throw new APIError("BAD_REQUEST", EMAIL_CHANGE_ERRORS.INVALID_TOKEN);
    const cancelled = await cancelByLink(pool, ctx.body.token);
    if (!cancelled) throw new APIError("BAD_REQUEST", EMAIL_CHANGE_ERRORS.INVALID_TOKEN);
    // Whoever asked for it may hold a stolen session: every session ends, every pending link dies.
    await voidLinks(pool, cancelled.userId);
    await endSessions(pool, cancelled.userId);
    return ctx.json({ status: true });
  });

export const emailChangePlugin = (pool: ObservedPool, mail: AccountMail) =>
  ({
    id: "email-change",
    endpoints: {
      requestEmailChange: requestEndpoint(pool, mail),
      approveEmailChange: approveEndpoint(pool, mail, "/email-change/approve", "current"),
      confirmEmailChange: approveEndpoint(pool, mail, "/email-change/confirm", "new"),
      cancelEmailChange: cancelEndpoint(pool),
    },
    hooks: {
      before: [
        {
          // "Sign out everywhere": whatever was pending is void (before: afterwards no session names the user).
          matcher: (ctx) => ctx.path === "/revoke-sessions",
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getSessionFromCtx(ctx, { disableCookieCache: true });
            if (session) await voidLinks(pool, session.user.id);
          }),
        },
      ],
      after: [
        {
          // A new password: every link sent before it dies.
          matcher: (ctx) => ctx.path === "/change-password",
          handler: createAuthMiddleware(async (ctx) => {
            const userId = changedUserId(ctx.context.returned);
            if (userId) await voidLinks(pool, userId);
          }),
        },
      ],
    },
  }) satisfies BetterAuthPlugin;
