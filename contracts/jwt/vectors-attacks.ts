// The crafted cases of contracts/jwt/vectors.json, one function per check of the verifier, in the order
// the verifier makes them (README.md beside vectors.json): shape, header, signature, claim presence and
// types, expiry, claim values. Each changes one thing of the good token (vectors-fixture.ts).
import { REQUIRED_CLAIMS } from "../../packages/better-auth/src/index";
import { b64url, mintTestToken } from "./test-tokens";
import {
  caseList,
  craft,
  GOOD,
  GOOD_CLAIMS,
  GOOD_HEADER,
  issued,
  MAX_TOKEN_BYTES,
  TEST_CONFIG,
  TEST_NOW,
  USER_ID,
  type VectorCase,
  withClaims,
  withHeader,
  withKey,
  withRawClaim,
} from "./vectors-fixture";

const B64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** The secret Better Auth signs with when it is given none (better-auth/dist/utils/constants.mjs). */
const BETTER_AUTH_DEFAULT_SECRET = "better-auth-secret-12345678901234567890";
const L = TEST_CONFIG.lifetimeSeconds;

/** The good token and its three segments. */
async function goodParts(): Promise<{ good: string; h: string; p: string; s: string }> {
  const good = await issued();
  const [h, p, s] = good.split(".") as [string, string, string];
  return { good, h, p, s };
}

/** Shape (MALFORMED_TOKEN). */
export async function shapeCases(): Promise<VectorCase[]> {
  const { cases, add } = caseList();
  const { good, h, p, s } = await goodParts();
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
  return cases;
}

/** Header (MALFORMED_TOKEN unless typ). */
export function headerCases(): VectorCase[] {
  const { cases, add } = caseList();
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
  return cases;
}

/** Signature (INVALID_SIGNATURE). */
export async function signatureCases(): Promise<VectorCase[]> {
  const { cases, add } = caseList();
  const { h, p, s } = await goodParts();
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
  return cases;
}

/** Claim presence and types (MALFORMED_TOKEN). */
export function claimTypeCases(): VectorCase[] {
  const { cases, add } = caseList();
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
  return cases;
}

/** Expiry (TOKEN_EXPIRED), then claim values (INVALID_CLAIMS). */
export async function expiryAndClaimValueCases(): Promise<VectorCase[]> {
  const { cases, add } = caseList();
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
  return cases;
}
