// The issuer against the contract: exact header and claim bytes, and every valid vector of
// contracts/jwt/vectors.json re-issued byte for byte. Imports the package by its name: in the repository
// that is src/ (vitest.config.ts), under `npm run compat` the installed tarball's dist/.
import { decodeJwt, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { CLAIM_ORDER, DEFAULT_LIFETIME_SECONDS, HEADER, issueBackendToken, newTokenId, REQUIRED_CLAIMS, sessionSubject } from "@authbridge/better-auth";
import { readVectors } from "./vectors";

const segmentText = (token: string, i: number) => Buffer.from(token.split(".")[i] ?? "", "base64url").toString("utf8");

const NOW_SECONDS = 1767225600; // 2026-01-01T00:00:00Z
const CONFIG = {
  secret: "authbridge-contract-vectors-test-secret-0123456789",
  issuer: "authbridge-frontend",
  audience: "authbridge-backend",
  lifetimeSeconds: DEFAULT_LIFETIME_SECONDS,
};

const subject = { userId: "usr_1", sessionId: "ses_1" };
const now = new Date(NOW_SECONDS * 1000 + 999); // sub-second part is dropped

describe("issueBackendToken: the header, the claims and the signature", () => {
  it("writes the header exactly as the contract says", async () => {
    const { token } = await issueBackendToken(subject, CONFIG, now, "jti");
    expect(segmentText(token, 0)).toBe('{"alg":"HS256","typ":"at+jwt"}');
    expect(JSON.stringify(HEADER)).toBe('{"alg":"HS256","typ":"at+jwt"}');
  });

  it("writes the claims in contract order with exp = iat + lifetime and no PII", async () => {
    const { token, expiresAt, claims } = await issueBackendToken(subject, CONFIG, now, "jti");
    const payload = JSON.parse(segmentText(token, 1)) as Record<string, unknown>;
    expect(Object.keys(payload)).toEqual([...REQUIRED_CLAIMS]); // a subject without amr and authTime
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
});

describe("issueBackendToken: how and when the user signed in, and what it refuses", () => {
  it("writes how and when the user signed in after sid: amr, then auth_time", async () => {
    const signedIn = new Date((NOW_SECONDS - 90) * 1000 + 750);
    const { token, claims } = await issueBackendToken({ ...subject, amr: ["pwd", "otp", "mfa"], authTime: signedIn }, CONFIG, now, "jti");
    const payload = JSON.parse(segmentText(token, 1)) as Record<string, unknown>;
    expect(Object.keys(payload)).toEqual([...CLAIM_ORDER]);
    expect(payload).toMatchObject({ sid: "ses_1", amr: ["pwd", "otp", "mfa"], auth_time: NOW_SECONDS - 90 });
    expect(claims).toEqual(payload);
    expect(segmentText(token, 1)).toContain('"sid":"ses_1","amr":["pwd","otp","mfa"],"auth_time":1767225510}');
  });

  it("leaves out an empty or missing amr and a missing authTime", async () => {
    for (const extra of [{ amr: [] }, { amr: null, authTime: null }, {}]) {
      const { claims } = await issueBackendToken({ ...subject, ...extra }, CONFIG, now, "jti");
      expect(Object.keys(claims)).toEqual([...REQUIRED_CLAIMS]);
    }
    const { claims } = await issueBackendToken({ ...subject, authTime: new Date(0) }, CONFIG, now, "jti");
    expect(Object.keys(claims)).toEqual([...REQUIRED_CLAIMS, "auth_time"]);
    expect(claims.auth_time).toBe(0);
  });

  it("never states a sign-in after the token: an authTime ahead of the clock is written as iat", async () => {
    const { claims } = await issueBackendToken({ ...subject, authTime: new Date((NOW_SECONDS + 5) * 1000) }, CONFIG, now, "jti");
    expect(claims.auth_time).toBe(NOW_SECONDS);
    expect(claims.auth_time).toBe(claims.iat);
  });

  it("refuses an amr the verifier would refuse, and a date that is not one", async () => {
    const message = "issueBackendToken: amr must be at most 8 strings of 1 to 32 characters";
    for (const amr of [["m", "m", "m", "m", "m", "m", "m", "m", "m"], [""], ["x".repeat(33)], [7], "pwd"]) {
      await expect(issueBackendToken({ ...subject, amr: amr as string[] }, CONFIG, now)).rejects.toThrow(message);
    }
    await expect(issueBackendToken({ ...subject, amr: ["m", "m", "m", "m", "m", "m", "m", "x".repeat(32)] }, CONFIG, now)).resolves.toBeTruthy();
    await expect(issueBackendToken({ ...subject, authTime: new Date("soon") }, CONFIG, now)).rejects.toThrow("issueBackendToken: authTime is not a valid date");
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

describe("sessionSubject", () => {
  const at = new Date("2026-01-01T00:00:00Z");
  it("takes the session's amr and authTime, else its createdAt", () => {
    expect(sessionSubject({ user: { id: "u" }, session: { id: "s", amr: ["fed"], authTime: at, createdAt: new Date(0) } })).toEqual({ userId: "u", sessionId: "s", amr: ["fed"], authTime: at });
    expect(sessionSubject({ user: { id: "u" }, session: { id: "s", createdAt: at } })).toEqual({ userId: "u", sessionId: "s", amr: null, authTime: at });
    expect(sessionSubject({ user: { id: "u" }, session: { id: "s", authTime: null, createdAt: at.toISOString() } }).authTime).toEqual(at);
    expect(sessionSubject({ user: { id: "u" }, session: { id: "s", authTime: at.getTime() } }).authTime).toEqual(at);
  });

  it("ignores what is not a list or not a date", () => {
    const odd = { id: "s", amr: "pwd" as unknown as string[], authTime: "yesterday", createdAt: "never" };
    expect(sessionSubject({ user: { id: "u" }, session: odd })).toEqual({ userId: "u", sessionId: "s", amr: null, authTime: null });
    expect(sessionSubject({ user: { id: "u" }, session: { id: "s" } })).toEqual({ userId: "u", sessionId: "s", amr: null, authTime: null });
  });
});

describe("contracts/jwt/vectors.json", () => {
  const file = readVectors();
  const config = { secret: file.secret, issuer: file.issuer, audience: file.audience, lifetimeSeconds: file.lifetime_seconds };
  const reissue = async (token: string, secret: string) => {
    const claims = decodeJwt(token);
    const subject = {
      userId: String(claims.sub),
      sessionId: String(claims.sid),
      amr: (claims.amr as string[] | undefined) ?? null,
      authTime: typeof claims.auth_time === "number" ? new Date(claims.auth_time * 1000) : null,
    };
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
