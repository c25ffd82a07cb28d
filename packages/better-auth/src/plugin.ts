// The Better Auth plugin: GET /api/auth/token → {token, expiresAt} for a valid session, 401 otherwise.
// Its resolved settings ride on the plugin (`options`), where src/server.ts finds them. The token
// states how and when the user signed in when the session says so (its `amr` and `authTime`
// additional fields, which the app sets where sessions are made), else the session's creation.
//
// Why not Better Auth's `jwt` plugin: it signs only asymmetric algorithms (EdDSA by default, published
// through JWKS), and a custom `jwt.sign` requires `jwks.remoteUrl`. The contract is HS256 with the shared
// BETTER_AUTH_SECRET, so the issuer is this package's.
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthEndpoint, getSessionFromCtx } from "better-auth/api";
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, DEFAULT_LIFETIME_SECONDS, MIN_SECRET_BYTES } from "./contract.js";
import { type IssuerConfig, issueBackendToken, sessionSubject } from "./issuer.js";

export const BACKEND_TOKEN_PLUGIN_ID = "backend-token";

export interface BackendTokenOptions {
  /**
   * The shared HMAC key: BETTER_AUTH_SECRET, at least 32 bytes of UTF-8; the backend verifies with the same.
   * `undefined` is accepted so `process.env.BETTER_AUTH_SECRET` can be passed as is: it is refused at start-up.
   */
  secret: string | undefined;
  /** The token's `iss`. Default "authbridge-frontend". */
  issuer?: string | undefined;
  /** The token's `aud`. Default "authbridge-backend". */
  audience?: string | undefined;
  /** exp − iat, whole seconds. Default 2592000 (30 days). */
  lifetimeSeconds?: number | undefined;
}

/** The options with their defaults; a setting the backend could never accept stops start-up here. */
export function resolveBackendTokenOptions(options: BackendTokenOptions): IssuerConfig {
  const { secret } = options;
  if (typeof secret !== "string" || Buffer.byteLength(secret, "utf8") < MIN_SECRET_BYTES) {
    throw new Error(`backendToken: secret must be at least ${String(MIN_SECRET_BYTES)} bytes (pass BETTER_AUTH_SECRET)`);
  }
  const config: IssuerConfig = {
    secret,
    issuer: options.issuer ?? DEFAULT_ISSUER,
    audience: options.audience ?? DEFAULT_AUDIENCE,
    lifetimeSeconds: options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS,
  };
  if (!config.issuer || !config.audience) throw new Error("backendToken: issuer and audience must not be empty");
  if (!Number.isInteger(config.lifetimeSeconds) || config.lifetimeSeconds <= 0) {
    throw new Error("backendToken: lifetimeSeconds must be a positive whole number");
  }
  return config;
}

/** Better Auth plugin: `plugins: [backendToken({ secret: process.env.BETTER_AUTH_SECRET })]`. */
export const backendToken = (options: BackendTokenOptions) => {
  const config = resolveBackendTokenOptions(options);
  return {
    id: BACKEND_TOKEN_PLUGIN_ID,
    options: config,
    endpoints: {
      getBackendToken: createAuthEndpoint("/token", { method: "GET", requireHeaders: true }, async (ctx) => {
        const session = await getSessionFromCtx(ctx);
        if (!session) throw new APIError("UNAUTHORIZED", { code: "UNAUTHORIZED", message: "Sign in to get a backend token." });
        const { token, expiresAt } = await issueBackendToken(sessionSubject(session), config, new Date());
        ctx.setHeader("Cache-Control", "no-store");
        return ctx.json({ token, expiresAt });
      }),
    },
  } satisfies BetterAuthPlugin;
};
