// The issuer against the contract: exact header and claim bytes, and every valid vector of
// contracts/jwt/vectors.json re-issued byte for byte. Imports the package by its name: in the repository
// that is src/ (vitest.config.ts), under `npm run compat` the installed tarball's dist/.
import { decodeJwt, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { CLAIM_ORDER, DEFAULT_LIFETIME_SECONDS, HEADER, issueBackendToken, newTokenId } from "@authbridge/better-auth";
import { readVectors } from "./vectors";

const segmentText = (token: string, i: number) => Buffer.from(token.split(".")[i] ?? "", "base64url").toString("utf8");

const NOW_SECONDS = 1767225600; // 2026-01-01T00:00:00Z
const CONFIG = {
  secret: "authbridge-contract-vectors-test-secret-0123456789",
  issuer: "authbridge-frontend",
  audience: "authbridge-backend",
  lifetimeSeconds: DEFAULT_LIFETIME_SECONDS,
};

describe("issueBackendToken", () => {
  const subject = { userId: "usr_1", sessionId: "ses_1" };
  const now = new Date(NOW_SECONDS * 1000 + 999); // sub-second part is dropped

  it("writes the header exactly as the contract says", async () => {
    const { token } = await issueBackendToken(subject, CONFIG, now, "jti");
    expect(segmentText(token, 0)).toBe('{"alg":"HS256","typ":"at+jwt"}');
    expect(JSON.stringify(HEADER)).toBe('{"alg":"HS256","typ":"at+jwt"}');
  });

  it("writes the claims in contract order with exp = iat + lifetime and no PII", async () => {
    const { token, expiresAt, claims } = await issueBackendToken(subject, CONFIG, now, "jti");
    const payload = JSON.parse(segmentText(token, 1)) as Record<string, unknown>;
    expect(Object.keys(payload)).toEqual([...CLAIM_ORDER]);
    expect(payload).toEqual({ iss: "authbridge-frontend", sub: "usr_1", aud: "authbridge-backend", iat: NOW_SECONDS, exp: NOW_SECONDS + 2592000, jti: "jti", sid: "ses_1" });
    expect(claims).toEqual(payload);
    expect(expiresAt).toBe(NOW_SECONDS + 2592000);
  });

  it("is deterministic for fixed inputs and verifies with jose as HS256 at+jwt", async () => {
    const a = await issueBackendToken(subject, CONFIG, now, "jti");
    const b = await issueBackendToken(subject, CONFIG, now, "jti");
    expect(a.token).toBe(b.token);
    const { payload } = await jwtVerify(a.token, new TextEncoder().encode(CONFIG.secret), {
      algorithms: ["HS256"], typ: "at+jwt", issuer: CONFIG.issuer, audience: CONFIG.audience, currentDate: now,
    });
    expect(payload.sub).toBe("usr_1");
    await expect(jwtVerify(a.token, new TextEncoder().encode(`${CONFIG.secret}!`), { currentDate: now })).rejects.toThrow("signature verification failed");
  });

  it("signs the UTF-8 bytes of a non-ASCII secret", async () => {
    const secret = "ключ-с-юникодом-и-длиной-больше-32-байт";
    const { token } = await issueBackendToken(subject, { ...CONFIG, secret }, now, "jti");
    await jwtVerify(token, Buffer.from(secret, "utf8"), { currentDate: now });
  });

  it("makes a fresh 128-bit base64url jti by default", async () => {
    expect(newTokenId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const a = await issueBackendToken(subject, CONFIG, now);
    const b = await issueBackendToken(subject, CONFIG, now);
    expect(decodeJwt(a.token).jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(decodeJwt(a.token).jti).not.toBe(decodeJwt(b.token).jti);
  });

  it("refuses to issue without a user or session id", async () => {
    const needsBoth = "issueBackendToken needs a user id and a session id";
    await expect(issueBackendToken({ userId: "", sessionId: "s" }, CONFIG, now)).rejects.toThrow(needsBoth);
    await expect(issueBackendToken({ userId: "u", sessionId: "" }, CONFIG, now)).rejects.toThrow(needsBoth);
  });

  it("refuses a lifetime that is not a positive whole number of seconds", async () => {
    for (const lifetimeSeconds of [0, -1, 1.5]) {
      await expect(issueBackendToken(subject, { ...CONFIG, lifetimeSeconds }, now)).rejects.toThrow("positive whole lifetime");
    }
  });
});

describe("contracts/jwt/vectors.json", () => {
  const file = readVectors();
  const config = { secret: file.secret, issuer: file.issuer, audience: file.audience, lifetimeSeconds: file.lifetime_seconds };
  const reissue = async (token: string, secret: string) => {
    const claims = decodeJwt(token);
    const subject = { userId: String(claims.sub), sessionId: String(claims.sid) };
    return (await issueBackendToken(subject, { ...config, secret }, new Date(Number(claims.iat) * 1000), String(claims.jti))).token;
  };

  const valid = file.cases.filter((c) => c.expect === "valid");
  it("has valid cases to replay", () => {
    expect(valid.length).toBeGreaterThanOrEqual(5);
  });

  it.each(valid.map((c) => [c.name, c] as const))("reproduces %s byte for byte", async (_name, vector) => {
    expect(await reissue(vector.token, file.secret)).toBe(vector.token);
  });

  it("reproduces the rotation cases it holds the key of, byte for byte", async () => {
    const byName = new Map(file.rotation.cases.map((c) => [c.name, c.token]));
    const old = byName.get("rotation-old-token-within-window")!;
    const fresh = byName.get("rotation-new-token-within-window")!;
    expect(await reissue(old, file.rotation.previous_secret)).toBe(old);
    expect(await reissue(fresh, file.secret)).toBe(fresh);
    expect(await reissue(old, file.secret)).not.toBe(old);
  });
});
