// THE issuer of the backend token: HS256 over the UTF-8 bytes of BETTER_AUTH_SECRET.
// Header and claim order are part of the contract (docs/jwt-contract.md);
// the backend's app/core/jwt_verifier.py is the other half, contracts/jwt/vectors.json binds both.
import "server-only";
import { randomBytes } from "node:crypto";
import { CompactSign } from "jose";
import type { ServerEnv } from "../config/env-schema";

export const ALGORITHM = "HS256";
export const TOKEN_TYPE = "at+jwt"; // sets it apart from Better Auth's own session_data JWT (RFC 8725 §3.12)
export const HEADER = { alg: ALGORITHM, typ: TOKEN_TYPE } as const; // key order is the wire order
export const CLAIM_ORDER = ["iss", "sub", "aud", "iat", "exp", "jti", "sid"] as const;
export const DEFAULT_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

export interface IssuerConfig {
  secret: string;
  issuer: string;
  audience: string;
  lifetimeSeconds: number;
}

/** The issuer's settings from the validated environment (root README.md "Configuration"). */
export const issuerConfig = (env: ServerEnv): IssuerConfig => ({
  secret: env.BETTER_AUTH_SECRET,
  issuer: env.BACKEND_JWT_ISSUER,
  audience: env.BACKEND_JWT_AUDIENCE,
  lifetimeSeconds: env.BACKEND_JWT_LIFETIME_SECONDS,
});

export interface BackendTokenClaims {
  iss: string;
  sub: string; // Better Auth user id
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  sid: string; // Better Auth session id (never the session token)
}

export interface IssuedBackendToken {
  token: string;
  expiresAt: number; // unix seconds, = claims.exp
  claims: BackendTokenClaims;
}

/** 128 random bits, base64url without padding. */
export const newTokenId = (): string => randomBytes(16).toString("base64url");

/**
 * Signs a backend token. Pure for fixed inputs (HS256 is deterministic): config, clock and jti
 * are arguments so contracts/jwt/generate.ts and the tests can pin them.
 */
export async function issueBackendToken(
  subject: { userId: string; sessionId: string },
  config: IssuerConfig,
  now: Date,
  jti: string = newTokenId(),
): Promise<IssuedBackendToken> {
  if (!subject.userId || !subject.sessionId) throw new Error("issueBackendToken needs a user id and a session id");
  if (!Number.isInteger(config.lifetimeSeconds) || config.lifetimeSeconds <= 0) {
    throw new Error("issueBackendToken needs a positive whole lifetime in seconds");
  }
  const iat = Math.floor(now.getTime() / 1000);
  // Built key by key so JSON.stringify keeps CLAIM_ORDER.
  const claims: BackendTokenClaims = {
    iss: config.issuer,
    sub: subject.userId,
    aud: config.audience,
    iat,
    exp: iat + config.lifetimeSeconds,
    jti,
    sid: subject.sessionId,
  };
  const payload = new TextEncoder().encode(JSON.stringify(claims));
  const token = await new CompactSign(payload)
    .setProtectedHeader({ ...HEADER })
    .sign(new TextEncoder().encode(config.secret));
  return { token, expiresAt: claims.exp, claims };
}
