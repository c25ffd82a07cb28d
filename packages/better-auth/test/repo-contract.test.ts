// The contract's files in the repository (contracts/jwt/): the test minter writes the issuer's exact bytes,
// vectors.json is up to date with the issuer and counted truly in its README. Runs in the repository only
// (`npm run compat` runs the portable tests, issuer.test.ts and plugin.test.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { CLAIM_ORDER, HEADER, issueBackendToken } from "@authbridge/better-auth";
import { CONTRACT_CLAIM_ORDER, CONTRACT_HEADER, mintTestToken } from "../../../contracts/jwt/test-tokens";
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

describe("mintTestToken (contracts/jwt/test-tokens.ts), the tests' minter", () => {
  // Ids and settings that stress JSON text: non-ASCII, astral characters, quotes, backslashes, control
  // characters, U+2028, the 255-character limit.
  const subjects = [
    { userId: "usr_1", sessionId: "ses_1" },
    { userId: "usr_ünïcødé_✓", sessionId: "ses_😀_𝄞" },
    { userId: 'quote"back\\slash/solidus', sessionId: "tab\tnewline\ncontrol\u0001\u001f line\u2028sep" },
    { userId: "u".repeat(255), sessionId: "s".repeat(255) },
  ];
  const configs = [TEST_CONFIG, { secret: "ключ-с-юникодом-и-длиной-больше-32-байт", issuer: "iss ✓", audience: "aud/ü", lifetimeSeconds: 60 }];

  it("writes the issuer's exact bytes for valid claims", async () => {
    let compared = 0;
    const signIns = [{}, { amr: ["pwd"], authTime: 0 }, { amr: ["hwk", "user", "mfa"], authTime: TEST_NOW - 600 }, { amr: ["fed"] }];
    for (const config of configs) {
      for (const subject of subjects) {
        for (const iat of [0, TEST_NOW, TEST_NOW + 12345]) {
          for (const signIn of signIns) {
            const authTime = "authTime" in signIn ? Math.min(signIn.authTime, iat) : undefined;
            const issuerSubject = { ...subject, amr: signIn.amr, authTime: authTime === undefined ? null : new Date(authTime * 1000) };
            const { token } = await issueBackendToken(issuerSubject, config, new Date(iat * 1000), "AAECAwQFBgcICQoLDA0ODw");
            expect(mintTestToken({ config, ...subject, amr: signIn.amr, authTime, iat, jti: "AAECAwQFBgcICQoLDA0ODw" })).toBe(token);
            compared += 1;
          }
        }
      }
    }
    expect(compared).toBe(configs.length * subjects.length * 3 * signIns.length);
  });

  it("agrees with the issuer on the header and the claim order", () => {
    expect(CONTRACT_HEADER).toEqual(HEADER);
    expect([...CONTRACT_CLAIM_ORDER]).toEqual([...CLAIM_ORDER]);
  });

  it("makes a fresh jti when none is given, as the issuer does", () => {
    const a = decodeJwt(mintTestToken({ config: TEST_CONFIG, userId: "u", sessionId: "s", iat: TEST_NOW }));
    const b = decodeJwt(mintTestToken({ config: TEST_CONFIG, userId: "u", sessionId: "s", iat: TEST_NOW }));
    expect(a.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.jti).not.toBe(b.jti);
  });

  it("writes what the issuer never would: dropped, extra and mistyped claims, other headers, keys and MACs", () => {
    const good = { config: TEST_CONFIG, userId: "u", sessionId: "s", iat: TEST_NOW, jti: "j" };
    const payload = JSON.parse(segmentText(mintTestToken({ ...good, claims: { sub: undefined, exp: "soon", nbf: 1 } }), 1)) as object;
    expect(Object.keys(payload)).toEqual(["iss", "aud", "iat", "exp", "jti", "sid", "nbf"]);
    expect(payload).toMatchObject({ exp: "soon", nbf: 1 });
    expect(segmentText(mintTestToken({ ...good, header: '{"alg":"none","alg":"HS256"}' }), 0)).toBe('{"alg":"none","alg":"HS256"}');
    expect(mintTestToken({ ...good, key: null })).toMatch(/^[\w-]+\.[\w-]+\.$/);
    expect(mintTestToken({ ...good, mac: "HS512" }).split(".")[2]).toHaveLength(86); // 64 bytes
    expect(mintTestToken({ ...good, key: "another-secret" })).not.toBe(mintTestToken(good));
  });
});

describe("contracts/jwt/vectors.json", () => {
  const file = committed();
  const valid = file.cases.filter((c) => c.expect === "valid");

  it("is up to date with the issuer (run `npm run gen:vectors -w frontend` if not)", async () => {
    expect(firstDifference(await buildVectors(), file)).toBeNull();
  });

  it("detects a stale file", async () => {
    const stale = structuredClone(file);
    const victim = stale.cases.find((c) => c.expect === "valid")!;
    victim.token = victim.token.replace(/.$/, (ch) => (ch === "A" ? "B" : "A"));
    expect(firstDifference(await buildVectors(), stale)).toBe(`case ${victim.name} differs`);
  });

  it.each(valid.map((c) => [c.name, c] as const))("the test minter reproduces %s byte for byte", (_name, vector) => {
    const claims = decodeJwt(vector.token);
    const config = { secret: file.secret, issuer: file.issuer, audience: file.audience, lifetimeSeconds: file.lifetime_seconds };
    const subject = { userId: String(claims.sub), sessionId: String(claims.sid), amr: claims.amr as string[] | undefined, authTime: claims.auth_time as number | undefined };
    expect(mintTestToken({ config, ...subject, iat: Number(claims.iat), jti: String(claims.jti) })).toBe(vector.token);
  });

  it("has unique names and only contract outcomes", () => {
    const names = file.cases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const outcomes = new Set(["valid", "MALFORMED_TOKEN", "INVALID_SIGNATURE", "TOKEN_EXPIRED", "INVALID_CLAIMS", "TOKEN_REVOKED"]);
    for (const c of file.cases) expect(outcomes.has(c.expect)).toBe(true);
    expect(valid.length).toBeGreaterThanOrEqual(5);
  });

  it("is counted truly in contracts/jwt/README.md", () => {
    const count = (expect: string) => String(file.cases.filter((c) => c.expect === expect).length);
    const outcomes = ["MALFORMED_TOKEN", "INVALID_SIGNATURE", "TOKEN_EXPIRED", "INVALID_CLAIMS"].map((code) => `${count(code)} ${code}`);
    const line = `${String(file.cases.length)} cases: ${count("valid")} valid, ${outcomes.join(", ")}.`;
    expect(readFileSync(path.join(path.dirname(VECTORS_FILE), "README.md"), "utf8")).toContain(line);
  });

  it("contains a Better Auth session_data JWT signed with the same secret, and it is refused", async () => {
    const c = file.cases.find((x) => x.name === "foreign-better-auth-session-data-cookie")!;
    expect(decodeProtectedHeader(c.token)).toEqual({ alg: "HS256" });
    await jwtVerify(c.token, new TextEncoder().encode(file.secret), { currentDate: new Date(file.now * 1000) }); // genuinely signed
    expect(c.expect).toBe("INVALID_CLAIMS"); // no typ at+jwt
  });
});
