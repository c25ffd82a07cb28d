// "Confirm it's you" (docs/security.md "Step-up"): POST /api/auth/re-authenticate {password}. The
// signed-in user proves the account's password again, as Better Auth's sign-in checks it (the
// credential account's hash, ctx.context.password.verify), and the CURRENT session's `authTime` moves
// to now with `amr` ["pwd"] (auth-methods.ts): the next backend token passes a step-up such as the
// backend's GET /api/me/export. No new session, no new cookie: the same session, newly confirmed.
// A wrong password is 400 INVALID_PASSWORD, Better Auth's own code, which the throttle's password-check
// lock counts (throttle.ts PASSWORD_CHECK_ROUTES). Codes and passkeys confirm through their own
// endpoints (/two-factor/verify-*, /passkey/verify-authentication) when those features come.
import "server-only";
import { APIError, createAuthEndpoint, sessionMiddleware } from "better-auth/api";
import * as z from "zod";

const RE_AUTHENTICATE_PATH = "/re-authenticate";

const RE_AUTHENTICATE_ERRORS = {
  INVALID_PASSWORD: { code: "INVALID_PASSWORD", message: "That is not the password of this account." },
  NO_PASSWORD: { code: "NO_PASSWORD", message: "This account has no password: sign in again with the provider you use." },
} as const;

/** What a confirmation with the password proves (RFC 8176). */
export const CONFIRMED_WITH_PASSWORD = ["pwd"] as const;

export const reAuthenticateEndpoint = createAuthEndpoint(
  RE_AUTHENTICATE_PATH,
  { method: "POST", body: z.object({ password: z.string().min(1).max(1024) }), use: [sessionMiddleware] },
  async (ctx) => {
    const { session } = ctx.context.session;
    const credential = await ctx.context.internalAdapter.findCredentialAccount(session.userId);
    if (!credential?.password) throw new APIError("BAD_REQUEST", RE_AUTHENTICATE_ERRORS.NO_PASSWORD);
    if (!(await ctx.context.password.verify({ hash: credential.password, password: ctx.body.password }))) {
      throw new APIError("BAD_REQUEST", RE_AUTHENTICATE_ERRORS.INVALID_PASSWORD);
    }
    const authTime = new Date();
    await ctx.context.internalAdapter.updateSession(session.token, { amr: [...CONFIRMED_WITH_PASSWORD], authTime });
    return ctx.json({ status: true, authTime: authTime.toISOString() });
  },
);
