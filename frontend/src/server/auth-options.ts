// Better Auth configured to the backend-owned schema (TEAM.md "Database schema"): snake_case
// columns through `fields` mappings. Better Auth never creates or migrates tables here; the
// backend's Alembic does, and schema-agreement.test.ts proves both sides agree.
import "server-only";
import type { BetterAuthOptions } from "better-auth";
import type { Pool } from "pg";
import type { ServerEnv } from "@/config/env-schema";
import { PASSWORD_MAX_CODE_POINTS, PASSWORD_MIN_CODE_POINTS } from "@/lib/password-policy";
import { backendTokenPlugin } from "./backend-token-plugin";
import type { IssuerConfig } from "./jwt-issuer";
import { accountPolicyHook } from "./password-hook";

export const issuerConfig = (env: ServerEnv): IssuerConfig => ({
  secret: env.BETTER_AUTH_SECRET,
  issuer: env.BACKEND_JWT_ISSUER,
  audience: env.BACKEND_JWT_AUDIENCE,
  lifetimeSeconds: env.BACKEND_JWT_LIFETIME_SECONDS,
});

const timestamps = { createdAt: "created_at", updatedAt: "updated_at" } as const;

export function authOptions(env: ServerEnv, pool: Pool) {
  return {
    appName: "authbridge",
    baseURL: env.BETTER_AUTH_URL,
    secret: env.BETTER_AUTH_SECRET,
    database: pool,
    telemetry: { enabled: false },
    user: {
      modelName: "user",
      fields: { emailVerified: "email_verified", ...timestamps },
    },
    session: {
      modelName: "session",
      fields: { expiresAt: "expires_at", ipAddress: "ip_address", userAgent: "user_agent", userId: "user_id", ...timestamps },
      expiresIn: env.BACKEND_JWT_LIFETIME_SECONDS, // a session lives as long as the tokens it backs
    },
    account: {
      modelName: "account",
      fields: {
        accountId: "account_id",
        providerId: "provider_id",
        userId: "user_id",
        accessToken: "access_token",
        refreshToken: "refresh_token",
        idToken: "id_token",
        accessTokenExpiresAt: "access_token_expires_at",
        refreshTokenExpiresAt: "refresh_token_expires_at",
        ...timestamps,
      },
    },
    verification: {
      modelName: "verification",
      fields: { expiresAt: "expires_at", ...timestamps },
    },
    emailAndPassword: {
      enabled: true,
      autoSignIn: true,
      // Better Auth counts UTF-16 units; our hook counts code points (the real rule). These bounds
      // only keep Better Auth from refusing what the policy allows: 128 code points ≤ 256 units.
      minPasswordLength: PASSWORD_MIN_CODE_POINTS,
      maxPasswordLength: PASSWORD_MAX_CODE_POINTS * 2,
    },
    hooks: { before: accountPolicyHook(env.PASSWORD_POLICY) },
    // Per-IP limits on the credential endpoints; looser than Better Auth's 3 per 10 s so a
    // browser test run (many sign-ups from 127.0.0.1) is not throttled, still bounded.
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { window: 60, max: 30 },
        "/sign-up/email": { window: 60, max: 30 },
        "/change-password": { window: 60, max: 10 },
      },
    },
    plugins: [
      backendTokenPlugin(issuerConfig(env)),
    ],
  } satisfies BetterAuthOptions;
}
