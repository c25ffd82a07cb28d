// Changing the email, attacked (docs/security.md "Changing the email"): each test is an attack that
// worked against Better Auth's own /change-email (stateless links, no password, no approval from the
// current address), run as the app runs it, on the real test database with real SMTP.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApp, authApp } from "@/test/auth-app";
import { captureConsole } from "@/test/console-capture";
import { ensureMailCatcher, linksOf, mailsTo, waitForMail, type CaughtMail } from "@/test/mail-catcher";

const PASSWORD = "Correct-Horse-9-battery";
const newEmail = (tag = "owner") => `${tag}-${randomUUID()}@example.test`;

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

/** A signed-up, confirmed user and a session cookie (what a stolen session would be). */
async function owner(name = "Owner Person") {
  const email = newEmail();
  const r = await app.post("/sign-up/email", { name, email, password: PASSWORD });
  expect(r.status).toBe(200);
  await app.pool.query('UPDATE "user" SET email_verified = true WHERE email = $1', [email]);
  return { email, cookie: r.cookie! };
}

const emailOf = async (email: string) => (await app.pool.query<{ email: string; email_verified: boolean }>('SELECT email, email_verified FROM "user" WHERE email = $1', [email])).rows[0];
const tokenOf = (mail: CaughtMail, intent?: string) => {
  const link = linksOf(mail).map((l) => new URL(l)).find((u) => u.pathname === "/email-change" && u.searchParams.get("intent") === (intent ?? null));
  expect(link, `a /email-change link in "${mail.subject}"`).toBeDefined();
  return link!.searchParams.get("token")!;
};

const approvals = async (email: string) => (await mailsTo(email)).filter((m) => /Approve the change/.test(m.subject));

/** Starts a change with the right password; the two tokens, from the two mails (the approval that was not there before). */
async function startChange(who: { email: string; cookie: string }, to = newEmail("new")) {
  const seen = new Set((await approvals(who.email)).map((m) => m.id));
  const asked = await app.post("/email-change/request", { newEmail: to, currentPassword: PASSWORD }, who.cookie);
  expect(asked.status).toBe(200);
  await expect.poll(async () => (await approvals(who.email)).filter((m) => !seen.has(m.id)).length, { timeout: 10_000 }).toBe(1);
  const current = tokenOf((await approvals(who.email)).find((m) => !seen.has(m.id))!);
  const confirm = tokenOf(await waitForMail(to, /Confirm this email address/));
  return { to, current, confirm };
}

describe("a stolen session cannot change the email", () => {
  it("without the current password: refused, nothing sent", async () => {
    const victim = await owner();
    const attacker = newEmail("attacker");
    const noPassword = await app.post("/email-change/request", { newEmail: attacker }, victim.cookie);
    expect(noPassword.status).toBe(400);
    expect(noPassword.body).toMatchObject({ code: "CURRENT_PASSWORD_REQUIRED" });
    const wrong = await app.post("/email-change/request", { newEmail: attacker, currentPassword: "Guessed-Horse-1" }, victim.cookie);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: "INVALID_PASSWORD" });
    expect(await mailsTo(attacker)).toEqual([]);
    expect(await emailOf(victim.email)).toMatchObject({ email: victim.email });
  });

  it("without a session at all: 401", async () => {
    expect((await app.post("/email-change/request", { newEmail: newEmail(), currentPassword: PASSWORD })).status).toBe(401);
  });

  it("Better Auth's own /change-email is switched off", async () => {
    const victim = await owner();
    expect((await app.post("/change-email", { newEmail: newEmail() }, victim.cookie)).status).toBe(404);
  });
});

describe("only both addresses together complete it", () => {
  it("the new address alone changes nothing; the current one alone neither; both do, once", async () => {
    const user = await owner();
    const { to, current, confirm } = await startChange(user);
    expect((await app.post("/email-change/confirm", { token: confirm })).body).toMatchObject({ outcome: "waiting" });
    expect(await emailOf(user.email)).toBeDefined();
    // A link says yes once.
    expect((await app.post("/email-change/confirm", { token: confirm })).status).toBe(400);
    // Each link is its own: the new address's token cannot stand in for the current one.
    expect((await app.post("/email-change/approve", { token: confirm })).status).toBe(400);
    const done = await app.post("/email-change/approve", { token: current });
    expect(done.body).toMatchObject({ outcome: "changed", newEmail: to });
    expect(await emailOf(user.email)).toBeUndefined();
    expect(await emailOf(to)).toEqual({ email: to, email_verified: true });
    await waitForMail(user.email, /Your email address was changed/);
    expect((await app.post("/sign-in/email", { email: to, password: PASSWORD })).status).toBe(200);
    expect((await app.post("/email-change/approve", { token: current })).status).toBe(400);
  });

  it("an address registered meanwhile: a clear answer, never a 500, and nothing changes", async () => {
    const user = await owner();
    const { to, current, confirm } = await startChange(user);
    expect((await app.post("/sign-up/email", { name: "Quick", email: to, password: PASSWORD })).status).toBe(200);
    await app.post("/email-change/confirm", { token: confirm });
    const answer = await app.post("/email-change/approve", { token: current });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ outcome: "taken" });
    expect(await emailOf(user.email)).toMatchObject({ email: user.email });
  });
});

describe("only both addresses together complete it: what changed meanwhile, and old links", () => {
  it("an account whose address moved on meanwhile: a clear answer, and nothing changes", async () => {
    const user = await owner();
    const { to, current, confirm } = await startChange(user);
    const elsewhere = newEmail("moved-on");
    await app.pool.query('UPDATE "user" SET email = $1 WHERE email = $2', [elsewhere, user.email]);
    await app.post("/email-change/confirm", { token: confirm });
    expect((await app.post("/email-change/approve", { token: current })).body).toMatchObject({ outcome: "stale" });
    expect(await emailOf(elsewhere)).toMatchObject({ email: elsewhere });
    expect(await emailOf(to)).toBeUndefined();
  });

  it("an address that already has an account: the same answer, and nothing is sent", async () => {
    const user = await owner();
    const taken = (await owner()).email;
    await waitForMail(taken, /Confirm your email/); // its own sign-up's mail, before counting
    const before = (await mailsTo(taken)).length;
    const answer = await app.post("/email-change/request", { newEmail: taken, currentPassword: PASSWORD }, user.cookie);
    expect(answer).toMatchObject({ status: 200, body: { status: true } });
    // A mail asked for afterwards arrives; the change's would have been sent before it.
    expect((await app.post("/request-password-reset", { email: taken, redirectTo: "/reset-password" })).status).toBe(200);
    await waitForMail(taken, /Reset your password/);
    expect((await mailsTo(taken)).map((m) => m.subject)).toHaveLength(before + 1);
    expect((await mailsTo(taken)).filter((m) => /Confirm this email address/.test(m.subject))).toEqual([]);
  });

  it("an expired link changes nothing", async () => {
    const user = await owner();
    const { current, confirm } = await startChange(user);
    await app.pool.query("UPDATE email_change SET expires_at = now() - interval '1 second' WHERE old_email = $1", [user.email]);
    expect((await app.post("/email-change/confirm", { token: confirm })).status).toBe(400);
    expect((await app.post("/email-change/approve", { token: current })).status).toBe(400);
    expect(await emailOf(user.email)).toMatchObject({ email: user.email });
  });
});

describe("the owner takes it back", () => {
  it("a password reset voids the pending change (the attack: a stolen session's link survived the reset)", async () => {
    const victim = await owner();
    const { current, confirm } = await startChange(victim);
    // The victim resets the password through the emailed link.
    const asked = Date.now();
    expect((await app.post("/request-password-reset", { email: victim.email, redirectTo: "/reset-password" })).status).toBe(200);
    const resetMail = await waitForMail(victim.email, /Reset your password/);
    expect(Date.parse(resetMail.time)).toBeGreaterThanOrEqual(Math.floor(asked / 1000) * 1000);
    const resetToken = new URL(linksOf(resetMail)[0]!).searchParams.get("token")!;
    expect((await app.post("/reset-password", { token: resetToken, newPassword: "Victims-New-Horse-4" })).status).toBe(200);
    // The pending links are dead; the address stays the victim's.
    expect((await app.post("/email-change/confirm", { token: confirm })).status).toBe(400);
    expect((await app.post("/email-change/approve", { token: current })).status).toBe(400);
    expect(await emailOf(victim.email)).toMatchObject({ email: victim.email });
  });

  it("a password change and sign-out everywhere void it too", async () => {
    const user = await owner();
    const first = await startChange(user);
    const changed = await app.post("/change-password", { currentPassword: PASSWORD, newPassword: "Other-Horse-7-staple" }, user.cookie);
    expect(changed.status).toBe(200);
    expect((await app.post("/email-change/confirm", { token: first.confirm })).status).toBe(400);

    const again = await owner();
    const second = await startChange(again);
    expect((await app.post("/revoke-sessions", {}, again.cookie)).status).toBe(200);
    expect((await app.post("/email-change/confirm", { token: second.confirm })).status).toBe(400);
  });

  it('"this wasn\'t me" cancels it and ends every session, the stolen one included', async () => {
    const victim = await owner();
    const stolen = (await app.post("/sign-in/email", { email: victim.email, password: PASSWORD })).cookie!;
    const asked = await app.post("/email-change/request", { newEmail: newEmail("attacker"), currentPassword: PASSWORD }, stolen);
    expect(asked.status).toBe(200);
    const mail = await waitForMail(victim.email, /Approve the change/);
    const cancel = tokenOf(mail, "cancel");
    expect(tokenOf(mail)).toBe(cancel); // the same link, opened with the intent to cancel
    expect((await app.post("/email-change/cancel", { token: cancel })).status).toBe(200);
    expect((await app.get("/token", stolen)).status).toBe(401);
    expect((await app.get("/token", victim.cookie)).status).toBe(401);
    expect((await app.post("/email-change/approve", { token: cancel })).status).toBe(400);
    expect((await app.post("/email-change/cancel", { token: cancel })).status).toBe(400);
  });

  it("a newer request voids the older one", async () => {
    const user = await owner();
    const older = await startChange(user);
    const newer = await startChange(user);
    expect((await app.post("/email-change/confirm", { token: older.confirm })).status).toBe(400);
    expect((await app.post("/email-change/confirm", { token: newer.confirm })).status).toBe(200);
  });

  it("the new address's link cannot cancel the change", async () => {
    const user = await owner();
    const { confirm } = await startChange(user);
    expect((await app.post("/email-change/cancel", { token: confirm })).status).toBe(400);
    expect((await app.get("/token", user.cookie)).status).toBe(200);
  });
});

describe("mail that cannot be turned against anyone", () => {
  it("the new address's mail names nobody; the current address's names its owner", async () => {
    const user = await owner("Call +1 555 0100 now");
    const { to } = await startChange(user);
    const toNew = await waitForMail(to, /Confirm this email address/);
    expect(toNew.text).not.toContain("555 0100");
    expect(toNew.text).toMatch(/^Hello,/m);
    expect((await waitForMail(user.email, /Approve the change/)).text).toContain("Hi Call +1 555 0100 now,");
  });

  it("a flood of changes to one address from many accounts reaches it a few times an hour at most", async () => {
    const target = newEmail("flooded");
    const budget = app.env.AUTH_RATE_LIMIT_MAIL_PER_RECIPIENT_PER_HOUR;
    const senders = await Promise.all(Array.from({ length: budget + 3 }, () => owner()));
    const warnings = captureConsole("warn");
    for (const s of senders) {
      expect((await app.post("/email-change/request", { newEmail: target, currentPassword: PASSWORD }, s.cookie)).status).toBe(200);
    }
    // Every send has been decided once the three over budget are logged as not sent.
    const refusals = () => warnings.lines().filter((l) => /new-address confirmation to f…@example\.test not sent: this address's budget/.test(l)).length;
    await expect.poll(refusals, { timeout: 10_000 }).toBe(3);
    await expect.poll(async () => (await mailsTo(target)).length, { timeout: 10_000 }).toBe(budget);
  });

  it("a name that is a link is refused where it is written", async () => {
    const r = await app.post("/sign-up/email", { name: "Visit evil.example now", email: newEmail(), password: PASSWORD });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: "NAME_LINK", field: "name" });
  });
});
