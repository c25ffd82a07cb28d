// A small Better Auth plugin of ours: GET /api/auth/token → {token, expiresAt} for a valid
// session, 401 otherwise. The token is THE backend token from jwt-issuer.ts.
//
// Why not Better Auth's `jwt` plugin: it signs only asymmetric algorithms (EdDSA by default,
// published through JWKS), and a custom `jwt.sign` requires `jwks.remoteUrl`. The product's
// contract is HS256 with the shared BETTER_AUTH_SECRET, so the issuer is ours
// (docs/decisions/0001-hs256-issuer-plugin.md).
import "server-only";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthEndpoint, getSessionFromCtx } from "better-auth/api";
import { issueBackendToken, type IssuerConfig } from "./jwt-issuer";

export const backendTokenPlugin = (config: IssuerConfig) =>
  ({
    id: "backend-token",
    endpoints: {
      getBackendToken: createAuthEndpoint("/token", { method: "GET", requireHeaders: true }, async (ctx) => {
        const session = await getSessionFromCtx(ctx);
        if (!session) throw new APIError("UNAUTHORIZED", { code: "UNAUTHORIZED", message: "Sign in to get a backend token." });
        const { token, expiresAt } = await issueBackendToken(
          { userId: session.user.id, sessionId: session.session.id },
          config,
          new Date(),
        );
        ctx.setHeader("Cache-Control", "no-store");
        return ctx.json({ token, expiresAt });
      }),
    },
  }) satisfies BetterAuthPlugin;
