// THE issuer of the backend token: HS256 over the UTF-8 bytes of the shared secret, with node:crypto.
// Header and claim order are part of the contract (src/contract.ts); the Python verifier is the other
// half, and the contract's vectors bind both (test/issuer.test.ts re-issues every valid one byte for byte).
import { createHmac, randomBytes } from "node:crypto";
import { type BackendTokenClaims, HEADER } from "./contract.js";

export interface IssuerConfig {
  /** Its UTF-8 bytes are the HMAC key: BETTER_AUTH_SECRET. */
  secret: string;
  issuer: string;
  audience: string;
  lifetimeSeconds: number;
}

export interface IssuedBackendToken {
  token: string;
  /** Unix seconds, = claims.exp. */
  expiresAt: number;
  claims: BackendTokenClaims;
}

const b64url = (text: string): string => Buffer.from(text, "utf8").toString("base64url");
const HEADER_SEGMENT = b64url(JSON.stringify(HEADER));

/** 128 random bits, base64url without padding. */
export const newTokenId = (): string => randomBytes(16).toString("base64url");

/**
 * Signs a backend token. Pure for fixed inputs (HS256 is deterministic): config, clock and jti are
 * arguments so tests and the contract's vector generator can pin them. Asynchronous although node:crypto
 * signs synchronously, so that a WebCrypto signer (crypto.subtle is asynchronous) would not change it.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- see above
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
  const signingInput = `${HEADER_SEGMENT}.${b64url(JSON.stringify(claims))}`;
  const signature = createHmac("sha256", Buffer.from(config.secret, "utf8")).update(signingInput).digest("base64url");
  return { token: `${signingInput}.${signature}`, expiresAt: claims.exp, claims };
}
