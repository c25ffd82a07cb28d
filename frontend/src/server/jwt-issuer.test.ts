import { readFileSync } from "node:fs";
import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { CLAIM_ORDER, issueBackendToken, newTokenId } from "./jwt-issuer";
import { buildVectors, serializeVectors, TEST_CONFIG, TEST_NOW, VECTORS_FILE, type VectorsFile } from "../../../contracts/jwt/vectors-builder";

const committed = (): VectorsFile => JSON.parse(readFileSync(VECTORS_FILE, "utf8")) as VectorsFile;
const segmentText = (token: string, i: number) => Buffer.from(token.split(".")[i] ?? "", "base64url").toString("utf8");

/** The first difference between two vectors files, or null when they are identical. */
function firstDifference(expected: VectorsFile, actual: VectorsFile): string | null {
  const e = serializeVectors(expected);
  const a = serializeVectors(actual);
  if (e === a) return null;
  const names = new Set([...expected.cases, ...actual.cases].map((c) => c.name));
  for (const name of names) {
    const x = JSON.stringify(expected.cases.find((c) => c.name === name));
    const y = JSON.stringify(actual.cases.find((c) => c.name === name));
    if (x !== y) return `case ${name} differs`;
  }
  return "top-level fields differ";
}

describe("issueBackendToken", () => {
  const subject = { userId: "usr_1", sessionId: "ses_1" };
  const now = new Date(TEST_NOW * 1000 + 999); // sub-second part is dropped

  it("writes the header exactly as the contract says", async () => {
    const { token } = await issueBackendToken(subject, TEST_CONFIG, now, "jti");
    expect(segmentText(token, 0)).toBe('{"alg":"HS256","typ":"at+jwt"}');
  });

  it("writes the claims in contract order with exp = iat + lifetime and no PII", async () => {
    const { token, expiresAt } = await issueBackendToken(subject, TEST_CONFIG, now, "jti");
    const payload = JSON.parse(segmentText(token, 1)) as Record<string, unknown>;
    expect(Object.keys(payload)).toEqual([...CLAIM_ORDER]);
    expect(payload).toEqual({ iss: "authbridge-frontend", sub: "usr_1", aud: "authbridge-backend", iat: TEST_NOW, exp: TEST_NOW + 2592000, jti: "jti", sid: "ses_1" });
    expect(expiresAt).toBe(TEST_NOW + 2592000);
  });

  it("is deterministic for fixed inputs and verifies with jose as HS256 at+jwt", async () => {
    const a = await issueBackendToken(subject, TEST_CONFIG, now, "jti");
    const b = await issueBackendToken(subject, TEST_CONFIG, now, "jti");
    expect(a.token).toBe(b.token);
    const { payload } = await jwtVerify(a.token, new TextEncoder().encode(TEST_CONFIG.secret), {
      algorithms: ["HS256"], typ: "at+jwt", issuer: TEST_CONFIG.issuer, audience: TEST_CONFIG.audience, currentDate: now,
    });
    expect(payload.sub).toBe("usr_1");
  });

  it("makes a fresh 128-bit base64url jti by default", async () => {
    expect(newTokenId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const a = await issueBackendToken(subject, TEST_CONFIG, now);
    const b = await issueBackendToken(subject, TEST_CONFIG, now);
    expect(decodeJwt(a.token).jti).not.toBe(decodeJwt(b.token).jti);
  });

  it("refuses to issue without a user or session id", async () => {
    await expect(issueBackendToken({ userId: "", sessionId: "s" }, TEST_CONFIG, now)).rejects.toThrow();
    await expect(issueBackendToken({ userId: "u", sessionId: "" }, TEST_CONFIG, now)).rejects.toThrow();
  });
});

describe("contracts/jwt/vectors.json", () => {
  const file = committed();

  it("is up to date with the issuer (run `npm run gen:vectors -w frontend` if not)", async () => {
    expect(firstDifference(await buildVectors(), file)).toBeNull();
  });

  it("detects a stale file", async () => {
    const stale = structuredClone(file);
    const victim = stale.cases.find((c) => c.expect === "valid")!;
    victim.token = victim.token.replace(/.$/, (ch) => (ch === "A" ? "B" : "A"));
    expect(firstDifference(await buildVectors(), stale)).toBe(`case ${victim.name} differs`);
  });

  const valid = file.cases.filter((c) => c.expect === "valid");
  it.each(valid.map((c) => [c.name, c] as const))("reproduces %s byte for byte", async (_name, vector) => {
    const claims = decodeJwt(vector.token);
    const config = { secret: file.secret, issuer: file.issuer, audience: file.audience, lifetimeSeconds: file.lifetime_seconds };
    const { token } = await issueBackendToken(
      { userId: String(claims.sub), sessionId: String(claims.sid) }, config, new Date(Number(claims.iat) * 1000), String(claims.jti),
    );
    expect(token).toBe(vector.token);
  });

  it("has unique names and only contract outcomes", () => {
    const names = file.cases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const outcomes = new Set(["valid", "MALFORMED_TOKEN", "INVALID_SIGNATURE", "TOKEN_EXPIRED", "INVALID_CLAIMS", "TOKEN_REVOKED"]);
    for (const c of file.cases) expect(outcomes.has(c.expect)).toBe(true);
    expect(valid.length).toBeGreaterThanOrEqual(5);
  });

  it("contains a Better Auth session_data JWT signed with the same secret, and it is refused", async () => {
    const c = file.cases.find((x) => x.name === "foreign-better-auth-session-data-cookie")!;
    expect(decodeProtectedHeader(c.token)).toEqual({ alg: "HS256" });
    await jwtVerify(c.token, new TextEncoder().encode(file.secret), { currentDate: new Date(file.now * 1000) }); // genuinely signed
    expect(c.expect).not.toBe("valid");
  });
});
