// Password reset links (docs/security.md "Forgotten password"): /reset-password reads the link before
// anyone types a password (reset-link.ts: valid, expired, gone, invalid, each as Better Auth itself
// then answers), and a reset that works signs the browser in (reset-sign-in.ts), but never switches a
// browser signed in to another account. On the real TLS test database and the test mail catcher.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApp, authApp } from "@/test/auth-app";
import { linksOf, mailsTo } from "@/test/mail-catcher";
import { readResetLink } from "./reset-link";

const PASSWORD = "Correct-Horse-9-battery";
const NEW_PASSWORD = "Brand-New-Horse-8-reset";

let app: AuthApp;
beforeAll(() => {
  app = authApp({ REQUIRE_EMAIL_VERIFICATION: "false" });
});
afterAll(() => app.close());

async function user(label = "reset") {
  const email = `${label}-${randomUUID()}@example.test`;
  const r = await app.post("/sign-up/email", { name: "Reset Holder", email, password: PASSWORD });
  expect(r.status).toBe(200);
  const { rows } = await app.pool.query<{ id: string }>('SELECT id FROM "user" WHERE email = $1', [email]);
  return { email, id: rows[0]!.id, cookie: r.cookie! };
}

const resetMails = async (email: string) => (await mailsTo(email)).filter((m) => /Reset your password/.test(m.subject));

/** Asks for a reset link and returns its token (the one reset mail that was not there before). */
async function resetToken(email: string): Promise<string> {
  const seen = new Set((await resetMails(email)).map((m) => m.id));
  expect((await app.post("/request-password-reset", { email, redirectTo: "/reset-password" })).status).toBe(200);
  await expect.poll(async () => (await resetMails(email)).filter((m) => !seen.has(m.id)).length, { timeout: 10_000 }).toBe(1);
  const mail = (await resetMails(email)).find((m) => !seen.has(m.id))!;
  return new URL(linksOf(mail)[0]!).searchParams.get("token")!;
}

const sessionsOf = async (userId: string) =>
  Number((await app.pool.query<{ n: string }>("SELECT count(*) AS n FROM session WHERE user_id = $1", [userId])).rows[0]!.n);

/** Whose session a cookie carries now, or null. */
const whoIs = async (cookie: string) => ((await app.get("/get-session", cookie)).body as { user?: { id: string } } | null)?.user?.id ?? null;

describe("the link, read as the page opens", () => {
  it("a fresh link is valid, for its account; once used it is gone, and Better Auth agrees", async () => {
    const { email, id } = await user();
    const token = await resetToken(email);
    expect(await readResetLink(app.pool, token)).toEqual({ state: "valid", userId: id, email });
    expect((await app.post("/reset-password", { token, newPassword: NEW_PASSWORD })).status).toBe(200);
    expect(await readResetLink(app.pool, token)).toEqual({ state: "gone" });
    expect((await app.post("/reset-password", { token, newPassword: "Another-Horse-7-later" })).status).toBe(400);
  });

  it("a link past its hour is expired (its address known for a new one), and Better Auth refuses it too", async () => {
    const { email } = await user();
    const token = await resetToken(email);
    expect(await readResetLink(app.pool, token, new Date(Date.now() + 61 * 60 * 1000))).toEqual({ state: "expired", email });
    await app.pool.query("UPDATE verification SET expires_at = now() - interval '1 second' WHERE identifier = $1", [`reset-password:${token}`]);
    expect(await readResetLink(app.pool, token)).toEqual({ state: "expired", email });
    const r = await app.post("/reset-password", { token, newPassword: NEW_PASSWORD });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: "INVALID_TOKEN" });
  });

  it("a link replaced by a newer one is gone; a well-formed token nobody issued is gone", async () => {
    const { email } = await user();
    const older = await resetToken(email);
    await resetToken(email);
    await expect.poll(() => readResetLink(app.pool, older)).toEqual({ state: "gone" });
    expect(await readResetLink(app.pool, "A".repeat(24))).toEqual({ state: "gone" });
  });

  it("a cut-short or altered token is invalid, without a query", async () => {
    const { email } = await user();
    const token = await resetToken(email);
    for (const bad of ["", token.slice(0, 23), `${token}x`, `${token.slice(0, 23)}-`, `${token.slice(0, 23)}%`, "reset-password:x"]) {
      expect(await readResetLink(app.pool, bad), bad).toEqual({ state: "invalid" });
    }
  });
});

describe("a reset signs in", () => {
  it("answers with a new session for this browser; every session before it is gone", async () => {
    const { email, id, cookie: old } = await user();
    const elsewhere = (await app.post("/sign-in/email", { email, password: PASSWORD })).cookie!;
    expect(await sessionsOf(id)).toBe(2);
    const r = await app.post("/reset-password", { token: await resetToken(email), newPassword: NEW_PASSWORD });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: true, signedIn: true });
    expect(r.cookie).toMatch(/^better-auth\.session_token=/);
    expect(await whoIs(r.cookie!)).toBe(id);
    expect(await whoIs(old)).toBeNull();
    expect(await whoIs(elsewhere)).toBeNull();
    expect(await sessionsOf(id)).toBe(1);
    // The new password is the one that works.
    expect((await app.post("/sign-in/email", { email, password: PASSWORD })).status).toBe(401);
    expect((await app.post("/sign-in/email", { email, password: NEW_PASSWORD })).status).toBe(200);
  });

  it("signs in a browser whose own session the reset ended, and takes the token from the query too", async () => {
    const { email, id, cookie } = await user();
    const token = await resetToken(email);
    const r = await app.post(`/reset-password?token=${token}`, { newPassword: NEW_PASSWORD }, cookie);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: true, signedIn: true });
    expect(await whoIs(r.cookie!)).toBe(id);
    expect(await whoIs(cookie)).toBeNull();
  });
});

describe("a reset and a browser signed in to another account, or to nobody", () => {
  it("never switches a browser signed in to another account: the password changes, the browser stays who it was", async () => {
    const victim = await user("victim");
    const owner = await user("owner");
    const token = await resetToken(owner.email);
    const r = await app.post("/reset-password", { token, newPassword: NEW_PASSWORD }, victim.cookie);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: true, signedIn: false });
    expect(r.cookie).toBeUndefined();
    expect(await whoIs(victim.cookie)).toBe(victim.id);
    expect(await sessionsOf(owner.id)).toBe(0);
    expect((await app.post("/sign-in/email", { email: owner.email, password: NEW_PASSWORD })).status).toBe(200);
  });

  it("a browser holding another account's session that has expired is signed in to the link's account", async () => {
    const stale = await user("stale");
    const owner = await user("owner");
    await app.pool.query("UPDATE session SET expires_at = now() - interval '1 minute' WHERE user_id = $1", [stale.id]);
    const r = await app.post("/reset-password", { token: await resetToken(owner.email), newPassword: NEW_PASSWORD }, stale.cookie);
    expect(r.body).toEqual({ status: true, signedIn: true });
    expect(await whoIs(r.cookie!)).toBe(owner.id);
  });

  it("a refused reset signs nobody in", async () => {
    const { email, id } = await user();
    const token = await resetToken(email);
    const weak = await app.post("/reset-password", { token, newPassword: "short" });
    expect(weak.status).toBeGreaterThanOrEqual(400);
    expect(weak.cookie).toBeUndefined();
    const unknown = await app.post("/reset-password", { token: "B".repeat(24), newPassword: NEW_PASSWORD });
    expect(unknown.status).toBe(400);
    expect(unknown.cookie).toBeUndefined();
    const none = await app.post("/reset-password", { newPassword: NEW_PASSWORD });
    expect(none.status).toBe(400);
    expect(none.cookie).toBeUndefined();
    expect(await sessionsOf(id)).toBe(1); // only the sign-up's
  });
});
