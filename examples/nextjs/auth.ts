// The smallest Better Auth configuration that issues the backend token (docs/use-in-your-app.md).
import { backendToken } from "@authbridge/better-auth";
import { betterAuth } from "better-auth";
import { Pool } from "pg";

const timestamps = { createdAt: "created_at", updatedAt: "updated_at" };

export const auth = betterAuth({
  database: new Pool({ connectionString: process.env.DATABASE_URL }),
  secret: process.env.BETTER_AUTH_SECRET,
  emailAndPassword: { enabled: true },
  // snake_case columns: the Python verifier reads session(id, user_id, expires_at) and "user"(id, name, email,
  // email_verified); the other two keep the tables of the authbridge repository's schema.
  user: { fields: { emailVerified: "email_verified", ...timestamps } },
  session: { fields: { userId: "user_id", expiresAt: "expires_at", ipAddress: "ip_address", userAgent: "user_agent", ...timestamps } },
  account: {
    fields: {
      accountId: "account_id", providerId: "provider_id", userId: "user_id", accessToken: "access_token", refreshToken: "refresh_token",
      idToken: "id_token", accessTokenExpiresAt: "access_token_expires_at", refreshTokenExpiresAt: "refresh_token_expires_at", ...timestamps,
    },
  },
  verification: { fields: { expiresAt: "expires_at", ...timestamps } },
  // GET /api/auth/token → {token, expiresAt}; the same secret signs, the backend verifies.
  plugins: [backendToken({ secret: process.env.BETTER_AUTH_SECRET })],
});
