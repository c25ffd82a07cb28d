// Verification by email, as the app runs it (route handler + throttle + Better Auth with verification on,
// the product default) on the real TLS test database, with real SMTP into the test mail catcher
// (src/test/mail-catcher.ts): verification links (use, reuse, expiry, tampering), new links on request and
// their throttle, and the enumeration-safe sign-up (same status and body, timing within noise over several
// samples). The reset, the deletion and a mail server that is down: account-recovery.integration.test.ts.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { captureConsole } from "@/test/console-capture";
import { linksOf, mailsTo, waitForMail } from "@/test/mail-catcher";
import { type Answer, baseEnv, main, median, NEW_PASSWORD, newEmail, PASSWORD, roomy, shape, signUp, tokenOf } from "@/test/account-mail-app";
import { verificationLinkProblem } from "./verification-link";

describe("email verification", () => {
  it("sign-up signs nobody in and mails one link (HTML and text, product name) to the public URL", async () => {
    const { email, answer } = await signUp();
    expect(answer.cookie).toBeUndefined();
    expect(answer.body).toMatchObject({ token: null, user: { email, emailVerified: false } });
    const mail = await waitForMail(email, /Confirm your email/);
    expect(mail.from[0]).toMatchObject({ address: expect.any(String) });
    expect(mail.html).toContain("authbridge");
    expect(mail.text).toContain("authbridge");
    expect(mail.text).toContain("60 minutes");
    tokenOf(mail, "/verify-email");
  });

  it("refuses to sign in before the email is verified (only with the right password), then signs in after", async () => {
    const { email } = await signUp();
    const wrong = await main.post("/sign-in/email", { email, password: NEW_PASSWORD });
    expect(wrong.status).toBe(401);
    const early = await main.post("/sign-in/email", { email, password: PASSWORD });
    expect(early.status).toBe(403);
    expect(early.body).toMatchObject({ code: "EMAIL_NOT_VERIFIED" });
    expect(early.cookie).toBeUndefined();

    const token = tokenOf(await waitForMail(email, /Confirm your email/), "/verify-email");
    expect(await verificationLinkProblem(token, baseEnv.BETTER_AUTH_SECRET, main.pool)).toBeNull();
    const verified = await main.post("/verify-address/with-password", { token, password: PASSWORD });
    expect(verified.status).toBe(200);
    expect(verified.cookie).toMatch(/session_token=/); // the link with the password signs the user in
    expect((await main.get("/token", verified.cookie)).status).toBe(200);
    expect((await main.post("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  });
});

describe("email verification links: broken ones named, new ones on request", () => {
  it("names a used, expired, tampered or foreign link, so the page can offer a new one", async () => {
    const { email } = await signUp();
    const token = tokenOf(await waitForMail(email, /Confirm your email/), "/verify-email");
    const secret = baseEnv.BETTER_AUTH_SECRET;
    const [head, payload, signature] = token.split(".");
    const flipped = `${head}.${payload}.${signature!.startsWith("A") ? "B" : "A"}${signature!.slice(1)}`;
    expect(await verificationLinkProblem(flipped, secret, main.pool)).toBe("invalid");
    expect(await verificationLinkProblem("not-a-token", secret, main.pool)).toBe("invalid");
    const userId = (await main.pool.query<{ id: string }>('SELECT id FROM "user" WHERE email = $1', [email])).rows[0]!.id;
    const key = new TextEncoder().encode(secret);
    const expired = await new SignJWT({ email, userId }).setProtectedHeader({ alg: "HS256" }).setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 3600).sign(key);
    expect(await verificationLinkProblem(expired, secret, main.pool)).toBe("expired");
    const foreign = await new SignJWT({ email, userId }).setProtectedHeader({ alg: "HS256" }).setExpirationTime("1h").sign(new TextEncoder().encode(`${secret}-other`));
    expect(await verificationLinkProblem(foreign, secret, main.pool)).toBe("invalid");

    // A tampered link is refused and signs nobody in; the real one works once.
    const refused = await main.post("/verify-address/with-password", { token: flipped, password: PASSWORD });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: "INVALID_TOKEN" });
    expect(refused.cookie).toBeUndefined();
    expect((await main.post("/verify-address/with-password", { token, password: PASSWORD })).status).toBe(200);
    expect(await verificationLinkProblem(token, secret, main.pool)).toBe("used");
  });

  it("resends a link on request, the same answer for any address, and throttles per address", async () => {
    const { email } = await signUp();
    await waitForMail(email, /Confirm your email/);
    const before = (await mailsTo(email)).length;
    const known = await main.post("/send-verification-email", { email, callbackURL: "/dashboard" });
    const unknown = await main.post("/send-verification-email", { email: newEmail("nobody"), callbackURL: "/dashboard" });
    expect([known.status, unknown.status]).toEqual([200, 200]);
    expect(known.body).toEqual(unknown.body);
    await expect.poll(async () => (await mailsTo(email)).length).toBe(before + 1);
    const limit = baseEnv.AUTH_RATE_LIMIT_MAIL_PER_EMAIL_PER_HOUR;
    for (let i = 1; i < limit; i++) expect((await main.post("/send-verification-email", { email })).status).toBe(200);
    const limited = await main.post("/send-verification-email", { email });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: "RATE_LIMITED" });
  });
});

describe("a sign-up that reveals nothing", () => {
  it("answers an existing email like a new one (status, body, time) and tells the owner", async () => {
    const { email: existing } = await signUp(newEmail("owner"), roomy);
    const samples = 6;
    const taken: Answer[] = [];
    const fresh: Answer[] = [];
    for (let i = 0; i < samples; i++) {
      taken.push(await roomy.post("/sign-up/email", { name: "Ada Lovelace", email: existing, password: PASSWORD }));
      fresh.push(await roomy.post("/sign-up/email", { name: "Ada Lovelace", email: newEmail("fresh"), password: PASSWORD }));
    }
    for (const [t, f] of taken.map((t, i) => [t, fresh[i]!] as const)) {
      expect(t.status).toBe(200);
      expect(f.status).toBe(200);
      expect(Object.keys(t.body!.user as object).sort()).toEqual(Object.keys(f.body!.user as object).sort());
      expect({ ...shape(t.body), user: { ...shape(t.body).user, email: "…" } }).toEqual({ ...shape(f.body), user: { ...shape(f.body).user, email: "…" } });
    }
    const [mt, mf] = [median(taken.map((a) => a.ms)), median(fresh.map((a) => a.ms))];
    // Both hash the password (the cost that dominates); the new account's few inserts are noise.
    expect(Math.abs(mt - mf), `medians: existing ${mt.toFixed(1)} ms, new ${mf.toFixed(1)} ms`).toBeLessThan(Math.max(25, 0.3 * Math.max(mt, mf)));
    const notice = await waitForMail(existing, /You already have an account/);
    expect(new URL(linksOf(notice)[0]!).pathname).toBe("/forgot-password");
    expect((await mailsTo(existing)).filter((m) => /Confirm your email/.test(m.subject))).toHaveLength(1);
  });

  it("answers concurrent sign-ups with one email alike: 200 each, one user", async () => {
    const errors = captureConsole("error"); // Better Auth logs each unique violation it lost
    const email = newEmail("racer");
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => roomy.post("/sign-up/email", { name: `Racer ${i}`, email, password: PASSWORD })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(errors.lines().every((l) => !l.includes("auth: unexpected error"))).toBe(true);
    const keys = new Set(answers.map((a) => JSON.stringify(Object.keys(a.body!.user as object).sort())));
    expect(keys.size).toBe(1);
    expect(answers.every((a) => a.body!.token === null && (a.body!.user as { email: string }).email === email)).toBe(true);
    const { rows } = await roomy.pool.query('SELECT count(*)::int AS n FROM "user" WHERE email = $1', [email]);
    expect(rows[0]).toEqual({ n: 1 });
  });
});
