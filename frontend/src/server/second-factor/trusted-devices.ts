// "Trust this device for 30 days" (Better Auth's twoFactor `trustDevice`), and how it ENDS
// (docs/security.md "Trusted devices"). Better Auth 1.7.25 keeps a trust as a signed cookie
// `trust_device` = `<HMAC(secret, userId!id)>!<id>` plus a `verification` row `<id>` (value: the
// user id, 30 days), renewed (a new id) at each sign-in it lets through. Nothing ties it to a
// session: revoking the device's session from the sessions page left its trust alive. So:
// - each trust is BOUND to the session it was issued or renewed with: a `verification` row
//   `trust-binding-<id>` whose value is that session's id;
// - the device's own sign-out RELEASES it (the value becomes `signed-out`): signing out and in
//   again on a trusted device is what the trust is for;
// - a sign-in that presents the trust checks the binding first: a trust whose session ended any
//   other way (revoked from another device, signed out everywhere, ended by a password change
//   elsewhere, ...) or that has no binding is deleted, so Better Auth asks for the code;
// - a flow that replaces the device's session (a change of password, turning two-step on) moves
//   the binding to the new session;
// - signing out everywhere, a password reset and turning two-step sign-in off end EVERY trust of
//   the user at once (Better Auth alone ends only this device's on turning off).
import "server-only";
import type { GenericEndpointContext } from "better-auth";

/** Better Auth's trust cookie and row prefix (better-auth/dist/plugins/two-factor/constant.mjs, index.mjs). */
const TRUST_DEVICE_COOKIE = "trust_device";
const TRUST_ROW_PREFIX = "trust-device-";
const BINDING_PREFIX = "trust-binding-";
/** A binding's value once the device signed itself out. */
export const RELEASED = "signed-out";

/** Better Auth's `trustDeviceMaxAge`, which the app keeps at its default. */
export const TRUST_DEVICE_SECONDS = 30 * 24 * 60 * 60;

/** A hook's context: an endpoint's, with what the endpoint answered (after-hooks). */
export type HookContext = GenericEndpointContext & { context: { returned?: unknown; responseHeaders?: Headers } };
type Ctx = HookContext;

const bindingOf = (trustId: string) => `${BINDING_PREFIX}${trustId}`;

/** The trust id of a signed cookie value `<hmac>!<id>`, or null. */
const trustIdOf = (value: string | null | false | undefined): string | null => {
  if (!value) return null;
  const id = value.split("!")[1];
  return id?.startsWith(TRUST_ROW_PREFIX) ? id : null;
};

/** The trust id of the trust cookie the request carries (its signature checked), or null. */
export async function presentedTrust(ctx: Ctx): Promise<string | null> {
  const name = ctx.context.createAuthCookie(TRUST_DEVICE_COOKIE).name;
  return trustIdOf(await ctx.getSignedCookie(name, ctx.context.secret));
}

/**
 * The trust id of a trust cookie this answer sets (Better Auth's signed `<hmac>!<id>`, URL-encoded,
 * then `.<signature>`), or null. The answer only ever sets one Better Auth itself signed.
 */
export function issuedTrust(ctx: Ctx): string | null {
  const name = ctx.context.createAuthCookie(TRUST_DEVICE_COOKIE).name;
  for (const cookie of ctx.context.responseHeaders?.getSetCookie() ?? []) {
    const pair = cookie.split(";")[0]!;
    if (!pair.startsWith(`${name}=`) || /;\s*max-age=0/i.test(cookie)) continue;
    const value = decodeURIComponent(pair.slice(name.length + 1));
    return trustIdOf(value.slice(0, value.lastIndexOf(".")));
  }
  return null;
}

/** Binds the trust `trustId` to `sessionId` (replacing any binding it had). */
export async function bindTrust(ctx: Ctx, trustId: string, sessionId: string): Promise<void> {
  const { internalAdapter } = ctx.context;
  await internalAdapter.deleteVerificationByIdentifier(bindingOf(trustId));
  await internalAdapter.createVerificationValue({
    identifier: bindingOf(trustId),
    value: sessionId,
    expiresAt: new Date(Date.now() + TRUST_DEVICE_SECONDS * 1000),
  });
}

/** Forgets the binding of a trust Better Auth has replaced (its row is gone already). */
export async function dropBinding(ctx: Ctx, trustId: string): Promise<void> {
  await ctx.context.internalAdapter.deleteVerificationByIdentifier(bindingOf(trustId));
}

/** Moves the binding of `trustId` from `from` to `to`, if it is bound to `from`. */
export async function moveBinding(ctx: Ctx, trustId: string, from: string, to: string): Promise<void> {
  await ctx.context.adapter.update({
    model: "verification",
    where: [
      { field: "identifier", value: bindingOf(trustId) },
      { field: "value", value: from },
    ],
    update: { value: to },
  });
}

/**
 * Before a sign-in: the trust this browser presents stands only while its binding does (the session
 * it was issued with still exists, or the device released it by signing out). Otherwise the trust
 * is ended here, and Better Auth's own check, which follows, asks for the code.
 */
export async function checkPresentedTrust(ctx: Ctx): Promise<void> {
  const trustId = await presentedTrust(ctx);
  if (!trustId) return;
  const { internalAdapter, adapter } = ctx.context;
  const binding = await internalAdapter.findVerificationValue(bindingOf(trustId));
  if (binding?.value === RELEASED) return;
  if (binding && (await adapter.findOne({ model: "session", where: [{ field: "id", value: binding.value }] }))) return;
  await internalAdapter.deleteVerificationByIdentifier(trustId);
  await internalAdapter.deleteVerificationByIdentifier(bindingOf(trustId));
}

/** Ends every trusted device of `userId` (their rows; a cookie without its row trusts nothing). */
export async function endAllTrusts(ctx: Ctx, userId: string): Promise<void> {
  await ctx.context.adapter.deleteMany({
    model: "verification",
    where: [
      { field: "value", value: userId },
      { field: "identifier", operator: "starts_with", value: TRUST_ROW_PREFIX },
    ],
  });
}
