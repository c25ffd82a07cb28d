// Tokens that are not the contract's, in contracts/jwt/vectors.json: Better Auth's own cookie-cache values
// signed with the same secret, RFC 7515's example and Wycheproof's HS256 JWS tests.
import { signJWT } from "better-auth/crypto";
import { b64url, macB64url } from "./test-tokens";
import { caseList, SESSION_ID, TEST_NOW, TEST_SECRET, USER_ID, type VectorCase } from "./vectors-fixture";

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

/** The foreign tokens, in the file's order. */
export async function foreignCases(): Promise<VectorCase[]> {
  const { cases, add } = caseList();
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
  return cases;
}

/** Sanity checks on the builder's own inputs (RFC example keys transcribed correctly). */
export function selfCheck(): void {
  const [h1, p1, s1] = RFC7515_A1_TOKEN.split(".") as [string, string, string];
  if (macB64url(`${h1}.${p1}`, Buffer.from(RFC7515_A1_KEY, "base64url")) !== s1) throw new Error("RFC 7515 A.1 key/token mismatch");
  const [h2, p2, s2] = WYCHEPROOF_HS256[0]![2].split(".") as [string, string, string];
  if (macB64url(`${h2}.${p2}`, Buffer.from(WYCHEPROOF_HS256_KEY, "base64url")) !== s2) throw new Error("Wycheproof tc1 key/token mismatch");
}
