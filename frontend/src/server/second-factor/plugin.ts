// The app's hooks around Better Auth's twoFactor and passkey plugins (docs/security.md "Two-step
// sign-in", "Passkeys", "Trusted devices"). Registered right after both (options.ts), so their own
// after-hooks have run when these do:
//   POST /two-factor/verify-totp | verify-backup-code | verify-otp
//       a sign-in's second step done: `sign-in` recorded (method totp or backup-code), the trust
//       it set (if asked) bound to the new session; turning two-step on (the enrolment's first
//       code): `second-factor-enrolled`; "Confirm it's you" with a code, right after the password
//       (re-authenticate.ts): the session's amr becomes password + code (mfa), auth_time now
//   POST /two-factor/disable         `second-factor-removed` (which mails the account); every trust ends
//   POST /sign-in/email              before: a presented trust whose session ended is ended (trusted-
//                                    devices.ts); after: a renewed trust bound to the new session
//   POST /sign-out                   before: this device's trust released (it outlives a sign-out)
//   POST /revoke-sessions, /reset-password   every trust of the user ends
//   any endpoint that replaces this device's session (change of password, ...)   the trust follows
//   GET  /passkey/generate-register-options  the passkey's user name stays the account's email (the
//                                    nickname typed in Settings is the passkey's name, not its user)
//   POST /passkey/verify-registration, /update-passkey   the name: 1–100 characters, no control
//                                    characters (422); a credential registered already, to anyone,
//                                    400 PREVIOUSLY_REGISTERED; `passkey-added` (which mails the account)
//   POST /passkey/delete-passkey     `passkey-removed`
//   GET  /passkey/generate-authenticate-options   user verification asked as "required" (the plugin's
//                                    "preferred" would let a security key skip its PIN, then be refused)
//   POST /passkey/verify-authentication   signed out: `sign-in` (method passkey); signed in ("Confirm
//                                    it's you"): only a passkey of this account (403 otherwise), and
//                                    the SAME session is confirmed (amr passkey, auth_time now)
//                                    instead of a second one being made
// Who may register, rename or delete a passkey is Better Auth's: the session's user, and
// requireResourceOwnership on the passkey's row (passkeys.integration.test.ts proves it).
import "server-only";
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { SIGN_IN_METHODS } from "../auth-methods";
import type { ObservedPool } from "../db";
import { recordEvent } from "../security-events/record";
import {
  afterPasskey,
  afterPasskeyAdded,
  afterPasskeyRemoved,
  askUserVerification,
  checkConfirmingPasskey,
  checkNamedPasskey,
  isRecord,
  type PasskeyState,
  type RecordEvent,
  rememberRemovedPasskey,
  type SessionOf,
} from "./passkey-hooks";
import {
  bindTrust,
  checkPresentedTrust,
  dropBinding,
  endAllTrusts,
  type HookContext,
  issuedTrust,
  moveBinding,
  presentedTrust,
  RELEASED,
} from "./trusted-devices";

export { PASSKEY_ERRORS, PASSKEY_NAME_MAX } from "./passkey-hooks";

/** A code confirms "it's you" only on top of a password proved this recently (the prompt sends both). */
const CODE_AFTER_PASSWORD_SECONDS = 10 * 60;

const CODE_PATHS: Readonly<Record<string, string>> = {
  "/two-factor/verify-totp": "totp",
  "/two-factor/verify-backup-code": "backup-code",
  "/two-factor/verify-otp": "otp",
};
const NAMED_PASSKEY_PATHS = new Set(["/passkey/verify-registration", "/passkey/update-passkey"]);
const ENDS_EVERY_TRUST = new Set(["/two-factor/disable", "/revoke-sessions", "/reset-password"]);

const secondsSince = (time: Date | string | null | undefined) => (time ? (Date.now() - new Date(time).getTime()) / 1000 : Number.POSITIVE_INFINITY);

/** After a code: the sign-in it completed, the enrolment it finished, or the confirmation it gave. */
async function afterCode(ctx: HookContext, method: string, record: RecordEvent) {
  const { session, newSession, returned } = ctx.context as unknown as { session: SessionOf | null; newSession: SessionOf | null; returned: unknown };
  if (!isRecord(returned) || !isRecord(returned.user)) return;
  if (!session && newSession) {
    await record(ctx, newSession.user.id, { type: "sign-in", method, sessionId: newSession.session.id });
    const trust = issuedTrust(ctx);
    if (trust) await bindTrust(ctx, trust, newSession.session.id);
    return;
  }
  if (!session) return;
  if (newSession && !session.user.twoFactorEnabled) {
    await record(ctx, session.user.id, { type: "second-factor-enrolled", method: "totp", sessionId: newSession.session.id });
    return;
  }
  // "Confirm it's you": the password first (re-authenticate.ts), then this code.
  const { amr, authTime, token } = session.session;
  if (amr?.includes("pwd") && secondsSince(authTime) <= CODE_AFTER_PASSWORD_SECONDS) {
    const proved = SIGN_IN_METHODS["/two-factor/verify-totp"] as readonly string[];
    await ctx.context.internalAdapter.updateSession(token, { amr: [...proved], authTime: new Date() });
  }
}

/** Before /sign-out: this device's trust released (it outlives a sign-out). */
async function releaseTrust(ctx: HookContext): Promise<void> {
  const trust = await presentedTrust(ctx);
  const session = trust ? await getSessionFromCtx(ctx, { disableRefresh: true }) : null;
  if (trust && session) await moveBinding(ctx, trust, session.session.id, RELEASED);
}

/** Before /reset-password: whose password it resets (the token's), for the after-hook. */
async function rememberResetUser(ctx: HookContext, resetUsers: WeakMap<object, string>): Promise<void> {
  const token = isRecord(ctx.body) ? ctx.body.token : undefined;
  if (!ctx.request || typeof token !== "string") return;
  const row = await ctx.context.internalAdapter.findVerificationValue(`reset-password:${token}`);
  if (row) resetUsers.set(ctx.request, row.value);
}

/** After /sign-in/email: a renewed trust bound to the new session, the one it replaces dropped. */
async function bindRenewedTrust(ctx: HookContext): Promise<void> {
  const started = ctx.context.newSession;
  const renewed = started ? issuedTrust(ctx) : null;
  if (!started || !renewed) return;
  await bindTrust(ctx, renewed, started.session.id);
  const previous = await presentedTrust(ctx);
  if (previous && previous !== renewed) await dropBinding(ctx, previous);
}

/** After turning two-step off, revoking sessions or a reset: every trust of the user ends. */
async function endTrusts(ctx: HookContext, resetUsers: WeakMap<object, string>, record: RecordEvent): Promise<void> {
  const { returned, session } = ctx.context;
  if (!isRecord(returned) || returned.status !== true) return;
  const userId = ctx.path === "/reset-password" ? ctx.request && resetUsers.get(ctx.request) : session?.user.id;
  if (!userId) return;
  await endAllTrusts(ctx, userId);
  if (ctx.path === "/two-factor/disable") await record(ctx, userId, { type: "second-factor-removed", method: "totp", sessionId: ctx.context.newSession?.session.id ?? null });
}

/** Whatever replaced this device's session (a change of password, turning two-step on or off, ...): its trust follows to the new one. */
async function followSession(ctx: HookContext): Promise<void> {
  const { session, newSession } = ctx.context;
  if (!session || !newSession || session.session.id === newSession.session.id) return;
  const trust = await presentedTrust(ctx);
  if (trust) await moveBinding(ctx, trust, session.session.id, newSession.session.id);
}

export const secondFactorPlugin = (db: ObservedPool) => {
  const state: PasskeyState = { signedIn: new WeakMap(), removedPasskeys: new WeakMap() };
  const resetUsers = new WeakMap<object, string>();
  const record: RecordEvent = (ctx, userId, event) => recordEvent(db, { userId, request: ctx, ...event });
  const on = (path: string) => (ctx: { path?: string }) => ctx.path === path;
  return {
    id: "second-factor",
    hooks: {
      before: [
        { matcher: on("/sign-in/email"), handler: createAuthMiddleware(async (ctx) => checkPresentedTrust(ctx)) },
        { matcher: on("/sign-out"), handler: createAuthMiddleware(async (ctx) => releaseTrust(ctx)) },
        {
          matcher: on("/passkey/generate-register-options"),
          // Better Auth makes `?name=` the credential's user name; the client sends the nickname there.
          handler: createAuthMiddleware(async (ctx) => (ctx.query?.name ? { context: { query: { ...ctx.query, name: "" } } } : undefined)),
        },
        { matcher: (ctx) => NAMED_PASSKEY_PATHS.has(ctx.path ?? ""), handler: createAuthMiddleware(async (ctx) => checkNamedPasskey(ctx)) },
        { matcher: on("/passkey/verify-authentication"), handler: createAuthMiddleware(async (ctx) => checkConfirmingPasskey(ctx, state)) },
        { matcher: on("/passkey/delete-passkey"), handler: createAuthMiddleware(async (ctx) => rememberRemovedPasskey(ctx, state)) },
        { matcher: on("/reset-password"), handler: createAuthMiddleware(async (ctx) => rememberResetUser(ctx, resetUsers)) },
      ],
      after: [
        { matcher: (ctx) => (ctx.path ?? "") in CODE_PATHS, handler: createAuthMiddleware(async (ctx) => afterCode(ctx, CODE_PATHS[ctx.path]!, record)) },
        { matcher: on("/passkey/verify-authentication"), handler: createAuthMiddleware(async (ctx) => afterPasskey(ctx, state, record)) },
        { matcher: on("/passkey/generate-authenticate-options"), handler: createAuthMiddleware(async (ctx) => askUserVerification(ctx)) },
        { matcher: on("/sign-in/email"), handler: createAuthMiddleware(async (ctx) => bindRenewedTrust(ctx)) },
        { matcher: (ctx) => ENDS_EVERY_TRUST.has(ctx.path ?? ""), handler: createAuthMiddleware(async (ctx) => endTrusts(ctx, resetUsers, record)) },
        { matcher: on("/passkey/verify-registration"), handler: createAuthMiddleware(async (ctx) => afterPasskeyAdded(ctx, record)) },
        { matcher: on("/passkey/delete-passkey"), handler: createAuthMiddleware(async (ctx) => afterPasskeyRemoved(ctx, state, record)) },
        { matcher: () => true, handler: createAuthMiddleware(async (ctx) => followSession(ctx)) },
      ],
    },
  } satisfies BetterAuthPlugin;
};
