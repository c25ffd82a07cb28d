// Account deletion (docs/security.md "Deleting the account") always needs re-authentication: the
// current password, or a fresh email link. Better Auth's own /delete-user would also take nothing at
// all from a session younger than a day (its `freshAge`): a stolen cookie or a minute at an unlocked
// laptop; this plugin's before-hook refuses that (403 REAUTHENTICATION_REQUIRED). The link: POST
// /api/auth/delete-user/request-link (signed in) stores a single-use token for LINK_LIFETIME_SECONDS
// and mails a link to /settings/danger?token=…, whose page posts it to /delete-user {token}. Better
// Auth consumes the token but never checks its expiry, so the hook refuses an expired one (400
// INVALID_TOKEN) first.
import "server-only";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthEndpoint, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { generateRandomString } from "better-auth/crypto";
import { type AccountMail, LINK_LIFETIME_SECONDS } from "./account-mail";

/** Better Auth's identifier for a deletion token (routes/update-user: `delete-account-${token}`). */
const deleteTokenIdentifier = (token: string) => `delete-account-${token}`;

const INVALID_TOKEN = { code: "INVALID_TOKEN", message: "This link has expired or was already used." };
const REAUTHENTICATION_REQUIRED = {
  code: "REAUTHENTICATION_REQUIRED",
  message: "Enter your current password, or use a deletion link we email you, to delete your account.",
};

export const deleteLinkPlugin = (mail: AccountMail) =>
  ({
    id: "delete-account-link",
    endpoints: {
      requestDeleteLink: createAuthEndpoint("/delete-user/request-link", { method: "POST", requireHeaders: true }, async (ctx) => {
        const session = await getSessionFromCtx(ctx);
        if (!session) throw new APIError("UNAUTHORIZED", { code: "UNAUTHORIZED", message: "Sign in to delete your account." });
        const token = generateRandomString(32, "a-z", "0-9");
        await ctx.context.internalAdapter.createVerificationValue({
          value: session.user.id,
          identifier: deleteTokenIdentifier(token),
          expiresAt: new Date(Date.now() + LINK_LIFETIME_SECONDS * 1000),
        });
        mail.deleteAccount(session.user, token);
        return ctx.json({ status: true });
      }),
    },
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === "/delete-user",
          handler: createAuthMiddleware(async (ctx) => {
            const body = (ctx.body ?? {}) as { token?: unknown; password?: unknown };
            const { token } = body;
            if (token === undefined) {
              if (typeof body.password !== "string" || !body.password) throw new APIError("FORBIDDEN", REAUTHENTICATION_REQUIRED);
              return; // Better Auth checks the password itself
            }
            if (typeof token !== "string" || !token) throw new APIError("BAD_REQUEST", INVALID_TOKEN);
            const row = await ctx.context.internalAdapter.findVerificationValue(deleteTokenIdentifier(token));
            if (!row || row.expiresAt < new Date()) throw new APIError("BAD_REQUEST", INVALID_TOKEN);
          }),
        },
      ],
    },
  }) satisfies BetterAuthPlugin;
