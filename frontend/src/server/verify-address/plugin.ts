// Opening a verification link (docs/security.md "Email verification", "Pre-account takeover" and
// "Login CSRF"). Whoever opens the link controls the address, and only they may end up holding the
// account; but the link alone does not say who set the account's password. So a link confirms the
// address only together with proof of which credential survives:
//   POST /api/auth/verify-address/with-session {token}       this browser holds a session of the
//        link's user (the one that signed up here): confirmed; every OTHER session ends. In strict mode
//        (no session before the link) the sign-up marker of that user (signup-marker.ts) does the
//        same: confirmed, and signed in here.
//   POST /api/auth/verify-address/with-password {token, password}   the account's password:
//        confirmed, every session ends, signed in here.
//   POST /api/auth/verify-address/with-new-password {token, newPassword}   "I didn't create this
//        account" (or forgot the password): the address's owner sets the password, so whatever
//        password someone else set stops working; confirmed, every session ends, signed in here.
// Each also voids every pending reset, deletion and change-of-email link (account-links.ts). The
// page src/app/verify-email/ asks which, and never signs a browser that holds another user's
// session into this account without asking. Better Auth's own /verify-email, which signs in
// whoever opens the link, is switched off (auth-options.ts).
import "server-only";
import type { BetterAuthPlugin, GenericEndpointContext } from "better-auth";
import { APIError, createAuthEndpoint, getSessionFromCtx } from "better-auth/api";
import { setSessionCookie } from "better-auth/cookies";
import * as z from "zod";
import { endSessions, voidLinks } from "../account-links";
import { type ObservedPool, queryVia } from "../db";
import { readVerificationLink } from "../mail/verification-link";
import type { SignupMarkers } from "../signup-marker";

const VERIFY_ADDRESS_ERRORS = {
  INVALID_TOKEN: { code: "INVALID_TOKEN", message: "This link has expired, was already used, or does not work." },
  SESSION_MISMATCH: { code: "SESSION_MISMATCH", message: "This browser is not signed in to the account this link is for." },
  INVALID_PASSWORD: { code: "INVALID_PASSWORD", message: "That is not the password of this account." },
} as const;

const token = z.string().min(1).max(4096);

/** What every link endpoint does: read the link (its user, or a 400), and confirm the address. */
function linkActions(pool: ObservedPool, secret: string) {
  return {
    /** The user of a link that still confirms something, or a 400. */
    async linkUser(value: string) {
      const link = await readVerificationLink(value, secret, pool);
      if (link.problem !== null) throw new APIError("BAD_REQUEST", VERIFY_ADDRESS_ERRORS.INVALID_TOKEN);
      return link.userId;
    },
    async confirm(userId: string, keepSessionId?: string) {
      await queryVia(pool, 'UPDATE "user" SET email_verified = true, updated_at = now() WHERE id = $1', [userId]);
      await voidLinks(pool, userId);
      await endSessions(pool, userId, keepSessionId);
    },
  };
}

/** POST /verify-address/with-session: this browser is signed in to the link's user (or, strict, just signed up as it). */
const withSessionEndpoint = ({ linkUser, confirm }: ReturnType<typeof linkActions>, markers?: SignupMarkers) =>
  createAuthEndpoint("/verify-address/with-session", { method: "POST", body: z.object({ token }), requireHeaders: true }, async (ctx) => {
    const userId = await linkUser(ctx.body.token);
    const session = await getSessionFromCtx(ctx, { disableCookieCache: true });
    if (session?.user.id === userId) {
      await confirm(userId, session.session.id);
      return ctx.json({ status: true });
    }
    // Strict mode: this browser signed up for exactly this user within the hour (and is signed in to no one else).
    if (!session && markers?.created(ctx.headers?.get("cookie") ?? null, userId)) {
      await confirm(userId);
      ctx.setCookie(markers.name, "", { path: "/", maxAge: 0, httpOnly: true, sameSite: "lax", secure: markers.secure });
      return signInHere(ctx, userId);
    }
    throw new APIError("FORBIDDEN", VERIFY_ADDRESS_ERRORS.SESSION_MISMATCH);
  });

export const verifyAddressPlugin = (pool: ObservedPool, secret: string, markers?: SignupMarkers) => {
  const links = linkActions(pool, secret);
  const { linkUser, confirm } = links;
  return {
    id: "verify-address",
    endpoints: {
      verifyAddressWithSession: withSessionEndpoint(links, markers),
      verifyAddressWithPassword: createAuthEndpoint(
        "/verify-address/with-password",
        { method: "POST", body: z.object({ token, password: z.string().min(1).max(1024) }) },
        async (ctx) => {
          const userId = await linkUser(ctx.body.token);
          const credential = await ctx.context.internalAdapter.findCredentialAccount(userId);
          if (!credential?.password || !(await ctx.context.password.verify({ hash: credential.password, password: ctx.body.password }))) {
            throw new APIError("BAD_REQUEST", VERIFY_ADDRESS_ERRORS.INVALID_PASSWORD);
          }
          await confirm(userId);
          return signInHere(ctx, userId);
        },
      ),
      verifyAddressWithNewPassword: createAuthEndpoint(
        "/verify-address/with-new-password",
        // The password policy runs first, as on every endpoint that writes one (password-hook.ts).
        { method: "POST", body: z.object({ token, newPassword: z.string().min(1).max(1024) }) },
        async (ctx) => {
          const userId = await linkUser(ctx.body.token);
          const hash = await ctx.context.password.hash(ctx.body.newPassword);
          const credential = await ctx.context.internalAdapter.findCredentialAccount(userId);
          if (credential) await ctx.context.internalAdapter.updateAccount(credential.id, { password: hash });
          else await ctx.context.internalAdapter.createAccount({ userId, providerId: "credential", accountId: userId, password: hash });
          await confirm(userId);
          return signInHere(ctx, userId);
        },
      ),
    },
  } satisfies BetterAuthPlugin;
};

/** A new session for `userId` in this browser (the others were just ended). */
async function signInHere(ctx: GenericEndpointContext, userId: string) {
  const user = await ctx.context.internalAdapter.findUserById(userId);
  const session = user && (await ctx.context.internalAdapter.createSession(userId));
  if (!user || !session) throw new APIError("INTERNAL_SERVER_ERROR", { code: "FAILED_TO_CREATE_SESSION", message: "Could not sign you in. Please sign in." });
  await setSessionCookie(ctx, { session, user });
  return ctx.json({ status: true });
}
