// Records the security events of Better Auth's own endpoints and of our plugins' (docs/security.md
// "Security activity") with after-hooks that see each outcome, through record.ts's one function:
//   POST /sign-in/email              sign-in (password), or, for a wrong password of an EXISTING
//                                    account, sign-in-failed: after the response, so nothing about
//                                    the account reaches the requester (the throttle's 429s never
//                                    reach Better Auth and record nothing: throttle.ts)
//   POST /sign-up/email              account-created (a strict-mode answer for an existing email
//                                    names no real user: nothing is recorded)
//   POST /change-password            password-changed
//   POST /reset-password             password-reset (its user read before the reset spends the token)
//   POST /email-change/request       email-change-requested, the new address masked
//   POST /revoke-session(s), /revoke-other-sessions   sessions-revoked: one, everywhere, others
//   POST /verify-address/*           account-confirmed, with the proof that confirmed it
//   GET  /callback/:id, /oauth2/callback/:id   sign-in (the provider's id as the method), after
//                                    account-created when this callback made the user
//   POST /unlink-account             provider-unlinked (its provider read before the row goes)
// A provider linked from Settings is recorded where the link is made (sign-in-methods/plugin.ts).
// The completion of a change of email is recorded by its own flow (email-change/plugin.ts), where
// the user is known. This plugin also binds the log's settings to the app's database handle.
import "server-only";
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import type { ServerEnv } from "@/config/env-schema";
import type { ObservedPool } from "../db";
import type { AccountMail } from "../mail/account-mail";
import { type AuthEventInput, bindSecurityEvents, recordEvent, recordFailedSignIn } from "./record";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The `code` of a refusal Better Auth answers with (an APIError's body), if that is what `returned` is. */
const errorCodeOf = (returned: unknown) => (isRecord(returned) && isRecord(returned.body) ? returned.body.code : undefined);

/** `{ status: true }`, what Better Auth's and our endpoints answer when they did what was asked. */
const succeeded = (returned: unknown) => isRecord(returned) && returned.status === true;

/** The user id of an answer `{ user: { id } }`, if that is what `returned` is. */
const returnedUserId = (returned: unknown) => (isRecord(returned) && isRecord(returned.user) && typeof returned.user.id === "string" ? returned.user.id : null);

const REVOKE_SCOPES: Record<string, string> = { "/revoke-session": "one", "/revoke-sessions": "everywhere", "/revoke-other-sessions": "others" };
const CONFIRM_PROOFS: Record<string, string> = {
  "/verify-address/with-session": "session",
  "/verify-address/with-password": "password",
  "/verify-address/with-new-password": "new-password",
};

/** A provider's callback (social and generic alike): the provider's id is its `:id`. */
const isProviderCallback = (path: string | undefined) => Boolean(path && (path.startsWith("/callback/") || path.startsWith("/oauth2/callback/")));

const RECORDED_PATHS = new Set([
  "/unlink-account",
  "/sign-in/email",
  "/sign-up/email",
  "/change-password",
  "/reset-password",
  "/email-change/request",
  ...Object.keys(REVOKE_SCOPES),
  ...Object.keys(CONFIRM_PROOFS),
]);

type Ctx = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

/** What a before-hook (or a database hook) learnt for its request's after-hook: one entry per request object, dropped with it. */
interface Memory {
  /** The user of each reset request, looked up before the reset spends the token. */
  resetUsers: WeakMap<object, string>;
  /** The user a provider's callback created. */
  createdUsers: WeakMap<object, string>;
  /** The provider of an account being unlinked. */
  unlinkedProviders: WeakMap<object, string>;
}

async function rememberUnlinkedProvider(ctx: Ctx, memory: Memory): Promise<void> {
  const accountId = isRecord(ctx.body) && typeof ctx.body.accountId === "string" ? ctx.body.accountId : undefined;
  if (!ctx.request || !accountId) return;
  const row = await ctx.context.adapter.findOne<{ providerId: string }>({ model: "account", where: [{ field: "id", value: accountId }] });
  if (row) memory.unlinkedProviders.set(ctx.request, row.providerId);
}

async function rememberResetUser(ctx: Ctx, memory: Memory): Promise<void> {
  const token = isRecord(ctx.body) && typeof ctx.body.token === "string" ? ctx.body.token : undefined;
  if (!ctx.request || !token) return;
  const row = await ctx.context.internalAdapter.findVerificationValue(`reset-password:${token}`);
  if (row) memory.resetUsers.set(ctx.request, row.value);
}

/** The event of a recorded path's outcome (the table at the top of this file). */
async function recordOutcome(ctx: Ctx, db: ObservedPool, memory: Memory) {
  const path = ctx.path;
  const { returned, newSession, session } = ctx.context;
  const record = (userId: string | null | undefined, event: Omit<AuthEventInput, "userId" | "request">) =>
    userId ? recordEvent(db, { userId, request: ctx, ...event }) : undefined;
  const started = { sessionId: newSession?.session.id ?? null };
  if (isProviderCallback(path)) {
    // A link from Settings makes no session: recorded where the link is made.
    if (!newSession) return;
    const method = typeof ctx.params?.id === "string" ? ctx.params.id : null;
    if (ctx.request && memory.createdUsers.get(ctx.request) === newSession.user.id) await record(newSession.user.id, { type: "account-created", method, ...started });
    return record(newSession.user.id, { type: "sign-in", method, ...started });
  }
  if (path === "/sign-in/email") {
    if (newSession) return record(newSession.user.id, { type: "sign-in", method: "password", ...started });
    const email = isRecord(ctx.body) ? ctx.body.email : undefined;
    if (errorCodeOf(returned) === "INVALID_EMAIL_OR_PASSWORD" && typeof email === "string") {
      recordFailedSignIn(db, email.trim().toLowerCase(), ctx);
    }
    return;
  }
  if (path === "/sign-up/email") return record(returnedUserId(returned), { type: "account-created", method: "password", ...started });
  if (path === "/change-password") return record(returnedUserId(returned), { type: "password-changed", method: "password", ...started });
  if (!succeeded(returned)) return;
  if (path === "/unlink-account") {
    const provider = (ctx.request && memory.unlinkedProviders.get(ctx.request)) ?? null;
    return record(session?.user.id, { type: "provider-unlinked", method: provider, sessionId: session?.session.id ?? null });
  }
  if (path === "/reset-password") return record(ctx.request && memory.resetUsers.get(ctx.request), { type: "password-reset", method: "email", ...started });
  if (path === "/email-change/request") {
    const newEmail = isRecord(ctx.body) && typeof ctx.body.newEmail === "string" ? ctx.body.newEmail : "";
    return record(session?.user.id, { type: "email-change-requested", sessionId: session?.session.id ?? null, detail: { to: newEmail } });
  }
  if (path in REVOKE_SCOPES) return record(session?.user.id, { type: "sessions-revoked", sessionId: session?.session.id ?? null, detail: { scope: REVOKE_SCOPES[path]! } });
  return record((newSession ?? session)?.user.id, { type: "account-confirmed", method: "email", ...started, detail: { proof: CONFIRM_PROOFS[path]! } });
}

export const securityEventsPlugin = (db: ObservedPool, env: Pick<ServerEnv, "AUTH_TRUSTED_IP_HEADER" | "AUTH_EVENT_RETENTION_DAYS">, mail: AccountMail) => {
  bindSecurityEvents(db, { trustedAddressHeaders: env.AUTH_TRUSTED_IP_HEADER ?? [], retentionDays: env.AUTH_EVENT_RETENTION_DAYS, mail });
  const memory: Memory = { resetUsers: new WeakMap(), createdUsers: new WeakMap(), unlinkedProviders: new WeakMap() };
  return {
    id: "security-events",
    init: () => ({
      options: {
        databaseHooks: {
          user: {
            create: {
              after: async (user, ctx) => {
                if (ctx?.request && isProviderCallback(ctx.path)) memory.createdUsers.set(ctx.request, user.id);
              },
            },
          },
        },
      },
    }),
    hooks: {
      before: [
        { matcher: (ctx) => ctx.path === "/unlink-account", handler: createAuthMiddleware(async (ctx) => rememberUnlinkedProvider(ctx, memory)) },
        { matcher: (ctx) => ctx.path === "/reset-password", handler: createAuthMiddleware(async (ctx) => rememberResetUser(ctx, memory)) },
      ],
      after: [
        {
          matcher: (ctx) => RECORDED_PATHS.has(ctx.path ?? "") || isProviderCallback(ctx.path),
          handler: createAuthMiddleware(async (ctx) => recordOutcome(ctx, db, memory)),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
};
