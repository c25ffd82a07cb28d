// The backend token contract as TypeScript: the header, the claims and their order, the defaults, the
// answer of GET /api/auth/token and the verifier's refusal codes. The contract itself is
// docs/jwt-contract.md in the authbridge repository; contracts/jwt/vectors.json there is the same
// contract as data, which this package's tests and the Python package's tests both replay.

export const ALGORITHM = "HS256";
/** Sets the token apart from Better Auth's own `session_data` cookie JWT (RFC 8725 §3.12, RFC 9068). */
export const TOKEN_TYPE = "at+jwt";
/** The one header the verifier accepts; key order is the wire order. */
export const HEADER = { alg: ALGORITHM, typ: TOKEN_TYPE } as const;
/** The claims, in the order the issuer writes them. */
export const CLAIM_ORDER = ["iss", "sub", "aud", "iat", "exp", "jti", "sid"] as const;
export const DEFAULT_ISSUER = "authbridge-frontend";
export const DEFAULT_AUDIENCE = "authbridge-backend";
/** 30 days. */
export const DEFAULT_LIFETIME_SECONDS = 30 * 24 * 60 * 60;
/** The shortest key HS256 may use (RFC 7518 §3.2), counted in UTF-8 bytes of the secret. */
export const MIN_SECRET_BYTES = 32;

export type BackendTokenHeader = typeof HEADER;

/** The payload, in CLAIM_ORDER. No e-mail, no name: anyone who holds the token can read it. */
export interface BackendTokenClaims {
  iss: string;
  /** Better Auth user id. */
  sub: string;
  aud: string;
  /** Issue time, unix seconds. */
  iat: number;
  /** iat + the lifetime, unix seconds. */
  exp: number;
  /** 128 random bits, base64url. */
  jti: string;
  /** Better Auth session id (never the session token): what revocation deletes. */
  sid: string;
}

/** The body of a 200 from `GET /api/auth/token`. */
export interface BackendTokenResponse {
  token: string;
  /** Unix seconds, = the token's exp. */
  expiresAt: number;
}

/** Why the verifier refuses a token: the `code` of its 401 body and its `WWW-Authenticate` error_description. */
export type RefusalCode =
  | "MISSING_TOKEN"
  | "MALFORMED_TOKEN"
  | "INVALID_SIGNATURE"
  | "TOKEN_EXPIRED"
  | "INVALID_CLAIMS"
  | "TOKEN_REVOKED"
  | "EMAIL_NOT_VERIFIED";

/** The body of the verifier's 401. */
export interface RefusalBody {
  code: RefusalCode;
  message: string;
}
