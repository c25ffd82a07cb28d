// THE issuer of the backend token: HS256 over the UTF-8 bytes of the shared secret, with node:crypto.
// Header and claim order are part of the contract (src/contract.ts); the Python verifier is the other
// half, and the contract's vectors bind both (test/issuer.test.ts re-issues every valid one byte for byte).
import { createHmac, randomBytes } from "node:crypto";
import { type BackendTokenClaims, HEADER, MAX_METHOD_LENGTH, MAX_METHODS } from "./contract.js";

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

/** Who the token is for, and how and when they signed in (the session's `amr` and `authTime`). */
export interface TokenSubject {
  userId: string;
  sessionId: string;
  /** RFC 8176 method references; written as `amr` when not empty. */
  amr?: readonly string[] | null | undefined;
  /** When the user last proved a credential; written as `auth_time` (never after the token's iat). */
  authTime?: Date | null | undefined;
}

/**
 * The two ids a backend token carries, as Better Auth's getSession returns them, and what the
 * session says of the sign-in when it has these additional fields: `amr` (string[]) and
 * `authTime` (date). Better Auth's own `createdAt` stands in for `authTime` when there is none:
 * no proof in a session is later than its creation.
 */
export interface SessionIds {
  user: { id: string };
  session: {
    id: string;
    amr?: readonly string[] | null | undefined;
    authTime?: Date | string | number | null | undefined;
    createdAt?: Date | string | number | null | undefined;
  };
}

const dateOf = (value: Date | string | number | null | undefined): Date | null => {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** The token subject of a session: its ids, its `amr`, and its `authTime` (else its `createdAt`). */
export function sessionSubject(session: SessionIds): TokenSubject {
  const { amr } = session.session;
  return {
    userId: session.user.id,
    sessionId: session.session.id,
    amr: Array.isArray(amr) ? amr : null,
    authTime: dateOf(session.session.authTime) ?? dateOf(session.session.createdAt),
  };
}

const isMethod = (m: unknown): m is string => typeof m === "string" && m.length > 0 && m.length <= MAX_METHOD_LENGTH;

/**
 * Signs a backend token. Pure for fixed inputs (HS256 is deterministic): config, clock and jti are
 * arguments so tests and the contract's vector generator can pin them. Asynchronous although node:crypto
 * signs synchronously, so that a WebCrypto signer (crypto.subtle is asynchronous) would not change it.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- see above
export async function issueBackendToken(
  subject: TokenSubject,
  config: IssuerConfig,
  now: Date,
  jti: string = newTokenId(),
): Promise<IssuedBackendToken> {
  if (!subject.userId || !subject.sessionId) throw new Error("issueBackendToken needs a user id and a session id");
  if (!Number.isInteger(config.lifetimeSeconds) || config.lifetimeSeconds <= 0) {
    throw new Error("issueBackendToken needs a positive whole lifetime in seconds");
  }
  const { amr, authTime } = subject;
  if (amr && (!Array.isArray(amr) || amr.length > MAX_METHODS || !amr.every(isMethod))) {
    throw new Error(`issueBackendToken: amr must be at most ${String(MAX_METHODS)} strings of 1 to ${String(MAX_METHOD_LENGTH)} characters`);
  }
  if (authTime && Number.isNaN(authTime.getTime())) throw new Error("issueBackendToken: authTime is not a valid date");
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
  if (amr && amr.length > 0) claims.amr = [...amr];
  // The proof comes before the token that states it (the verifier refuses an auth_time after iat).
  if (authTime) claims.auth_time = Math.min(Math.floor(authTime.getTime() / 1000), iat);
  const signingInput = `${HEADER_SEGMENT}.${b64url(JSON.stringify(claims))}`;
  const signature = createHmac("sha256", Buffer.from(config.secret, "utf8")).update(signingInput).digest("base64url");
  return { token: `${signingInput}.${signature}`, expiresAt: claims.exp, claims };
}
