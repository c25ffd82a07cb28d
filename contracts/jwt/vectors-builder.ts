// Builds contracts/jwt/vectors.json: named tokens and the outcome the backend verifier must give.
// A test-fixture builder, so it lives beside the file it writes, not in the frontend's production code.
// Valid cases come from THE issuer (packages/better-auth/src/issuer.ts, imported from the package's
// source so no build is needed); attack cases are crafted here byte by byte. Everything is fixed (secret,
// clock, jti), so the file is reproducible; packages/better-auth/test/repo-contract.test.ts fails when the
// committed file is stale. Check order the expectations assume (README.md beside vectors.json, as in
// packages/python/src/authbridge/jwt_verifier.py): shape → header → signature → claim presence/types → exp → iss/aud → lifetime/iat/nbf.
import { fileURLToPath } from "node:url";
import { expiryAndClaimValueCases, claimTypeCases, headerCases, shapeCases, signatureCases } from "./vectors-attacks";
import { caseList, issued, LEEWAY_SECONDS, MAX_TOKEN_BYTES, TEST_CONFIG, TEST_NOW, TEST_PREVIOUS_SECRET, TEST_SECRET, type VectorCase } from "./vectors-fixture";
import { foreignCases } from "./vectors-foreign";

export { TEST_CONFIG, TEST_NOW } from "./vectors-fixture";

export const VECTORS_FILE = fileURLToPath(new URL("vectors.json", import.meta.url));

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

/** Valid: straight from issueBackendToken. */
async function validCases(): Promise<VectorCase[]> {
  const { cases, add } = caseList();
  const L = TEST_CONFIG.lifetimeSeconds;
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
  return cases;
}

export async function buildVectors(): Promise<VectorsFile> {
  const cases: VectorCase[] = [
    ...(await validCases()),
    ...(await shapeCases()),
    ...headerCases(),
    ...(await signatureCases()),
    ...claimTypeCases(),
    ...(await expiryAndClaimValueCases()),
    ...(await foreignCases()),
  ];
  return {
    schema: 1,
    secret: TEST_SECRET,
    now: TEST_NOW,
    issuer: TEST_CONFIG.issuer,
    audience: TEST_CONFIG.audience,
    lifetime_seconds: TEST_CONFIG.lifetimeSeconds,
    leeway_seconds: LEEWAY_SECONDS,
    max_token_bytes: MAX_TOKEN_BYTES,
    cases,
    rotation: { previous_secret: TEST_PREVIOUS_SECRET, cases: await rotationCases() },
  };
}

export const serializeVectors = (v: VectorsFile): string => `${JSON.stringify(v, null, 2)}\n`;
