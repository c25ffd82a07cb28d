// Links die with the password, and deletion always re-authenticates (docs/security.md "Links die with
// the password", "Deleting the account"), each test written as the attack that worked before.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApp, authApp } from "@/test/auth-app";
import { ensureMailCatcher, linksOf, mailsTo, waitForMail } from "@/test/mail-catcher";

const PASSWORD = "Correct-Horse-9-battery";
const newEmail = () => `links-${randomUUID()}@example.test`;

let app: AuthApp;
let stopCatcher: () => void = () => undefined;
beforeAll(async () => {
  stopCatcher = await ensureMailCatcher();
  app = authApp({ REQUIRE_EMAIL_VERIFICATION: "false" });
});
afterAll(async () => {
  await app.close();
  stopCatcher();
});

async function user() {
  const email = newEmail();
  const r = await app.post("/sign-up/email", { name: "Link Holder", email, password: PASSWORD });
  expect(r.status).toBe(200);
  return { email, cookie: r.cookie! };
}

const resetMails = async (email: string) => (await mailsTo(email)).filter((m) => /Reset your password/.test(m.subject));

/** Asks for a reset link and returns its token: the one reset mail that was not there before. */
async function resetToken(email: string): Promise<string> {
  const seen = new Set((await resetMails(email)).map((m) => m.id));
  expect((await app.post("/request-password-reset", { email, redirectTo: "/reset-password" })).status).toBe(200);
  await expect.poll(async () => (await resetMails(email)).filter((m) => !seen.has(m.id)).length, { timeout: 10_000 }).toBe(1);
  const mail = (await resetMails(email)).find((m) => !seen.has(m.id))!;
  return new URL(linksOf(mail)[0]!).searchParams.get("token")!;
}

const resetRows = async (email: string) =>
  Number(
    (
      await app.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM verification WHERE identifier LIKE 'reset-password:%' AND value = (SELECT id FROM "user" WHERE email = $1)`,
        [email],
      )
    ).rows[0]!.n,
  );

describe("reset links", () => {
  it("an older link dies when a newer one is asked for", async () => {
    const { email } = await user();
    const older = await resetToken(email);
    await expect.poll(() => resetRows(email)).toBe(1);
    const newer = await resetToken(email);
    // The older row is removed after the newer request's answer (so a known address answers as fast as an unknown one).
    await expect.poll(() => resetRows(email)).toBe(1);
    expect((await app.post("/reset-password", { token: older, newPassword: "Older-Link-Horse-5" })).status).toBe(400);
    expect((await app.post("/reset-password", { token: newer, newPassword: "Newer-Link-Horse-6" })).status).toBe(200);
  });

  it("a link dies when the password is changed", async () => {
    const { email, cookie } = await user();
    const token = await resetToken(email);
    expect((await app.post("/change-password", { currentPassword: PASSWORD, newPassword: "Changed-Horse-7-staple" }, cookie)).status).toBe(200);
    expect((await app.post("/reset-password", { token, newPassword: "Attackers-Horse-3-key" })).status).toBe(400);
    expect((await app.post("/sign-in/email", { email, password: "Changed-Horse-7-staple" })).status).toBe(200);
  });

  it("a reset proves the address: the account is confirmed", async () => {
    const { email } = await user();
    expect((await app.post("/reset-password", { token: await resetToken(email), newPassword: "Proven-Horse-2-owner" })).status).toBe(200);
    const { rows } = await app.pool.query<{ email_verified: boolean }>('SELECT email_verified FROM "user" WHERE email = $1', [email]);
    expect(rows[0]!.email_verified).toBe(true);
  });
});

describe("deletion", () => {
  it("needs the current password or an emailed link, even from a session a minute old", async () => {
    const { email, cookie } = await user();
    const bare = await app.post("/delete-user", {}, cookie);
    expect(bare.status).toBe(403);
    expect(bare.body).toMatchObject({ code: "REAUTHENTICATION_REQUIRED" });
    expect((await app.post("/delete-user", { password: "" }, cookie)).status).toBe(403);
    expect((await app.get("/token", cookie)).status).toBe(200); // still there
    expect((await app.post("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  });

  it("an emailed deletion link dies with a password reset", async () => {
    const { email, cookie } = await user();
    const asked = Date.now();
    expect((await app.post("/delete-user/request-link", {}, cookie)).status).toBe(200);
    const mail = await waitForMail(email, /Confirm the deletion/);
    expect(Date.parse(mail.time)).toBeGreaterThanOrEqual(Math.floor(asked / 1000) * 1000);
    const deletion = new URL(linksOf(mail)[0]!).searchParams.get("token")!;
    expect((await app.post("/reset-password", { token: await resetToken(email), newPassword: "Keep-My-Horse-1-acct" })).status).toBe(200);
    const fresh = (await app.post("/sign-in/email", { email, password: "Keep-My-Horse-1-acct" })).cookie!;
    const r = await app.post("/delete-user", { token: deletion }, fresh);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: "INVALID_TOKEN" });
    expect((await app.get("/token", fresh)).status).toBe(200);
  });
});
