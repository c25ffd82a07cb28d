// How and when each session's user proved a credential (docs/jwt-contract.md "How the user signed in"):
// the session's `amr` (RFC 8176 authentication method references) and `authTime`, which the backend token
// carries (@authbridge/better-auth reads both) and a backend step-up checks (docs/security.md "Step-up").
// ONE table below says what each Better Auth path that makes a session proved; a Better Auth plugin sets
// both fields as the session row is written (databaseHooks.session.create.before, which gets the endpoint
// context, so the request's path), and "Confirm it's you" (re-authenticate.ts, served by this plugin)
// moves them on the current session later. The columns are the backend's (migration 0007).
import "server-only";
import type { BetterAuthPlugin } from "better-auth";
import { CONFIRMED_WITH_PASSWORD, reAuthenticateEndpoint } from "./re-authenticate";

/** The RFC 8176 values this app writes (`fed`: a federated sign-in, which RFC 8176 has no value for; Microsoft Entra's). */
export type AuthMethod = "pwd" | "fed" | "otp" | "hwk" | "user" | "mfa";

const PASSWORD = CONFIRMED_WITH_PASSWORD;
const PROVIDER = ["fed"] as const;
const PASSWORD_AND_CODE = ["pwd", "otp", "mfa"] as const;
/** A passkey with user verification: a key bound to hardware, unlocked by the user (PIN or biometric): two factors. */
const PASSKEY = ["hwk", "user", "mfa"] as const;
/** Better Auth re-creates the CURRENT session (its fields carried over): nothing new was proved. */
const CARRIED = "carried";

/**
 * The Better Auth path (its endpoint's, `ctx.path`) that made a session → what that sign-in proved. A
 * path missing here makes a session without `amr` (a log line names it): the backend counts it as a
 * password sign-in, never as more.
 */
export const SIGN_IN_METHODS: Readonly<Record<string, readonly AuthMethod[] | typeof CARRIED>> = {
  // The password: sign-in, sign-up (and its /sign-up alias, auth-route.ts), the reset's sign-in
  // (reset-sign-in.ts), the confirmation links' sign-ins (verify-address/plugin.ts), a change of password.
  "/sign-in/email": PASSWORD,
  "/sign-up/email": PASSWORD,
  "/reset-password": PASSWORD,
  "/verify-address/with-session": PASSWORD,
  "/verify-address/with-password": PASSWORD,
  "/verify-address/with-new-password": PASSWORD,
  "/change-password": PASSWORD,
  // A sign-in provider (sign-in-providers.ts): GitHub, Google, OpenID Connect (generic OAuth, older path too).
  "/callback/:id": PROVIDER,
  "/oauth2/callback/:id": PROVIDER,
  // Two-factor codes (Better Auth's twoFactor plugin, when it comes): the password, then a code.
  "/two-factor/verify-totp": PASSWORD_AND_CODE,
  "/two-factor/verify-otp": PASSWORD_AND_CODE,
  "/two-factor/verify-backup-code": PASSWORD_AND_CODE,
  "/two-factor/enable": CARRIED,
  "/two-factor/disable": CARRIED,
  // Passkeys (@better-auth/passkey, when it comes).
  "/passkey/verify-authentication": PASSKEY,
};

interface SessionData {
  amr?: readonly string[] | null;
  authTime?: Date | null;
}

/** The session about to be written, with what the sign-in at `path` proved and when. */
export function withAuthMethods<T extends SessionData>(session: T, path: string | undefined, now = new Date()): T {
  const proved = path === undefined ? undefined : SIGN_IN_METHODS[path];
  if (proved === CARRIED) return { ...session, authTime: session.authTime ?? now };
  if (proved) return { ...session, amr: [...proved], authTime: now };
  // Nothing known was proved: no amr, and no later authTime than a carried one.
  console.warn(`auth methods: a session made by ${path ?? "a call outside any endpoint"} is not in the table: no amr`);
  return { ...session, amr: null, authTime: session.authTime ?? now };
}

export const authMethodsPlugin = () =>
  ({
    id: "auth-methods",
    schema: {
      session: {
        fields: {
          amr: { type: "string[]", required: false, input: false, fieldName: "amr" },
          authTime: { type: "date", required: false, input: false, fieldName: "auth_time" },
        },
      },
    },
    init: () => ({
      options: {
        databaseHooks: {
          session: {
            create: {
              before: async (session, ctx) => Promise.resolve({ data: withAuthMethods(session as SessionData, ctx?.path ?? undefined) }),
            },
          },
        },
      },
    }),
    endpoints: { reAuthenticate: reAuthenticateEndpoint },
  }) satisfies BetterAuthPlugin;
