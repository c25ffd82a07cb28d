// The backend token contract as TypeScript: the header, the claims and their order, the defaults, the
// answer of GET /api/auth/token and the verifier's refusal codes. The contract itself is
// docs/jwt-contract.md in the authbridge repository; contracts/jwt/vectors.json there is the same
// contract as data, which this package's tests and the Python package's tests both replay.

export const ALGORITHM = "HS256";
/** Sets the token apart from Better Auth's own `session_data` cookie JWT (RFC 8725 §3.12, RFC 9068). */
export const TOKEN_TYPE = "at+jwt";
/** The one header the verifier accepts; key order is the wire order. */
export const HEADER = { alg: ALGORITHM, typ: TOKEN_TYPE } as const;
/** The claims, in the order the issuer writes them; `amr` and `auth_time` only for a session that has them. */
export const CLAIM_ORDER = ["iss", "sub", "aud", "iat", "exp", "jti", "sid", "amr", "auth_time"] as const;
/** The claims every token carries. */
export const REQUIRED_CLAIMS = ["iss", "sub", "aud", "iat", "exp", "jti", "sid"] as const;
/** `amr`: at most this many RFC 8176 method references, each 1 to MAX_METHOD_LENGTH characters. */
export const MAX_METHODS = 8;
export const MAX_METHOD_LENGTH = 32;
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
  /**
   * How the user signed in: RFC 8176 authentication method references ("pwd", "fed", "otp",
   * "hwk", "user", "mfa", …), from the session's `amr`. Absent: a password sign-in.
   */
  amr?: string[];
  /** When the user last proved a credential, unix seconds (OpenID Connect's auth_time). Absent: iat. */
  auth_time?: number;
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
  | "EMAIL_NOT_VERIFIED"
  /** A route's step-up (RFC 9470): the sign-in is too old or lacks a second factor the user has. */
  | "INSUFFICIENT_USER_AUTHENTICATION";

/** The body of the verifier's 401. */
export interface RefusalBody {
  code: RefusalCode;
  message: string;
}
