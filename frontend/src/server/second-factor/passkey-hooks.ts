// The passkey half of the second-factor plugin's hooks (plugin.ts holds the table that registers them;
// docs/security.md "Passkeys"): the name rules, one owner per credential, "Confirm it's you" with a
// passkey confirming the same session, and the passkey-added / passkey-removed events.
import "server-only";
import { APIError, getSessionFromCtx } from "better-auth/api";
import { countCodePoints } from "@/lib/password-policy";
import { hasForbiddenCharacter } from "@/lib/profile-rules";
import { SIGN_IN_METHODS } from "../auth-methods";
import type { AuthEventInput } from "../security-events/record";
import type { HookContext } from "./trusted-devices";

export const PASSKEY_NAME_MAX = 100;

export const PASSKEY_ERRORS = {
  NAME_REQUIRED: { code: "PASSKEY_NAME_REQUIRED", message: "Give the passkey a name." },
  NAME_TOO_LONG: { code: "PASSKEY_NAME_TOO_LONG", message: `A passkey's name must be at most ${PASSKEY_NAME_MAX} characters.` },
  NAME_INVALID: { code: "PASSKEY_NAME_INVALID_CHARACTERS", message: "A passkey's name cannot contain control characters or line breaks." },
  PREVIOUSLY_REGISTERED: { code: "PREVIOUSLY_REGISTERED", message: "This passkey is registered already. Use it to sign in, or add another one." },
  ANOTHER_ACCOUNT: { code: "PASSKEY_OF_ANOTHER_ACCOUNT", message: "This passkey belongs to another account. Use a passkey of the account you are signed in to." },
} as const;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

interface SessionFields {
  id: string;
  token: string;
  userId: string;
  amr?: readonly string[] | null;
  authTime?: Date | string | null;
}
export interface SessionOf {
  session: SessionFields;
  user: { id: string; twoFactorEnabled?: boolean | null };
}

/** Records a security event of `userId` for this request. */
export type RecordEvent = (ctx: HookContext, userId: string, event: Omit<AuthEventInput, "userId" | "request">) => Promise<unknown>;

/** What a before-hook learnt for its request's after-hook (one entry per request object, dropped with it). */
export interface PasskeyState {
  signedIn: WeakMap<object, SessionOf>;
  removedPasskeys: WeakMap<object, { userId: string; name: string | null }>;
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

/** Before /passkey/verify-registration and /passkey/update-passkey: the name, and a credential nobody holds yet. */
export async function checkNamedPasskey(ctx: HookContext): Promise<void> {
  const body = isRecord(ctx.body) ? ctx.body : {};
  checkPasskeyName(body.name, ctx.path === "/passkey/update-passkey");
  // A credential belongs to one user (the table's unique credential_id): a clear 400, not the insert's failure.
  const credential = isRecord(body.response) ? body.response.id : undefined;
  if (ctx.path === "/passkey/verify-registration" && typeof credential === "string") {
    const taken = await ctx.context.adapter.findOne({ model: "passkey", where: [{ field: "credentialID", value: credential }] });
    if (taken) throw APIError.from("BAD_REQUEST", PASSKEY_ERRORS.PREVIOUSLY_REGISTERED);
  }
}

/** Before /passkey/verify-authentication while signed in: only a passkey of this account (403 otherwise). */
export async function checkConfirmingPasskey(ctx: HookContext, state: PasskeyState): Promise<void> {
  const session = (await getSessionFromCtx(ctx, { disableRefresh: true })) as SessionOf | null;
  const response = isRecord(ctx.body) && isRecord(ctx.body.response) ? ctx.body.response : {};
  if (!session || typeof response.id !== "string") return;
  const owner = await ctx.context.adapter.findOne<{ userId: string }>({ model: "passkey", where: [{ field: "credentialID", value: response.id }] });
  if (owner && owner.userId !== session.user.id) throw APIError.from("FORBIDDEN", PASSKEY_ERRORS.ANOTHER_ACCOUNT);
  if (ctx.request) state.signedIn.set(ctx.request, session);
}

/** Before /passkey/delete-passkey: the row, for the event its after-hook records. */
export async function rememberRemovedPasskey(ctx: HookContext, state: PasskeyState): Promise<void> {
  const id = isRecord(ctx.body) ? ctx.body.id : undefined;
  if (!ctx.request || typeof id !== "string") return;
  const row = await ctx.context.adapter.findOne<{ userId: string; name: string | null }>({ model: "passkey", where: [{ field: "id", value: id }] });
  if (row) state.removedPasskeys.set(ctx.request, { userId: row.userId, name: row.name });
}

/** After a passkey ceremony: a sign-in, or the confirmation of this device's session. */
export async function afterPasskey(ctx: HookContext, state: PasskeyState, record: RecordEvent) {
  const { newSession, returned } = ctx.context as unknown as { newSession: SessionOf | null; returned: unknown };
  if (!newSession || !isRecord(returned)) return;
  const current = ctx.request ? state.signedIn.get(ctx.request) : undefined;
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

/** After /passkey/verify-registration: `passkey-added` (which mails the account). */
export async function afterPasskeyAdded(ctx: HookContext, record: RecordEvent): Promise<void> {
  const { returned, session } = ctx.context;
  if (!session || !isRecord(returned) || typeof returned.credentialID !== "string") return;
  const name = typeof returned.name === "string" ? returned.name : null;
  await record(ctx, session.user.id, { type: "passkey-added", method: "passkey", sessionId: session.session.id, detail: { name } });
}

/** After /passkey/delete-passkey: `passkey-removed`, for the session's own passkey only. */
export async function afterPasskeyRemoved(ctx: HookContext, state: PasskeyState, record: RecordEvent): Promise<void> {
  const { returned, session } = ctx.context;
  const removed = ctx.request ? state.removedPasskeys.get(ctx.request) : undefined;
  if (!session || !removed || removed.userId !== session.user.id || !isRecord(returned) || returned.status !== true) return;
  await record(ctx, session.user.id, { type: "passkey-removed", method: "passkey", sessionId: session.session.id, detail: { name: removed.name } });
}

/**
 * The plugin asks the browser for user verification only as "preferred" at sign-in, and the answer
 * then fails without it (options.ts requires it): ask for it, so a security key prompts for its PIN.
 */
export async function askUserVerification(ctx: HookContext) {
  const { returned } = ctx.context;
  if (isRecord(returned) && typeof returned.challenge === "string") return ctx.json({ ...returned, userVerification: "required" });
}
