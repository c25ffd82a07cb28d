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
//   POST /passkey/verify-authentication   signed out: `sign-in` (method passkey); signed in ("Confirm
//                                    it's you"): only a passkey of this account (403 otherwise), and
//                                    the SAME session is confirmed (amr passkey, auth_time now)
//                                    instead of a second one being made
// Who may register, rename or delete a passkey is Better Auth's: the session's user, and
// requireResourceOwnership on the passkey's row (passkeys.integration.test.ts proves it).
import "server-only";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { countCodePoints } from "@/lib/password-policy";
import { hasForbiddenCharacter } from "@/lib/profile-rules";
import { SIGN_IN_METHODS } from "../auth-methods";
import type { ObservedPool } from "../db";
import { type AuthEventInput, recordEvent } from "../security-events/record";
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

export const PASSKEY_NAME_MAX = 100;

/** A code confirms "it's you" only on top of a password proved this recently (the prompt sends both). */
export const CODE_AFTER_PASSWORD_SECONDS = 10 * 60;

export const PASSKEY_ERRORS = {
  NAME_REQUIRED: { code: "PASSKEY_NAME_REQUIRED", message: "Give the passkey a name." },
  NAME_TOO_LONG: { code: "PASSKEY_NAME_TOO_LONG", message: `A passkey's name must be at most ${PASSKEY_NAME_MAX} characters.` },
  NAME_INVALID: { code: "PASSKEY_NAME_INVALID_CHARACTERS", message: "A passkey's name cannot contain control characters or line breaks." },
  PREVIOUSLY_REGISTERED: { code: "PREVIOUSLY_REGISTERED", message: "This passkey is registered already. Use it to sign in, or add another one." },
  ANOTHER_ACCOUNT: { code: "PASSKEY_OF_ANOTHER_ACCOUNT", message: "This passkey belongs to another account. Use a passkey of the account you are signed in to." },
} as const;

const CODE_PATHS: Readonly<Record<string, string>> = {
  "/two-factor/verify-totp": "totp",
  "/two-factor/verify-backup-code": "backup-code",
  "/two-factor/verify-otp": "otp",
};
const NAMED_PASSKEY_PATHS = new Set(["/passkey/verify-registration", "/passkey/update-passkey"]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

interface SessionFields {
  id: string;
  token: string;
  userId: string;
  amr?: readonly string[] | null;
  authTime?: Date | string | null;
}
interface SessionOf {
  session: SessionFields;
  user: { id: string; twoFactorEnabled?: boolean | null };
}

/** The passkey name rules (the `passkey` table's CHECK holds the length too): 422 with the field. */
function checkPasskeyName(name: unknown, required: boolean): void {
  const refuse = (error: { code: string; message: string }) => {
    throw new APIError("UNPROCESSABLE_ENTITY", { ...error, field: "name", fields: [{ field: "name", ...error }] });
  };
  if (name === undefined && !required) return;
  if (typeof name !== "string" || name.trim() === "") return refuse(PASSKEY_ERRORS.NAME_REQUIRED);
  if (hasForbiddenCharacter(name)) return refuse(PASSKEY_ERRORS.NAME_INVALID);
  if (countCodePoints(name.trim()) > PASSKEY_NAME_MAX) refuse(PASSKEY_ERRORS.NAME_TOO_LONG);
}

const secondsSince = (time: Date | string | null | undefined) => (time ? (Date.now() - new Date(time).getTime()) / 1000 : Number.POSITIVE_INFINITY);

/** Drops the Set-Cookie lines of a session this answer was about to give (the re-confirmed one stays). */
function keepSessionCookie(ctx: HookContext): void {
  const headers = ctx.context.responseHeaders;
  if (!headers) return;
  const { sessionToken, sessionData } = ctx.context.authCookies;
  const kept = headers.getSetCookie().filter((c) => {
    const name = c.split("=", 1)[0]!;
    return name !== sessionToken.name && !name.startsWith(sessionData.name);
  });
  headers.delete("set-cookie");
  for (const cookie of kept) headers.append("set-cookie", cookie);
}

export const secondFactorPlugin = (db: ObservedPool) => {
  // What a before-hook learnt for its request's after-hook (one entry per request object, dropped with it).
  const signedIn = new WeakMap<object, SessionOf>();
  const removedPasskeys = new WeakMap<object, { userId: string; name: string | null }>();
  const resetUsers = new WeakMap<object, string>();

  const record = (ctx: HookContext, userId: string, event: Omit<AuthEventInput, "userId" | "request">) =>
    recordEvent(db, { userId, request: ctx, ...event });

  /** After a code: the sign-in it completed, the enrolment it finished, or the confirmation it gave. */
  async function afterCode(ctx: HookContext, method: string) {
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

  /** After a passkey ceremony: a sign-in, or the confirmation of this device's session. */
  async function afterPasskey(ctx: HookContext) {
    const { newSession, returned } = ctx.context as unknown as { newSession: SessionOf | null; returned: unknown };
    if (!newSession || !isRecord(returned)) return;
    const current = ctx.request ? signedIn.get(ctx.request) : undefined;
    if (!current) return record(ctx, newSession.user.id, { type: "sign-in", method: "passkey", sessionId: newSession.session.id });
    // The same user (the before-hook refused another's passkey): no second session.
    await ctx.context.internalAdapter.deleteSession(newSession.session.token);
    ctx.context.setNewSession(null);
    keepSessionCookie(ctx);
    const authTime = new Date();
    const proved = SIGN_IN_METHODS["/passkey/verify-authentication"] as readonly string[];
    await ctx.context.internalAdapter.updateSession(current.session.token, { amr: [...proved], authTime });
    return ctx.json({ status: true, authTime: authTime.toISOString() });
  }

  return {
    id: "second-factor",
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === "/sign-in/email",
          handler: createAuthMiddleware(async (ctx) => checkPresentedTrust(ctx)),
        },
        {
          matcher: (ctx) => ctx.path === "/sign-out",
          handler: createAuthMiddleware(async (ctx) => {
            const trust = await presentedTrust(ctx);
            const session = trust ? await getSessionFromCtx(ctx, { disableRefresh: true }) : null;
            if (trust && session) await moveBinding(ctx, trust, session.session.id, RELEASED);
          }),
        },
        {
          matcher: (ctx) => ctx.path === "/passkey/generate-register-options",
          // Better Auth makes `?name=` the credential's user name; the client sends the nickname there.
          handler: createAuthMiddleware(async (ctx) => (ctx.query?.name ? { context: { query: { ...ctx.query, name: "" } } } : undefined)),
        },
        {
          matcher: (ctx) => NAMED_PASSKEY_PATHS.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            const body = isRecord(ctx.body) ? ctx.body : {};
            checkPasskeyName(body.name, ctx.path === "/passkey/update-passkey");
            // A credential belongs to one user (the table's unique credential_id): a clear 400, not the insert's failure.
            const credential = isRecord(body.response) ? body.response.id : undefined;
            if (ctx.path === "/passkey/verify-registration" && typeof credential === "string") {
              const taken = await ctx.context.adapter.findOne({ model: "passkey", where: [{ field: "credentialID", value: credential }] });
              if (taken) throw APIError.from("BAD_REQUEST", PASSKEY_ERRORS.PREVIOUSLY_REGISTERED);
            }
          }),
        },
        {
          matcher: (ctx) => ctx.path === "/passkey/verify-authentication",
          handler: createAuthMiddleware(async (ctx) => {
            const session = (await getSessionFromCtx(ctx, { disableRefresh: true })) as SessionOf | null;
            const response = isRecord(ctx.body) && isRecord(ctx.body.response) ? ctx.body.response : {};
            if (!session || typeof response.id !== "string") return;
            const owner = await ctx.context.adapter.findOne<{ userId: string }>({ model: "passkey", where: [{ field: "credentialID", value: response.id }] });
            if (owner && owner.userId !== session.user.id) throw APIError.from("FORBIDDEN", PASSKEY_ERRORS.ANOTHER_ACCOUNT);
            if (ctx.request) signedIn.set(ctx.request, session);
          }),
        },
        {
          matcher: (ctx) => ctx.path === "/passkey/delete-passkey",
          handler: createAuthMiddleware(async (ctx) => {
            const id = isRecord(ctx.body) ? ctx.body.id : undefined;
            if (!ctx.request || typeof id !== "string") return;
            const row = await ctx.context.adapter.findOne<{ userId: string; name: string | null }>({ model: "passkey", where: [{ field: "id", value: id }] });
            if (row) removedPasskeys.set(ctx.request, { userId: row.userId, name: row.name });
          }),
        },
        {
          matcher: (ctx) => ctx.path === "/reset-password",
          handler: createAuthMiddleware(async (ctx) => {
            const token = isRecord(ctx.body) ? ctx.body.token : undefined;
            if (!ctx.request || typeof token !== "string") return;
            const row = await ctx.context.internalAdapter.findVerificationValue(`reset-password:${token}`);
            if (row) resetUsers.set(ctx.request, row.value);
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => (ctx.path ?? "") in CODE_PATHS,
          handler: createAuthMiddleware(async (ctx) => afterCode(ctx, CODE_PATHS[ctx.path]!)),
        },
        {
          matcher: (ctx) => ctx.path === "/passkey/verify-authentication",
          handler: createAuthMiddleware(async (ctx) => afterPasskey(ctx)),
        },
        {
          matcher: (ctx) => ctx.path === "/sign-in/email",
          handler: createAuthMiddleware(async (ctx) => {
            const started = ctx.context.newSession;
            const renewed = started ? issuedTrust(ctx) : null;
            if (!started || !renewed) return;
            await bindTrust(ctx, renewed, started.session.id);
            const previous = await presentedTrust(ctx);
            if (previous && previous !== renewed) await dropBinding(ctx, previous);
          }),
        },
        {
          matcher: (ctx) => ctx.path === "/two-factor/disable" || ctx.path === "/revoke-sessions" || ctx.path === "/reset-password",
          handler: createAuthMiddleware(async (ctx) => {
            const { returned, session } = ctx.context;
            if (!isRecord(returned) || returned.status !== true) return;
            const userId = ctx.path === "/reset-password" ? ctx.request && resetUsers.get(ctx.request) : session?.user.id;
            if (!userId) return;
            await endAllTrusts(ctx, userId);
            if (ctx.path === "/two-factor/disable") await record(ctx, userId, { type: "second-factor-removed", method: "totp", sessionId: ctx.context.newSession?.session.id ?? null });
          }),
        },
        {
          matcher: (ctx) => ctx.path === "/passkey/verify-registration",
          handler: createAuthMiddleware(async (ctx) => {
            const { returned, session } = ctx.context;
            if (!session || !isRecord(returned) || typeof returned.credentialID !== "string") return;
            const name = typeof returned.name === "string" ? returned.name : null;
            await record(ctx, session.user.id, { type: "passkey-added", method: "passkey", sessionId: session.session.id, detail: { name } });
          }),
        },
        {
          matcher: (ctx) => ctx.path === "/passkey/delete-passkey",
          handler: createAuthMiddleware(async (ctx) => {
            const { returned, session } = ctx.context;
            const removed = ctx.request ? removedPasskeys.get(ctx.request) : undefined;
            if (!session || !removed || removed.userId !== session.user.id || !isRecord(returned) || returned.status !== true) return;
            await record(ctx, session.user.id, { type: "passkey-removed", method: "passkey", sessionId: session.session.id, detail: { name: removed.name } });
          }),
        },
        {
          // Whatever replaced this device's session (a change of password, turning two-step on or
          // off, ...): its trust follows to the new one.
          matcher: () => true,
          handler: createAuthMiddleware(async (ctx) => {
            const { session, newSession } = ctx.context;
            if (!session || !newSession || session.session.id === newSession.session.id) return;
            const trust = await presentedTrust(ctx);
            if (trust) await moveBinding(ctx, trust, session.session.id, newSession.session.id);
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
};
