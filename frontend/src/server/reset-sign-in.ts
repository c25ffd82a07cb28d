// A successful password reset signs the user in (docs/security.md "Forgotten password"). The link
// proved the address and the new password is the account's only one; Better Auth has just ended
// every session (revokeSessionsOnPasswordReset), so this browser gets a fresh one instead of a trip
// through the sign-in form. Hooks on Better Auth's own POST /reset-password, so its single-use
// token, the throttle's lifting of every lock (throttle.ts reads /reset-password) and the links
// that die with the password (auth-mail-options.ts) all stay as they are:
// - before: whose token is it (the reset consumes the row);
// - after a 200: a new session for that user and its cookie; the answer says `signedIn`.
// A browser that holds a live session of ANOTHER account is never switched to this one (docs/
// security.md "Login CSRF": someone could mail their own reset link to a victim): the reset still
// happens, and the answer says `signedIn: false`.
import "server-only";
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import { setSessionCookie } from "better-auth/cookies";

const isReset = (ctx: { path?: string }) => ctx.path === "/reset-password";

/** Better Auth's answer to a reset that worked: `{ status: true }`. */
const succeeded = (returned: unknown) => typeof returned === "object" && returned !== null && (returned as { status?: unknown }).status === true;

export const resetSignInPlugin = () => {
  // The user of each reset request, looked up before the reset spends the token (one entry per
  // request object, dropped with it).
  const resetUsers = new WeakMap<object, string>();

  return {
    id: "reset-sign-in",
    hooks: {
      before: [
        {
          matcher: isReset,
          handler: createAuthMiddleware(async (ctx) => {
            const body = (ctx.body ?? {}) as { token?: unknown };
            const token = typeof body.token === "string" && body.token ? body.token : ctx.query?.token;
            if (!ctx.request || typeof token !== "string" || !token) return;
            const row = await ctx.context.internalAdapter.findVerificationValue(`reset-password:${token}`);
            if (row) resetUsers.set(ctx.request, row.value);
          }),
        },
      ],
      after: [
        {
          matcher: isReset,
          handler: createAuthMiddleware(async (ctx) => {
            const userId = ctx.request ? resetUsers.get(ctx.request) : undefined;
            if (userId === undefined || !succeeded(ctx.context.returned)) return;
            // This browser's session, if it still has one: the reset ended every session of this
            // user, so a live one belongs to another account.
            const token = await ctx.getSignedCookie(ctx.context.authCookies.sessionToken.name, ctx.context.secret);
            const current = token ? await ctx.context.internalAdapter.findSession(token) : null;
            if (current && current.session.expiresAt > new Date() && current.user.id !== userId) return ctx.json({ status: true, signedIn: false });
            const user = await ctx.context.internalAdapter.findUserById(userId);
            const session = user && (await ctx.context.internalAdapter.createSession(userId));
            // The password is set either way; a session we could not make means signing in by hand.
            if (!user || !session) return ctx.json({ status: true, signedIn: false });
            await setSessionCookie(ctx, { session, user });
            return ctx.json({ status: true, signedIn: true });
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
};
