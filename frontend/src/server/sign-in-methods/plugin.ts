// Sign-in providers and the account's sign-in methods (docs/security.md "Sign-in providers and
// linking"). The product's rule: whoever controls the email address, and only they, ends up holding
// the account. So a provider's identity (GitHub, Google, the OpenID Connect provider `oidc`):
// - joins an existing account by its email only when the provider asserts the address as verified
//   AND the account's address is verified too;
// - arriving at an account whose address nobody has proven (someone signed up with it first, the
//   pre-account takeover), the provider's verified user becomes the owner: every way in of that
//   account (its password, any provider linked before), every session and every pending emailed
//   link is voided, and the address counts as confirmed, as when the address's owner confirms with
//   a new password (verify-address/plugin.ts);
// - never creates an account, nor joins one, by an address the provider does not assert as verified
//   (refused with `email_not_verified`, or `account_not_linked` when an account has the address);
// - linked from Settings by a signed-in user (POST /api/auth/link-social, from a session younger
//   than a day), joins that user whatever the provider's email (the session proves the account, the
//   provider its identity); every OTHER session of the user ends and every pending link dies. An
//   identity linked to another user is refused (Better Auth's `account_already_linked_to_different_user`).
// Unlinking the last way in (POST /api/auth/unlink-account) is refused with LAST_SIGN_IN_METHOD.
// Provider tokens (access, refresh, ID) are never stored: nothing uses them after sign-in.
//
// Better Auth 1.7 decides where an identity goes (src/oauth2/link-account.ts) and calls
// `user.validateUserInfo` before it creates a user or links an account; that gate is `admit` below,
// and Better Auth's own email checks are opened (every provider trusted, the local-verified
// requirement off) so that every case reaches it and is decided here, in one place.
import "server-only";
import type { Account, BetterAuthOptions, BetterAuthPlugin, GenericEndpointContext } from "better-auth";
import { APIError, createAuthMiddleware, getOAuthState, getSessionFromCtx } from "better-auth/api";
import { checkName, normalizeName } from "@/lib/profile-rules";
import { endSessions, removeSignInMethods, voidLinks } from "../account-links";
import { recordEvent } from "../security-events/record";
import { type ObservedPool, queryVia } from "../db";
import { maskAddress } from "../mail/mailer";

type Db = Pick<ObservedPool, "connect">;
type Options = Pick<BetterAuthOptions, "account" | "databaseHooks"> & { user: Pick<NonNullable<BetterAuthOptions["user"]>, "validateUserInfo"> };
type ValidateUserInfo = NonNullable<NonNullable<BetterAuthOptions["user"]>["validateUserInfo"]>;

/** The sign-in providers the app knows (frontend/src/server/sign-in-providers.ts configures them). */
const SIGN_IN_PROVIDER_IDS = ["github", "google", "oidc"] as const;

/**
 * Every refusal of this module. The OAuth ones end on the page the flow named for errors as
 * `?error=<code>` (lower case, like Better Auth's own callback codes); the others are JSON answers.
 */
export const SIGN_IN_METHOD_ERRORS = {
  /** A new account by an address the provider does not assert as verified (and, in strict mode, any join by one). */
  EMAIL_NOT_VERIFIED: { code: "email_not_verified", message: "Your provider did not confirm your email address." },
  /** An account has the address, and the provider does not assert it as verified. */
  ACCOUNT_NOT_LINKED: {
    code: "account_not_linked",
    message: "An account with this email already exists. Sign in with it, then link this provider from Settings.",
  },
  /** Better Auth's own, from Settings: the identity belongs to another user. */
  LINKED_TO_ANOTHER_USER: { code: "account_already_linked_to_different_user", message: "This identity is already linked to another account." },
  /** Better Auth's own, from Settings: the session that started the link ended before the provider answered. */
  LINK_SESSION_ENDED: { code: "unable_to_link_account", message: "Your session ended before the provider answered. Sign in and link it again." },
  LAST_SIGN_IN_METHOD: {
    code: "LAST_SIGN_IN_METHOD",
    message: "This is the only way you can sign in. Set a password or link another provider first.",
  },
  LINK_NEEDS_FRESH_SESSION: { code: "SESSION_NOT_FRESH", message: "For your security, sign in again before you link a sign-in method." },
  ID_TOKEN_LINK_UNSUPPORTED: { code: "ID_TOKEN_LINK_UNSUPPORTED", message: "Link a sign-in method through its sign-in page." },
} as const;

const refusal = (e: { code: string; message: string }) => ({ error: e.code, errorDescription: e.message });

/** Never stored (docs/security.md "Provider tokens"): what Better Auth would keep of a provider's answer. */
const NO_PROVIDER_TOKENS = { accessToken: null, refreshToken: null, idToken: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null };

/**
 * The name the new owner gets: the provider's, if our profile rules accept it (src/lib/profile-rules.ts),
 * else the address's local part, else a neutral one. Never the name the unproven account chose.
 */
export function ownerName(providerName: unknown, email: string): string {
  for (const candidate of [providerName, email.split("@")[0]]) {
    if (typeof candidate === "string" && checkName(candidate).length === 0) return normalizeName(candidate);
  }
  return "Account owner";
}

/**
 * The pre-account takeover undone: the account `userId`, whose address nobody had proven, goes to
 * the provider's user that just proved it. Every way in, session and pending link of the account
 * goes; then the address is confirmed and the name and picture become the provider's. Confirming
 * comes last, so a failure half-way leaves an unconfirmed account that the next sign-in hands over
 * again (each step is idempotent). Returns whether this call handed it over.
 */
async function handOver(db: Db, userId: string, profile: { name?: unknown; image?: unknown; email: string }): Promise<boolean> {
  const row = await queryVia<{ email_verified: boolean }>(db, 'SELECT email_verified FROM "user" WHERE id = $1', [userId]);
  if (row.rows[0]?.email_verified !== false) return false;
  await removeSignInMethods(db, userId);
  await endSessions(db, userId);
  await voidLinks(db, userId);
  const image = typeof profile.image === "string" && profile.image.startsWith("https://") && profile.image.length <= 2048 ? profile.image : null;
  const confirmed = await queryVia(db, 'UPDATE "user" SET email_verified = true, name = $2, image = $3, updated_at = now() WHERE id = $1 AND NOT email_verified', [
    userId,
    ownerName(profile.name, profile.email),
    image,
  ]);
  return confirmed.rowCount === 1;
}

/** The sign-in providers configured in this app, by id (social and generic alike: Better Auth 1.7 keeps both in `socialProviders`). */
const configuredProviderIds = (ctx: GenericEndpointContext) => new Set(ctx.context.socialProviders.map((p) => p.id));

/** Whether `account` lets its user in: a password that is set, or a provider that is configured. */
const letsIn = (account: Pick<Account, "providerId" | "password">, providers: Set<string>) =>
  account.providerId === "credential" ? Boolean(account.password) : providers.has(account.providerId);

/** `user.validateUserInfo`: every identity Better Auth is about to admit (docs/security.md "Sign-in providers and linking"). */
const admitter =
  (db: Db, strict: boolean): ValidateUserInfo =>
  async ({ user, source }) => {
    if (source.method !== "oauth") return;
    const verified = user.emailVerified === true;
    if (source.action === "create-user") return verified ? undefined : refusal(SIGN_IN_METHOD_ERRORS.EMAIL_NOT_VERIFIED);
    // "sign-in": the identity is linked already, whatever address the provider says today.
    if (source.action !== "link-account") return;
    // From Settings: the state that started the flow carries the signed-in user (Better Auth checks
    // that its session is still live and that this is that user).
    if ((await getOAuthState())?.link) return;
    if (!verified) return refusal(strict ? SIGN_IN_METHOD_ERRORS.EMAIL_NOT_VERIFIED : SIGN_IN_METHOD_ERRORS.ACCOUNT_NOT_LINKED);
    const userId = String(user.id);
    if (await handOver(db, userId, { name: user.name, image: user.image, email: String(user.email) })) {
      console.warn(
        `sign-in methods: ${source.oauth?.providerId} proved ${maskAddress(String(user.email))}; the unconfirmed account's password, other sign-in methods, sessions and links were voided`,
      );
    }
  };

/** After a provider identity was linked from Settings: every other session ends, every pending link dies; the security activity says so. */
const afterLinkOf = (db: Db) => async (account: Account, ctx: GenericEndpointContext | null) => {
  if (!ctx || account.providerId === "credential") return;
  if ((await getOAuthState())?.link?.userId !== account.userId) return;
  const current = await getSessionFromCtx(ctx, { disableCookieCache: true });
  await voidLinks(db, account.userId);
  const kept = current?.user.id === account.userId ? current.session.id : undefined;
  await endSessions(db, account.userId, kept);
  await recordEvent(db, { userId: account.userId, type: "provider-linked", method: account.providerId, sessionId: kept ?? null, request: ctx });
};

/** Before /link-social: no linking by a posted ID token, and only from a fresh session. */
async function checkLinkSocial(ctx: GenericEndpointContext): Promise<void> {
  const body = (ctx.body ?? {}) as { idToken?: unknown };
  if (body.idToken !== undefined) throw new APIError("BAD_REQUEST", SIGN_IN_METHOD_ERRORS.ID_TOKEN_LINK_UNSUPPORTED);
  const session = await getSessionFromCtx(ctx, { disableCookieCache: true });
  if (!session) return; // Better Auth answers 401
  const freshAgeMs = ctx.context.sessionConfig.freshAge * 1000;
  if (freshAgeMs > 0 && Date.now() - new Date(session.session.createdAt).getTime() >= freshAgeMs) {
    throw new APIError("FORBIDDEN", SIGN_IN_METHOD_ERRORS.LINK_NEEDS_FRESH_SESSION);
  }
}

/** Before /unlink-account: never the last way in. */
async function checkUnlink(ctx: GenericEndpointContext): Promise<void> {
  const session = await getSessionFromCtx(ctx, { disableCookieCache: true });
  const accountId = (ctx.body as { accountId?: unknown } | undefined)?.accountId;
  if (!session || typeof accountId !== "string") return; // Better Auth answers
  const accounts = await ctx.context.internalAdapter.findAccounts(session.user.id);
  if (!accounts.some((a) => a.id === accountId)) return; // Better Auth's ACCOUNT_NOT_FOUND
  const providers = configuredProviderIds(ctx);
  if (!accounts.some((a) => a.id !== accountId && letsIn(a, providers))) throw new APIError("BAD_REQUEST", SIGN_IN_METHOD_ERRORS.LAST_SIGN_IN_METHOD);
}

/**
 * Better Auth options (merged into auth-options.ts) and the plugin. `strict` is
 * REQUIRE_EMAIL_VERIFICATION: there a sign-in never says whether an address has an account.
 */
export function signInMethods(db: Db, strict: boolean): { options: Options; plugin: BetterAuthPlugin } {
  const options: Options = {
    user: { validateUserInfo: admitter(db, strict) },
    account: {
      accountLinking: {
        enabled: true,
        // Better Auth's own gates, opened so that `admitter`'s check decides every case: trusted providers reach
        // it with unverified emails too, and unverified local accounts are handed over there.
        trustedProviders: [...SIGN_IN_PROVIDER_IDS],
        requireLocalEmailVerified: false,
        allowDifferentEmails: true,
        allowUnlinkingAll: false,
        updateUserInfoOnLink: false,
      },
    },
    databaseHooks: {
      account: {
        create: { before: async (account) => ({ data: { ...account, ...NO_PROVIDER_TOKENS } }), after: afterLinkOf(db) },
        update: { before: async (account) => ({ data: { ...account, ...NO_PROVIDER_TOKENS } }) },
      },
    },
  };
  const plugin = {
    id: "sign-in-methods",
    hooks: {
      before: [
        { matcher: (ctx) => ctx.path === "/link-social", handler: createAuthMiddleware(async (ctx) => checkLinkSocial(ctx)) },
        { matcher: (ctx) => ctx.path === "/unlink-account", handler: createAuthMiddleware(async (ctx) => checkUnlink(ctx)) },
      ],
    },
  } satisfies BetterAuthPlugin;
  return { options, plugin };
}
