// Builds contracts/jwt/vectors.json: named tokens and the outcome the backend verifier must give.
// A test-fixture builder, so it lives beside the file it writes, not in the frontend's production code.
// Valid cases come from THE issuer (packages/better-auth/src/issuer.ts, imported from the package's
// source so no build is needed); attack cases are crafted here byte by byte. Everything is fixed (secret,
// clock, jti), so the file is reproducible; packages/better-auth/test/repo-contract.test.ts fails when the
// committed file is stale. Check order the expectations assume (README.md beside vectors.json, as in
// packages/python/src/authbridge/jwt_verifier.py): shape → header → signature → claim presence/types → exp → iss/aud → lifetime/iat/nbf.
import { fileURLToPath } from "node:url";
import { signJWT } from "better-auth/crypto";
import { DEFAULT_LIFETIME_SECONDS, issueBackendToken, type IssuerConfig, REQUIRED_CLAIMS } from "../../packages/better-auth/src/index";
import { b64url, contractClaims, type JsonPart, type Key, type Mac, macB64url, mintTestToken, signJws, type TokenSpec } from "./test-tokens";

export const VECTORS_FILE = fileURLToPath(new URL("vectors.json", import.meta.url));

export type RefusalCode = "MALFORMED_TOKEN" | "INVALID_SIGNATURE" | "TOKEN_EXPIRED" | "INVALID_CLAIMS" | "TOKEN_REVOKED";

export interface VectorCase {
  name: string;
  token: string;
  expect: "valid" | RefusalCode;
  note: string;
  /** The HMAC key (base64url) when it is not the file's `secret` (RFC 7515, Wycheproof). */
  key_b64url?: string;
}

/**
 * Secret rotation (docs/operations.md "Rotating BETTER_AUTH_SECRET"): tokens issued before the
 * rotation, signed with the previous secret, verified by a backend that holds `secret` as the
 * current one and, only while `previous` is true, `previous_secret` as BETTER_AUTH_SECRET_PREVIOUS.
 */
export interface RotationCase {
  name: string;
  token: string;
  previous: boolean;
  expect: "valid" | "INVALID_SIGNATURE";
  note: string;
}

export interface VectorsFile {
  schema: 1;
  secret: string;
  now: number;
  issuer: string;
  audience: string;
  lifetime_seconds: number;
  leeway_seconds: number;
  max_token_bytes: number;
  cases: VectorCase[];
  rotation: { previous_secret: string; cases: RotationCase[] };
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

const USER_ID = "usr_7Hq2Vd9KpX3mN4bR";
const SESSION_ID = "ses_Jw5Lc8Tz1Qa6Ye0U";
const JTI = "AAECAwQFBgcICQoLDA0ODw"; // 16 fixed bytes 00..0f, base64url
const B64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** The secret Better Auth signs with when it is given none (better-auth/dist/utils/constants.mjs). */
const BETTER_AUTH_DEFAULT_SECRET = "better-auth-secret-12345678901234567890";

/** The good token's spec: every crafted case changes one thing of it (contracts/jwt/test-tokens.ts mints). */
const GOOD: TokenSpec = { config: TEST_CONFIG, userId: USER_ID, sessionId: SESSION_ID, iat: TEST_NOW, jti: JTI };
const GOOD_HEADER = '{"alg":"HS256","typ":"at+jwt"}';
const GOOD_CLAIMS = contractClaims(GOOD);

/** Signs header and payload as given (raw JSON text: key order, whitespace and all). */
const craft = (header: JsonPart, payload: JsonPart, key: Key | null = TEST_SECRET, mac: Mac = "HS256"): string => signJws(header, payload, key, mac);
const withClaims = (claims: Record<string, unknown>) => mintTestToken({ ...GOOD, claims });
const withHeader = (header: Record<string, unknown>) => mintTestToken({ ...GOOD, header });
const withKey = (key: Key) => mintTestToken({ ...GOOD, key });
/** The good token's claims JSON with one claim spelled as raw JSON text (numbers JSON.stringify cannot write). */
const withRawClaim = (name: string, rawJson: string) =>
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

async function issued(opts: IssuedOptions = {}): Promise<string> {
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

/** Tokens across a rotation of the secret, all from THE issuer. */
async function rotationCases(): Promise<RotationCase[]> {
  const before = await issued({ iat: TEST_NOW - 86400, secret: TEST_PREVIOUS_SECRET });
  const after = await issued();
  const stranger = await issued({ secret: "a-secret-this-deployment-never-had-0123456789" });
  return [
    { name: "rotation-old-token-within-window", token: before, previous: true, expect: "valid", note: "Issued a day before the rotation with the previous secret; the backend still holds it as BETTER_AUTH_SECRET_PREVIOUS." },
    { name: "rotation-old-token-after-window", token: before, previous: false, expect: "INVALID_SIGNATURE", note: "The same token once BETTER_AUTH_SECRET_PREVIOUS is removed: the window is over." },
    { name: "rotation-new-token-within-window", token: after, previous: true, expect: "valid", note: "Issued after the rotation with the current secret." },
    { name: "rotation-unknown-key-within-window", token: stranger, previous: true, expect: "INVALID_SIGNATURE", note: "Signed with neither secret: holding two keys accepts no third." },
  ];
}

/** What Better Auth's cookie cache holds for a session (its `session_data` cookie). */
const SESSION_DATA = {
  session: {
    id: SESSION_ID,
    userId: USER_ID,
    expiresAt: new Date((TEST_NOW + 7 * 86400) * 1000).toISOString(),
    token: "Qx0fSbH3kLm9TnV2cW8yZr4pUa6eGd1j",
    createdAt: new Date(TEST_NOW * 1000).toISOString(),
    updatedAt: new Date(TEST_NOW * 1000).toISOString(),
    ipAddress: "127.0.0.1",
    userAgent: "vectors",
  },
  user: {
    id: USER_ID,
    name: "Ada Lovelace",
    email: "ada@example.com",
    emailVerified: false,
    image: null,
    createdAt: new Date(TEST_NOW * 1000).toISOString(),
    updatedAt: new Date(TEST_NOW * 1000).toISOString(),
  },
  updatedAt: TEST_NOW * 1000,
  version: "1",
};

/** Better Auth's own cookie-cache JWT (`session_data`, strategy "jwt"), made by its own signer. */
async function betterAuthSessionDataCookie(): Promise<string> {
  // signJWT reads the wall clock (Date.now and new Date()) for iat/exp: freeze it so the file
  // stays reproducible.
  return withFrozenClock(TEST_NOW * 1000, () => signJWT(SESSION_DATA, TEST_SECRET, 300));
}

/**
 * The same session in Better Auth's default cookie-cache strategy ("compact"), written as its
 * setCookieCache does (better-auth/dist/cookies/index.mjs, not exported): base64url, no padding, of
 * {session, expiresAt, signature}, the signature an HMAC-SHA256 (base64url, no padding) of the
 * session JSON with expiresAt added, keyed with the secret.
 */
function betterAuthCompactSessionDataCookie(): string {
  const expiresAt = (TEST_NOW + 300) * 1000;
  const signature = macB64url(JSON.stringify({ ...SESSION_DATA, expiresAt }), TEST_SECRET);
  return b64url(JSON.stringify({ session: SESSION_DATA, expiresAt, signature }));
}

async function withFrozenClock<T>(epochMs: number, run: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  class FrozenDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(epochMs);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return epochMs;
    }
  }
  globalThis.Date = FrozenDate as DateConstructor;
  try {
    return await run();
  } finally {
    globalThis.Date = RealDate;
  }
}

// RFC 7515 appendix A.1: the JWS example with its own HMAC key.
const RFC7515_A1_TOKEN =
  "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC7515_A1_KEY = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

// Wycheproof json_web_signature_test.json (C2SP/wycheproof testvectors), every test whose header is HS256:
// group "hs256" (tcId 1–17) and tcId 31 (symmetric key confusion inside the ES256 group).
const WYCHEPROOF_HS256_KEY = "-ebuDNsVZ2iJtoZ-akfXTSCt4UO2cruLCsbWlBinggE";
const WYCHEPROOF_HS256: Array<[number, string, string]> = [
  [1, "acceptsValid", "eyJhbGciOiJIUzI1NiIsImtpZCI6ImtpZC1hZXMtc2lnbiJ9.Zm9v.TD37p4c_0jmreSrBSDmE0F3mYSPtkZ3WrSyI5wb_KTg"],
  [2, "rejectsModifiedSignature", "eyJhbGciOiJIUzI1NiIsImtpZCI6ImtpZC1hZXMtc2lnbiJ9.Zm9v.XD37p4c_0jmreSrBSDmE0F3mYSPtkZ3WrSyI5wb_KTg"],
  [3, "rejectsMissingSignature", "eyJhbGciOiJIUzI1NiIsImtpZCI6ImtpZC1hZXMtc2lnbiJ9.Zm9v."],
  [4, "rejectsMissingSignatureAndSeparator", "eyJhbGciOiJIUzI1NiIsImtpZCI6ImtpZC1hZXMtc2lnbiJ9.Zm9v"],
  [5, "rejectsModifiedPayload", "eyJhbGciOiJIUzI1NiIsImtpZCI6ImtpZC1hZXMtc2lnbiJ9.WG9v.TD37p4c_0jmreSrBSDmE0F3mYSPtkZ3WrSyI5wb_KTg"],
  [6, "rejectsMissingPayload", "eyJhbGciOiJIUzI1NiIsImtpZCI6ImtpZC1hZXMtc2lnbiJ9..TD37p4c_0jmreSrBSDmE0F3mYSPtkZ3WrSyI5wb_KTg"],
  [7, "rejectsMissingPayloadAndSeparator", "eyJhbGciOiJIUzI1NiIsImtpZCI6ImtpZC1hZXMtc2lnbiJ9.TD37p4c_0jmreSrBSDmE0F3mYSPtkZ3WrSyI5wb_KTg"],
  [8, "rejectsModifiedHeader", "eyJhbGciOiJIUzI1NiIsImtpZCI6IlhpZC1hZXMtc2lnbiJ9.Zm9v.TD37p4c_0jmreSrBSDmE0F3mYSPtkZ3WrSyI5wb_KTg"],
  [9, "rejectsMissingHeader", ".Zm9v.TD37p4c_0jmreSrBSDmE0F3mYSPtkZ3WrSyI5wb_KTg"],
  [10, "rejectsMissingHeaderAndSeparator", "Zm9v.TD37p4c_0jmreSrBSDmE0F3mYSPtkZ3WrSyI5wb_KTg"],
  [11, "rejectsMissingHeaderAndSignature", ".Zm9v."],
  [12, "rejectsMissingHeaderSignatureAndSeparators", "Zm9v"],
  [13, "rejectsEmptyString", ""],
  [14, "rejectsExtraEmptyComponent", "eyJhbGciOiJIUzI1NiIsImtpZCI6ImtpZC1hZXMtc2lnbiJ9.Zm9v.TD37p4c_0jmreSrBSDmE0F3mYSPtkZ3WrSyI5wb_KTg."],
  [15, "rejectsExtraComponent", "eyJhbGciOiJIUzI1NiIsImtpZCI6ImtpZC1hZXMtc2lnbiJ9.Zm9v.TD37p4c_0jmreSrBSDmE0F3mYSPtkZ3WrSyI5wb_KTg.foo"],
  [16, "rejectsNoneAlgorithmAndMissingSignature", "eyJhbGciOiJub25lIiwia2lkIjoia2lkLWFlcy1zaWduIn0.Zm9v."],
  [17, "rejectsValidJsonSerialization", '{"payload":"Zm9v","signatures":[{"protected":"eyJhbGciOiJIUzI1NiIsImtpZCI6ImtpZC1hZXMtc2lnbiJ9","header":{"unknown":"untrustworthy"},"signature":"TD37p4c_0jmreSrBSDmE0F3mYSPtkZ3WrSyI5wb_KTg"}'],
  [31, "rejectsSymmetryConfusionAttacks_aesKeyFromEcVerificationKeyBytes", "eyJhbGciOiJIUzI1NiIsImtpZCI6ImtpZC1lYy1zaWduIn0.Zm9v.TgWtz2FIRukBQ_mA5sgHa0Ybtgn7bl-YBPAi7Z0XdHU"],
];

function wycheproofCases(): VectorCase[] {
  return WYCHEPROOF_HS256.map(([tcId, comment, token]) => ({
    name: `wycheproof-jws-tc${tcId}-${comment}`,
    token,
    expect: "MALFORMED_TOKEN",
    note:
      tcId === 13
        ? "Wycheproof: empty string. The verifier got a token that is empty: shape → MALFORMED_TOKEN (MISSING_TOKEN is only for an absent Authorization header)."
        : "Wycheproof HS256 JWS. Every one fails the shape or header check first: a kid header, alg none, a JSON serialization, a wrong segment count, or an undecodable part (payload 'foo' is not JSON) → MALFORMED_TOKEN. key_b64url is Wycheproof's key.",
    key_b64url: WYCHEPROOF_HS256_KEY,
  }));
}

export async function buildVectors(): Promise<VectorsFile> {
  const cases: VectorCase[] = [];
  const add = (name: string, token: string, expect: VectorCase["expect"], note: string) => cases.push({ name, token, expect, note });
  const L = TEST_CONFIG.lifetimeSeconds;

  // ── valid: straight from issueBackendToken ─────────────────────────────
  add("valid-issued-now", await issued(), "valid", "Issued at `now` by issueBackendToken.");
  add("valid-issued-a-day-ago", await issued({ iat: TEST_NOW - 86400 }), "valid", "iat one day before now.");
  add("valid-expires-in-one-second", await issued({ iat: TEST_NOW - L + 1 }), "valid", "exp = now + 1.");
  add("valid-expired-within-leeway", await issued({ iat: TEST_NOW - L - 29 }), "valid", "exp = now - 29: inside the 30 s leeway.");
  add("valid-iat-in-future-within-leeway", await issued({ iat: TEST_NOW + 29 }), "valid", "iat = now + 29: clock skew inside the 30 s leeway.");
  add("valid-unicode-sub", await issued({ sub: "usr_ünïcødé_✓" }), "valid", "Non-ASCII user id: JSON text is UTF-8.");
  add("valid-sub-and-sid-255-chars", await issued({ sub: "u".repeat(255), sid: "s".repeat(255) }), "valid", "sub and sid at the 255 character limit.");
  add("valid-other-jti", await issued({ jti: "_____________________w" }), "valid", "Another 128-bit jti.");
  add("valid-password-sign-in-with-amr-and-auth-time", await issued({ amr: ["pwd"], authTime: TEST_NOW - 120 }), "valid", "A session that says how and when: amr [\"pwd\"], auth_time two minutes before iat, after sid in that order.");
  add("valid-provider-sign-in", await issued({ amr: ["fed"], authTime: TEST_NOW - 86400 }), "valid", "A sign-in through GitHub, Google or an OpenID provider: amr [\"fed\"] (no RFC 8176 value; Microsoft Entra's), a day old.");
  add("valid-two-factor-sign-in", await issued({ amr: ["pwd", "otp", "mfa"], authTime: TEST_NOW }), "valid", "Password then a one-time code: amr [\"pwd\",\"otp\",\"mfa\"], auth_time = iat.");
  add("valid-passkey-sign-in", await issued({ amr: ["hwk", "user", "mfa"], authTime: TEST_NOW - 5 }), "valid", "A passkey with user verification: amr [\"hwk\",\"user\",\"mfa\"].");
  add("valid-auth-time-only", await issued({ authTime: TEST_NOW - 30 * 86400 }), "valid", "auth_time without amr (a session that predates amr: counts as a password sign-in), as old as the lifetime.");
  add("valid-amr-eight-methods-of-32", await issued({ amr: ["a".repeat(32), "b", "c", "d", "e", "f", "g", "h"], authTime: TEST_NOW }), "valid", "amr at its limits: 8 methods, one of 32 characters.");

  // ── shape (MALFORMED_TOKEN) ────────────────────────────────────────────
  const good = await issued();
  const [h, p, s] = good.split(".") as [string, string, string];
  add("shape-empty", "", "MALFORMED_TOKEN", "Empty token.");
  add("shape-one-segment", p, "MALFORMED_TOKEN", "The payload segment alone.");
  add("shape-two-segments", `${h}.${p}`, "MALFORMED_TOKEN", "Signature segment and its dot removed.");
  add("shape-four-segments", `${good}.${s}`, "MALFORMED_TOKEN", "A fourth segment appended.");
  add("shape-jwe-five-segments", `${b64url('{"alg":"dir","enc":"A256GCM","typ":"at+jwt"}')}..${b64url("iv-iv-iv-iv")}.${b64url("ciphertext")}.${b64url("tag-tag-tag-tag")}`, "MALFORMED_TOKEN", "A JWE (5 segments) is not a JWS.");
  add("shape-non-base64url-header", `!!!${h.slice(3)}.${p}.${s}`, "MALFORMED_TOKEN", "Characters outside the base64url alphabet.");
  add("shape-padded-base64", `${h}==.${p}.${s}`, "MALFORMED_TOKEN", "'=' padding is not base64url as JWS uses it.");
  add("shape-non-ascii", `${good}é`, "MALFORMED_TOKEN", "A non-ASCII character after a good token: refused before any decoding.");
  add("shape-header-not-json", craft("not json", GOOD_CLAIMS), "MALFORMED_TOKEN", "Header is not JSON.");
  add("shape-header-json-array", craft('["HS256"]', GOOD_CLAIMS), "MALFORMED_TOKEN", "Header is JSON but not an object.");
  add("shape-payload-not-json", craft(GOOD_HEADER, "hello"), "MALFORMED_TOKEN", "Payload is not JSON (correctly signed).");
  add("shape-payload-json-array", craft(GOOD_HEADER, "[1,2,3]"), "MALFORMED_TOKEN", "Payload is JSON but not an object (correctly signed).");
  add("shape-oversized", withClaims({ pad: "x".repeat(MAX_TOKEN_BYTES) }), "MALFORMED_TOKEN", `Correctly signed but longer than ${MAX_TOKEN_BYTES} bytes: refused before decoding (the 1 MB case lives in the backend's own tests).`);

  // ── header (MALFORMED_TOKEN unless typ) ────────────────────────────────
  for (const alg of ["none", "None", "NONE", "nOnE"]) {
    add(`header-alg-${alg}`, mintTestToken({ ...GOOD, header: { alg, typ: "at+jwt" }, key: null }), "MALFORMED_TOKEN", `alg "${alg}" with an empty signature: alg is pinned to HS256.`);
  }
  add("header-alg-none-hmac-signed", withHeader({ alg: "none", typ: "at+jwt" }), "MALFORMED_TOKEN", "alg none, yet correctly HMAC-SHA256-signed with the secret: alg is pinned to HS256.");
  add("header-duplicate-alg", craft('{"alg":"none","alg":"HS256","typ":"at+jwt"}', GOOD_CLAIMS), "MALFORMED_TOKEN", "alg twice (none, then HS256), correctly signed: parsers disagree on which one counts, so a header with a repeated name is refused (RFC 7515 §4).");
  add("header-alg-hs512", mintTestToken({ ...GOOD, header: { alg: "HS512", typ: "at+jwt" }, mac: "HS512" }), "MALFORMED_TOKEN", "Correctly HMAC-SHA512-signed with the secret, but alg is pinned to HS256.");
  add("header-alg-hs384", mintTestToken({ ...GOOD, header: { alg: "HS384", typ: "at+jwt" }, mac: "HS384" }), "MALFORMED_TOKEN", "HS384: alg is pinned to HS256.");
  add("header-alg-rs256-hmac-signed", withHeader({ alg: "RS256", typ: "at+jwt" }), "MALFORMED_TOKEN", "Algorithm confusion: RS256 header, HMAC signature with the secret.");
  add("header-alg-missing", withHeader({ typ: "at+jwt" }), "MALFORMED_TOKEN", "No alg.");
  add("header-kid", withHeader({ alg: "HS256", typ: "at+jwt", kid: "../../dev/null" }), "MALFORMED_TOKEN", "kid header parameter: never used, refused.");
  add("header-jku", withHeader({ alg: "HS256", typ: "at+jwt", jku: "https://attacker.example/jwks.json" }), "MALFORMED_TOKEN", "jku: never fetched, refused.");
  add("header-jwk", withHeader({ alg: "HS256", typ: "at+jwt", jwk: { kty: "oct", k: b64url("attacker") } }), "MALFORMED_TOKEN", "Embedded jwk: refused.");
  add("header-x5u", withHeader({ alg: "HS256", typ: "at+jwt", x5u: "https://attacker.example/cert.pem" }), "MALFORMED_TOKEN", "x5u: never fetched, refused.");
  add("header-x5c", withHeader({ alg: "HS256", typ: "at+jwt", x5c: ["MIIB"] }), "MALFORMED_TOKEN", "x5c: refused.");
  add("header-crit-unknown", withHeader({ alg: "HS256", typ: "at+jwt", crit: ["urn:attacker"], "urn:attacker": true }), "MALFORMED_TOKEN", "Unknown crit extension: refused (RFC 7515 §4.1.11).");
  add("header-cty", withHeader({ alg: "HS256", typ: "at+jwt", cty: "JWT" }), "MALFORMED_TOKEN", "cty (nested JWT): refused.");
  add("header-b64-false", withHeader({ alg: "HS256", typ: "at+jwt", b64: false, crit: ["b64"] }), "MALFORMED_TOKEN", "RFC 7797 unencoded payload: refused.");
  add("header-zip", withHeader({ alg: "HS256", typ: "at+jwt", zip: "DEF" }), "MALFORMED_TOKEN", "zip: refused.");
  add("header-typ-jwt", withHeader({ alg: "HS256", typ: "JWT" }), "INVALID_CLAIMS", "typ JWT: not an at+jwt access token (RFC 8725 §3.11).");
  add("header-typ-missing", withHeader({ alg: "HS256" }), "INVALID_CLAIMS", "No typ: not an at+jwt access token.");

  // ── signature (INVALID_SIGNATURE) ──────────────────────────────────────
  const flipped = `${s.slice(0, 10)}${s[10] === "A" ? "B" : "A"}${s.slice(11)}`;
  add("signature-flipped", `${h}.${p}.${flipped}`, "INVALID_SIGNATURE", "One signature character changed.");
  add("signature-stripped", `${h}.${p}.`, "INVALID_SIGNATURE", "Empty signature with alg HS256.");
  add("signature-non-canonical-base64url", `${h}.${p}.${s.slice(0, -1)}${B64URL_ALPHABET[B64URL_ALPHABET.indexOf(s.at(-1)!) | 1]}`, "INVALID_SIGNATURE", "The same MAC bytes, but the last character sets one of its 2 unused bits: a lenient base64 decoder reads the right MAC; refused, so a token has exactly one spelling.");
  add("signature-truncated", `${h}.${p}.${s.slice(0, 22)}`, "INVALID_SIGNATURE", "First 16 bytes of the MAC only.");
  add("signature-wrong-secret", withKey("another-secret-of-thirty-two-bytes-or-more!"), "INVALID_SIGNATURE", "Signed with a different strong secret.");
  add("signature-common-secret", withKey("secret"), "INVALID_SIGNATURE", "Signed with the common secret 'secret'.");
  for (const secret of ["changeme", "password"]) {
    add(`signature-common-secret-${secret}`, withKey(secret), "INVALID_SIGNATURE", `Signed with the common secret '${secret}'.`);
  }
  add("signature-jwt-io-example-secret", withKey("your-256-bit-secret"), "INVALID_SIGNATURE", "Signed with jwt.io's example secret 'your-256-bit-secret'.");
  add("signature-better-auth-default-secret", withKey(BETTER_AUTH_DEFAULT_SECRET), "INVALID_SIGNATURE", "Signed with the secret Better Auth falls back to when it is given none: a misconfigured frontend's token.");
  add("signature-empty-secret", withKey(""), "INVALID_SIGNATURE", "Signed with an empty key.");
  add("signature-payload-swapped", `${h}.${withClaims({ sub: "usr_attacker" }).split(".")[1]}.${s}`, "INVALID_SIGNATURE", "Payload changed to another sub, signature kept.");

  // ── claim presence and types (MALFORMED_TOKEN) ─────────────────────────
  for (const claim of REQUIRED_CLAIMS) {
    add(`claims-missing-${claim}`, withClaims({ [claim]: undefined }), "MALFORMED_TOKEN", `${claim} missing (required).`);
  }
  for (const claim of REQUIRED_CLAIMS) {
    add(`claims-${claim}-null`, withClaims({ [claim]: null }), "MALFORMED_TOKEN", `${claim} null.`);
  }
  add("claims-sub-number", withClaims({ sub: 12345 }), "MALFORMED_TOKEN", "sub is a number.");
  add("claims-sub-boolean", withClaims({ sub: true }), "MALFORMED_TOKEN", "sub is a boolean.");
  add("claims-sub-list", withClaims({ sub: [USER_ID] }), "MALFORMED_TOKEN", "sub is a list.");
  add("claims-sub-object", withClaims({ sub: { id: USER_ID } }), "MALFORMED_TOKEN", "sub is an object.");
  add("claims-sub-empty", withClaims({ sub: "" }), "MALFORMED_TOKEN", "sub is empty.");
  add("claims-sub-256-chars", withClaims({ sub: "u".repeat(256) }), "MALFORMED_TOKEN", "sub longer than 255.");
  add("claims-sid-empty", withClaims({ sid: "" }), "MALFORMED_TOKEN", "sid is empty.");
  add("claims-sid-number", withClaims({ sid: 7 }), "MALFORMED_TOKEN", "sid is a number.");
  add("claims-exp-string", withClaims({ exp: String(TEST_NOW + L) }), "MALFORMED_TOKEN", "exp is a string.");
  add("claims-exp-boolean", withClaims({ exp: true }), "MALFORMED_TOKEN", "exp is a boolean.");
  add("claims-exp-list", withClaims({ exp: [TEST_NOW + L] }), "MALFORMED_TOKEN", "exp is a list.");
  add("claims-exp-object", withClaims({ exp: { t: TEST_NOW + L } }), "MALFORMED_TOKEN", "exp is an object.");
  add("claims-exp-float", withClaims({ exp: TEST_NOW + L + 0.5 }), "MALFORMED_TOKEN", "exp is not an integer.");
  add("claims-exp-1e400", withRawClaim("exp", "1e400"), "MALFORMED_TOKEN", "exp is 1e400 (infinite as a float).");
  add("claims-iat-boolean", withClaims({ iat: true }), "MALFORMED_TOKEN", "iat is a boolean.");
  add("claims-iat-string", withClaims({ iat: String(TEST_NOW) }), "MALFORMED_TOKEN", "iat is a string.");
  add("claims-nbf-string", withClaims({ nbf: "0" }), "MALFORMED_TOKEN", "nbf (optional) is present but a string.");
  add("claims-aud-list", withClaims({ aud: [TEST_CONFIG.audience] }), "MALFORMED_TOKEN", "aud as a list holding the right audience: RFC 7519 allows a list, the contract wants exactly one string.");
  add("claims-amr-string", withClaims({ amr: "pwd" }), "MALFORMED_TOKEN", "amr (optional) is a string, not a list.");
  add("claims-amr-null", withClaims({ amr: null }), "MALFORMED_TOKEN", "amr (optional) is present but null.");
  add("claims-amr-object", withClaims({ amr: { 0: "pwd" } }), "MALFORMED_TOKEN", "amr is an object.");
  add("claims-amr-number-in-list", withClaims({ amr: ["pwd", 2] }), "MALFORMED_TOKEN", "amr holds a number.");
  add("claims-amr-empty-string", withClaims({ amr: [""] }), "MALFORMED_TOKEN", "amr holds an empty string.");
  add("claims-amr-33-chars", withClaims({ amr: ["m".repeat(33)] }), "MALFORMED_TOKEN", "amr holds a string of 33 characters (at most 32).");
  add("claims-amr-nine-methods", withClaims({ amr: ["pwd", "otp", "mfa", "hwk", "user", "fed", "sms", "swk", "face"] }), "MALFORMED_TOKEN", "amr holds 9 methods (at most 8).");
  add("claims-auth-time-string", withClaims({ auth_time: String(TEST_NOW) }), "MALFORMED_TOKEN", "auth_time (optional) is a string.");
  add("claims-auth-time-float", withClaims({ auth_time: TEST_NOW - 0.5 }), "MALFORMED_TOKEN", "auth_time is not an integer.");
  add("claims-auth-time-boolean", withClaims({ auth_time: true }), "MALFORMED_TOKEN", "auth_time is a boolean.");
  add("claims-auth-time-null", withClaims({ auth_time: null }), "MALFORMED_TOKEN", "auth_time (optional) is present but null.");

  // ── expiry (TOKEN_EXPIRED) ─────────────────────────────────────────────
  add("expired-beyond-leeway", await issued({ iat: TEST_NOW - L - 31 }), "TOKEN_EXPIRED", "exp = now - 31: outside the 30 s leeway (a real issued token).");
  add("expired-long-ago", await issued({ iat: TEST_NOW - 10 * L }), "TOKEN_EXPIRED", "Expired months ago.");

  // ── claim values (INVALID_CLAIMS) ──────────────────────────────────────
  add("claims-wrong-issuer", withClaims({ iss: "someone-else" }), "INVALID_CLAIMS", "iss is not BACKEND_JWT_ISSUER.");
  add("claims-wrong-audience", withClaims({ aud: "another-api" }), "INVALID_CLAIMS", "aud is not BACKEND_JWT_AUDIENCE.");
  add("claims-lifetime-too-long", withClaims({ exp: TEST_NOW + L + 1 }), "INVALID_CLAIMS", "exp - iat = lifetime + 1.");
  add("claims-iat-in-future", await issued({ iat: TEST_NOW + 31 }), "INVALID_CLAIMS", "iat = now + 31: beyond the leeway (a real issued token).");
  add("claims-nbf-in-future", withClaims({ nbf: TEST_NOW + 3600 }), "INVALID_CLAIMS", "nbf an hour ahead.");
  add("claims-nbf-far-future", withClaims({ nbf: 2_000_000_000_000 }), "INVALID_CLAIMS", "nbf in the year 65000: compared as a number, no date overflow.");
  add("claims-exp-before-iat", withClaims({ exp: TEST_NOW - 1 }), "INVALID_CLAIMS", "exp one second before iat (and still within the expiry leeway): no such token is ever issued.");
  add("claims-exp-10e40", withRawClaim("exp", `1${"0".repeat(40)}`), "INVALID_CLAIMS", "exp = 10^40, an integer far beyond any lifetime: refused by the lifetime cap, no overflow.");
  add("claims-auth-time-after-iat", mintTestToken({ ...GOOD, iat: TEST_NOW - 100, amr: ["pwd"], authTime: TEST_NOW - 69 }), "INVALID_CLAIMS", "auth_time = iat + 31 (and in the past): a sign-in after the token that states it, beyond the leeway.");
  add("claims-auth-time-in-future", mintTestToken({ ...GOOD, iat: TEST_NOW + 29, amr: ["pwd"], authTime: TEST_NOW + 31 }), "INVALID_CLAIMS", "iat = now + 29 (within the leeway), auth_time = now + 31: within the leeway of iat, but in the future.");

  // ── foreign tokens ─────────────────────────────────────────────────────
  add("foreign-better-auth-session-data-cookie", await betterAuthSessionDataCookie(), "INVALID_CLAIMS",
    "Better Auth's own cookie-cache JWT (session_data, strategy jwt) signed by better-auth/crypto signJWT with the SAME secret. Header {\"alg\":\"HS256\"} has no typ → INVALID_CLAIMS at the header check, before anything else (RFC 8725 §3.12). It would also lack iss/aud/sub/sid.");
  add("foreign-better-auth-compact-session-data-cookie", betterAuthCompactSessionDataCookie(), "MALFORMED_TOKEN",
    "Better Auth's own cookie-cache value in its default strategy (compact): one base64url segment of JSON with an HMAC-SHA256 signature made with the SAME secret. Not 3 segments → MALFORMED_TOKEN.");
  cases.push({
    name: "rfc7515-appendix-a1",
    token: RFC7515_A1_TOKEN,
    expect: "INVALID_CLAIMS",
    note: "RFC 7515 A.1 HS256 example with its own key (key_b64url); its signature verifies with that key. The header is checked first and has typ JWT, not at+jwt → INVALID_CLAIMS (docs/jwt-contract.md lists typ under INVALID_CLAIMS). It would also fail later: no sub/aud/iat/sid (MALFORMED_TOKEN), exp in 2011, iss joe.",
    key_b64url: RFC7515_A1_KEY,
  });
  cases.push(...wycheproofCases());

  return {
    schema: 1,
    secret: TEST_SECRET,
    now: TEST_NOW,
    issuer: TEST_CONFIG.issuer,
    audience: TEST_CONFIG.audience,
    lifetime_seconds: L,
    leeway_seconds: LEEWAY_SECONDS,
    max_token_bytes: MAX_TOKEN_BYTES,
    cases,
    rotation: { previous_secret: TEST_PREVIOUS_SECRET, cases: await rotationCases() },
  };
}

export const serializeVectors = (v: VectorsFile): string => `${JSON.stringify(v, null, 2)}\n`;

/** Sanity checks on the builder's own inputs (RFC example keys transcribed correctly). */
export function selfCheck(): void {
  const [h1, p1, s1] = RFC7515_A1_TOKEN.split(".") as [string, string, string];
  if (macB64url(`${h1}.${p1}`, Buffer.from(RFC7515_A1_KEY, "base64url")) !== s1) throw new Error("RFC 7515 A.1 key/token mismatch");
  const [h2, p2, s2] = WYCHEPROOF_HS256[0]![2].split(".") as [string, string, string];
  if (macB64url(`${h2}.${p2}`, Buffer.from(WYCHEPROOF_HS256_KEY, "base64url")) !== s2) throw new Error("Wycheproof tc1 key/token mismatch");
}
