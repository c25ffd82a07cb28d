// Two-step sign-in and passkeys (docs/security.md "Two-step sign-in", "Passkeys"), with Better
// Auth's own plugins configured to the backend-owned schema (the backend's migration 0008, and
// 0007's "user".two_factor_enabled):
// - twoFactor (better-auth/plugins): an authenticator app's codes (TOTP, RFC 6238: 6 digits, 30 s)
//   and ten single-use backup codes, both stored encrypted; "trust this device" for 30 days. Its
//   own lock of the second step is off: the app's throttle counts wrong codes like wrong passwords
//   (throttle.ts), with the one 429.
// - passkey (@better-auth/passkey): WebAuthn credentials for this site only (rpID: BETTER_AUTH_URL's
//   host name; origin: its origin), discoverable and unlocked by the user (PIN or biometric): a
//   passkey sign-in needs no second step, so a ceremony without user verification is refused.
// - the app's hooks around both (plugin.ts): security events, trusted devices that end with their
//   session, passkey names, "Confirm it's you" with a code or a passkey.
import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { passkey } from "@better-auth/passkey";
import { APIError } from "better-auth/api";
import { parseCookies } from "better-auth/cookies";
import { twoFactor } from "better-auth/plugins";
import type { ServerEnv } from "@/config/env-schema";
import type { ObservedPool } from "../db";
import { secondFactorPlugin } from "./plugin";
import { TRUST_DEVICE_SECONDS } from "./trusted-devices";

/** Better Auth's cookie of a sign-in waiting for its second step (better-auth/dist/plugins/two-factor/constant.mjs). */
export const PENDING_SIGN_IN_COOKIE = "two_factor";

const SECOND_FACTOR_ERRORS = {
  USER_VERIFICATION_REQUIRED: {
    code: "USER_VERIFICATION_REQUIRED",
    message: "Your passkey must be unlocked with your PIN, fingerprint or face. Try again and confirm it on your device.",
  },
} as const;

const userVerificationRequired = () => APIError.from("BAD_REQUEST", SECOND_FACTOR_ERRORS.USER_VERIFICATION_REQUIRED);

/** Better Auth's twoFactor, mapped to the `two_factor` table and `"user".two_factor_enabled`. */
const twoFactorPlugin = (appName: string) =>
  twoFactor({
    issuer: appName,
    trustDeviceMaxAge: TRUST_DEVICE_SECONDS,
    // The throttle's per-account lock instead (throttle.ts): one 429 for every refusal.
    accountLockout: { enabled: false },
    schema: {
      user: { fields: { twoFactorEnabled: "two_factor_enabled" } },
      twoFactor: {
        modelName: "two_factor",
        fields: {
          backupCodes: "backup_codes",
          userId: "user_id",
          failedVerificationCount: "failed_verification_count",
          lockedUntil: "locked_until",
        },
      },
    },
  });

/** @better-auth/passkey for this site only, mapped to the `passkey` table; user verification required. */
const passkeyPlugin = (publicUrl: string, appName: string) =>
  passkey({
    rpID: new URL(publicUrl).hostname,
    rpName: appName,
    origin: new URL(publicUrl).origin,
    // Discoverable (the browser offers it at sign-in without an email: autofill) and unlocked by the user.
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    registration: {
      afterVerification: ({ verification }) => {
        if (!verification.registrationInfo?.userVerified) throw userVerificationRequired();
      },
    },
    authentication: {
      afterVerification: ({ verification }) => {
        if (!verification.authenticationInfo.userVerified) throw userVerificationRequired();
      },
    },
    schema: {
      passkey: {
        modelName: "passkey",
        fields: {
          publicKey: "public_key",
          userId: "user_id",
          credentialID: "credential_id",
          deviceType: "device_type",
          backedUp: "backed_up",
          createdAt: "created_at",
        },
      },
    },
  });

/** The three plugins, in the order they must run (auth-options.ts puts them before the security events'). */
export const secondFactorPlugins = (env: Pick<ServerEnv, "BETTER_AUTH_URL">, db: ObservedPool, appName: string) =>
  [twoFactorPlugin(appName), passkeyPlugin(env.BETTER_AUTH_URL, appName), secondFactorPlugin(db)] as const;

/**
 * The value of the signed cookie `name` in a Cookie header (better-call's `<value>.<base64
 * HMAC-SHA256>`), checked in constant time, or null.
 */
export function signedCookieValue(cookieHeader: string | null, name: string, secret: string): string | null {
  const raw = cookieHeader ? parseCookies(cookieHeader).get(name) : undefined;
  const dot = raw?.lastIndexOf(".") ?? -1;
  if (!raw || dot < 1) return null;
  const value = raw.slice(0, dot);
  const given = Buffer.from(raw.slice(dot + 1), "base64");
  const expected = createHmac("sha256", secret).update(value).digest();
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
}
