// The fixed inputs of contracts/jwt/vectors.json and the helpers every case is made with: the good token
// (THE issuer's, packages/better-auth/src/issuer.ts) and ways to change one thing of it (contracts/jwt/test-tokens.ts mints).
import { DEFAULT_LIFETIME_SECONDS, issueBackendToken, type IssuerConfig } from "../../packages/better-auth/src/index";
import { contractClaims, type JsonPart, type Key, type Mac, mintTestToken, signJws, type TokenSpec } from "./test-tokens";

export type RefusalCode = "MALFORMED_TOKEN" | "INVALID_SIGNATURE" | "TOKEN_EXPIRED" | "INVALID_CLAIMS" | "TOKEN_REVOKED";

export interface VectorCase {
  name: string;
  token: string;
  expect: "valid" | RefusalCode;
  note: string;
  /** The HMAC key (base64url) when it is not the file's `secret` (RFC 7515, Wycheproof). */
  key_b64url?: string;
}

export const TEST_SECRET = "authbridge-contract-vectors-test-secret-0123456789";
export const TEST_PREVIOUS_SECRET = "authbridge-contract-vectors-retired-secret-9876543210";
export const TEST_NOW = 1767225600; // 2026-01-01T00:00:00Z
export const LEEWAY_SECONDS = 30;
export const MAX_TOKEN_BYTES = 8192;

export const TEST_CONFIG: IssuerConfig = {
  secret: TEST_SECRET,
  issuer: "authbridge-frontend",
  audience: "authbridge-backend",
  lifetimeSeconds: DEFAULT_LIFETIME_SECONDS,
};

export const USER_ID = "usr_7Hq2Vd9KpX3mN4bR";
export const SESSION_ID = "ses_Jw5Lc8Tz1Qa6Ye0U";
const JTI = "AAECAwQFBgcICQoLDA0ODw"; // 16 fixed bytes 00..0f, base64url

/** The good token's spec: every crafted case changes one thing of it (contracts/jwt/test-tokens.ts mints). */
export const GOOD: TokenSpec = { config: TEST_CONFIG, userId: USER_ID, sessionId: SESSION_ID, iat: TEST_NOW, jti: JTI };
export const GOOD_HEADER = '{"alg":"HS256","typ":"at+jwt"}';
export const GOOD_CLAIMS = contractClaims(GOOD);

/** Signs header and payload as given (raw JSON text: key order, whitespace and all). */
export const craft = (header: JsonPart, payload: JsonPart, key: Key | null = TEST_SECRET, mac: Mac = "HS256"): string => signJws(header, payload, key, mac);
export const withClaims = (claims: Record<string, unknown>) => mintTestToken({ ...GOOD, claims });
export const withHeader = (header: Record<string, unknown>) => mintTestToken({ ...GOOD, header });
export const withKey = (key: Key) => mintTestToken({ ...GOOD, key });
/** The good token's claims JSON with one claim spelled as raw JSON text (numbers JSON.stringify cannot write). */
export const withRawClaim = (name: string, rawJson: string) =>
  craft(GOOD_HEADER, JSON.stringify(contractClaims({ ...GOOD, claims: { [name]: "__RAW__" } })).replace('"__RAW__"', rawJson));

interface IssuedOptions {
  iat?: number;
  sub?: string;
  sid?: string;
  jti?: string;
  secret?: string;
  /** The session's amr and authTime (unix seconds): how and when its user signed in. */
  amr?: string[];
  authTime?: number;
}

export async function issued(opts: IssuedOptions = {}): Promise<string> {
  const now = new Date((opts.iat ?? TEST_NOW) * 1000);
  const config = opts.secret ? { ...TEST_CONFIG, secret: opts.secret } : TEST_CONFIG;
  const subject = {
    userId: opts.sub ?? USER_ID,
    sessionId: opts.sid ?? SESSION_ID,
    amr: opts.amr ?? null,
    authTime: opts.authTime === undefined ? null : new Date(opts.authTime * 1000),
  };
  const { token } = await issueBackendToken(subject, config, now, opts.jti ?? JTI);
  return token;
}

/** A list of cases and the function that appends one (its order is the file's). */
export function caseList(): { cases: VectorCase[]; add: (name: string, token: string, expect: VectorCase["expect"], note: string) => void } {
  const cases: VectorCase[] = [];
  return { cases, add: (name, token, expect, note) => void cases.push({ name, token, expect, note }) };
}
