// The one way TypeScript tests, benchmarks and fault scenarios make a backend token.
// Production tokens come only from packages/better-auth/src/issuer.ts. For valid claims this minter
// writes the issuer's exact bytes (packages/better-auth/test/repo-contract.test.ts proves it); it also writes
// what the issuer never would: other headers, missing or mistyped claims, other keys and MACs, raw
// JSON text. Its Python twin is backend/tests/tokens.py. It needs nothing but node:crypto, so the
// dev launcher can import it as well as the frontend's tests and vectors-builder.ts.
import { createHmac, randomBytes } from "node:crypto";

/** The contract's header; key order is the wire order (docs/jwt-contract.md). */
export const CONTRACT_HEADER = { alg: "HS256", typ: "at+jwt" } as const;
export const CONTRACT_CLAIM_ORDER = ["iss", "sub", "aud", "iat", "exp", "jti", "sid", "amr", "auth_time"] as const;

/** What the issuer is configured with (the same shape as its IssuerConfig). */
export interface TokenConfig {
  secret: string; // its UTF-8 bytes are the HMAC key
  issuer: string;
  audience: string;
  lifetimeSeconds: number;
}

/** A header or payload: an object or array goes through JSON.stringify; a string is raw JSON text, used as is. */
export type JsonPart = string | Record<string, unknown> | unknown[];

export type Mac = "HS256" | "HS384" | "HS512";

/** An HMAC key: a string means its UTF-8 bytes. */
export type Key = string | Buffer;

export const b64url = (data: string | Buffer): string => Buffer.from(data).toString("base64url");

const text = (part: JsonPart): string => (typeof part === "string" ? part : JSON.stringify(part));

/** The MAC of a JWS signing input, base64url. */
export function macB64url(signingInput: string, key: Key, mac: Mac = "HS256"): string {
  return createHmac(`sha${mac.slice(2)}`, key).update(signingInput).digest("base64url");
}

/** base64url(header).base64url(payload).MAC; a null key leaves the signature segment empty. */
export function signJws(header: JsonPart, payload: JsonPart, key: Key | null, mac: Mac = "HS256"): string {
  const signingInput = `${b64url(text(header))}.${b64url(text(payload))}`;
  return `${signingInput}.${key === null ? "" : macB64url(signingInput, key, mac)}`;
}

/** 128 random bits, base64url, as the issuer makes a jti. */
export const newJti = (): string => randomBytes(16).toString("base64url");

export interface TokenSpec {
  config: TokenConfig;
  userId: string;
  sessionId: string;
  /** Issue time, unix seconds; exp = iat + config.lifetimeSeconds. */
  iat: number;
  /** Default: a fresh random one. */
  jti?: string;
  /** How the user signed in (RFC 8176): written as `amr` after sid when given and not empty. */
  amr?: readonly string[] | undefined;
  /** When the user signed in, unix seconds: written as `auth_time` after amr when given. */
  authTime?: number | undefined;
  /** Claim overrides, in place; `undefined` drops a claim; new names come after the contract's. */
  claims?: Record<string, unknown>;
  /** Default: CONTRACT_HEADER. */
  header?: JsonPart;
  /** Default: config.secret; null = no signature at all. */
  key?: Key | null;
  mac?: Mac;
}

/** The claims of a token, in contract order, with the spec's overrides applied. */
export function contractClaims(spec: TokenSpec): Record<string, unknown> {
  const base: Record<string, unknown> = {
    iss: spec.config.issuer,
    sub: spec.userId,
    aud: spec.config.audience,
    iat: spec.iat,
    exp: spec.iat + spec.config.lifetimeSeconds,
    jti: spec.jti ?? newJti(),
    sid: spec.sessionId,
    amr: spec.amr && spec.amr.length > 0 ? [...spec.amr] : undefined,
    auth_time: spec.authTime,
  };
  const overrides = spec.claims ?? {};
  const out: Record<string, unknown> = {};
  for (const name of [...CONTRACT_CLAIM_ORDER, ...Object.keys(overrides)]) {
    const value = name in overrides ? overrides[name] : base[name];
    if (value !== undefined && !(name in out)) out[name] = value;
  }
  return out;
}

/** A backend token as the spec says: without overrides, byte for byte what the issuer writes. */
export function mintTestToken(spec: TokenSpec): string {
  const key = spec.key === undefined ? spec.config.secret : spec.key;
  return signJws(spec.header ?? CONTRACT_HEADER, contractClaims(spec), key, spec.mac);
}
