// A forgotten password and a deleted account by email, as the app runs it (route handler + throttle +
// Better Auth with verification on) on the real TLS test database, with real SMTP into the test mail
// catcher (src/test/mail-catcher.ts): the enumeration-safe reset (same status, body and time), its
// single-use link and its end of every session, the deletion's link, and a mail server that is down.
// Verification: account-mail.integration.test.ts. Needs the test database: `npm test` from the repo
// root, or `source .dev/test-env.sh`.
import type { Pool } from "pg";
import { describe, expect, it } from "vitest";
import { captureConsole } from "@/test/console-capture";
import { linksOf, mailsTo, waitForMail } from "@/test/mail-catcher";
import { type Answer, app, base, main, median, NEW_PASSWORD, newEmail, PASSWORD, tokenOf, verifiedUser } from "@/test/account-mail-app";

describe("forgotten password", () => {
  it("answers known and unknown emails alike (status, body, time)", async () => {
    const { email } = await verifiedUser();
    const known: Answer[] = [];
    const unknown: Answer[] = [];
    const wide = app({ AUTH_RATE_LIMIT_MAIL_PER_EMAIL_PER_HOUR: "1000" });
    for (let i = 0; i < 6; i++) {
      known.push(await wide.post("/request-password-reset", { email }));
      unknown.push(await wide.post("/request-password-reset", { email: newEmail("nobody") }));
    }
    for (const a of [...known, ...unknown]) {
      expect(a.status).toBe(200);
      expect(a.body).toEqual(known[0]!.body);
    }
    const [mk, mu] = [median(known.map((a) => a.ms)), median(unknown.map((a) => a.ms))];
    expect(Math.abs(mk - mu), `medians: known ${mk.toFixed(1)} ms, unknown ${mu.toFixed(1)} ms`).toBeLessThan(25);
  });

  it("mails a single-use link; the reset ends every session and sends a notice", async () => {
    const { email, cookie } = await verifiedUser();
    const second = await main.post("/sign-in/email", { email, password: PASSWORD });
    expect((await main.post("/request-password-reset", { email })).status).toBe(200);
    const mail = await waitForMail(email, /Reset your password/);
    const token = tokenOf(mail, "/reset-password");
    expect(mail.text).toContain("60 minutes");

    const weak = await main.post("/reset-password", { token, newPassword: "short" });
    expect(weak.status).toBe(422); // the password policy, and the link stays good
    const reset = await main.post("/reset-password", { token, newPassword: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    for (const c of [cookie, second.cookie!]) expect((await main.get("/token", c)).status).toBe(401);
    // Every session before it is gone; the one left is the reset's own, in this browser (reset-sign-in.ts).
    const { rows } = await main.pool.query('SELECT count(*)::int AS n FROM session s JOIN "user" u ON u.id = s.user_id WHERE u.email = $1', [email]);
    expect(rows[0]).toEqual({ n: 1 });
    expect((await main.get("/token", reset.cookie!)).status).toBe(200);
    const again = await main.post("/reset-password", { token, newPassword: "Third-Horse-5-staple" });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: "INVALID_TOKEN" });
    expect((await main.post("/sign-in/email", { email, password: NEW_PASSWORD })).status).toBe(200);
    await waitForMail(email, /Your password was changed/);
  });
});

describe("forgotten password: tokens refused, and the notice after a change", () => {
  it("refuses an expired or made-up token", async () => {
    const { email } = await verifiedUser();
    await main.post("/request-password-reset", { email });
    const token = tokenOf(await waitForMail(email, /Reset your password/), "/reset-password");
    expect((await main.post("/reset-password", { token: `${token}x`, newPassword: NEW_PASSWORD })).body).toMatchObject({ code: "INVALID_TOKEN" });
    await main.pool.query("UPDATE verification SET expires_at = now() - interval '1 second' WHERE identifier = $1", [`reset-password:${token}`]);
    const expired = await main.post("/reset-password", { token, newPassword: NEW_PASSWORD });
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({ code: "INVALID_TOKEN" });
  });

  it("sends a notice after a change of password too", async () => {
    const { email, cookie } = await verifiedUser();
    const changed = await main.post("/change-password", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeOtherSessions: true }, cookie);
    expect(changed.status).toBe(200);
    const notice = await waitForMail(email, /Your password was changed/);
    expect(notice.text).toContain("changed from your settings");
  });
});

describe("deleting the account", () => {
  const rowsOf = async (pool: Pool, email: string) => {
    const { rows } = await pool.query<{ users: number; sessions: number; tasks: number }>(
      `SELECT (SELECT count(*)::int FROM "user" WHERE email = $1) AS users,
              (SELECT count(*)::int FROM session s JOIN "user" u ON u.id = s.user_id WHERE u.email = $1) AS sessions,
              (SELECT count(*)::int FROM task t JOIN "user" u ON u.id = t.user_id WHERE u.email = $1) AS tasks`,
      [email],
    );
    return rows[0]!;
  };
  const withTask = async (email: string) => {
    await main.pool.query(`INSERT INTO task (id, user_id, title) SELECT gen_random_uuid(), id, 'kept?' FROM "user" WHERE email = $1`, [email]);
  };

  it("needs the current password; then the user, their sessions and tasks are gone, and a goodbye email follows", async () => {
    const { email, cookie } = await verifiedUser();
    await withTask(email);
    const wrong = await main.post("/delete-user", { password: NEW_PASSWORD }, cookie);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: "INVALID_PASSWORD" });
    expect(await rowsOf(main.pool, email)).toEqual({ users: 1, sessions: 1, tasks: 1 });
    const userId = (await main.pool.query<{ id: string }>('SELECT id FROM "user" WHERE email = $1', [email])).rows[0]!.id;

    const deleted = await main.post("/delete-user", { password: PASSWORD }, cookie);
    expect(deleted.status).toBe(200);
    const { rows } = await main.pool.query(
      "SELECT (SELECT count(*)::int FROM session WHERE user_id = $1) + (SELECT count(*)::int FROM task WHERE user_id = $1) + (SELECT count(*)::int FROM account WHERE user_id = $1) AS n",
      [userId],
    );
    expect(rows[0]).toEqual({ n: 0 });
    expect((await rowsOf(main.pool, email)).users).toBe(0);
    expect((await main.get("/token", cookie)).status).toBe(401);
    await waitForMail(email, /Your account was deleted/);
  });

  it("or a fresh email link: single use, and refused once expired", async () => {
    const { email, cookie } = await verifiedUser();
    await withTask(email);
    expect((await main.post("/delete-user/request-link", {}, cookie)).status).toBe(200);
    const stale = new URL(linksOf(await waitForMail(email, /Confirm the deletion/))[0]!);
    expect(stale.origin + stale.pathname).toBe(`${base}/settings/danger`);
    const staleToken = stale.searchParams.get("token")!;
    await main.pool.query("UPDATE verification SET expires_at = now() - interval '1 second' WHERE identifier = $1", [`delete-account-${staleToken}`]);
    const expired = await main.post("/delete-user", { token: staleToken }, cookie);
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({ code: "INVALID_TOKEN" });
    expect((await main.post("/delete-user", { token: "made-up" }, cookie)).body).toMatchObject({ code: "INVALID_TOKEN" });
    expect((await rowsOf(main.pool, email)).users).toBe(1);

    const seen = new Set((await mailsTo(email)).map((m) => m.id));
    expect((await main.post("/delete-user/request-link", {}, cookie)).status).toBe(200);
    await expect.poll(async () => (await mailsTo(email)).filter((m) => !seen.has(m.id)).length).toBe(1);
    const token = tokenOf((await mailsTo(email)).find((m) => !seen.has(m.id))!, "/settings/danger");
    expect(token).not.toBe(staleToken);
    expect((await main.post("/delete-user", { token }, cookie)).status).toBe(200);
    expect(await rowsOf(main.pool, email)).toEqual({ users: 0, sessions: 0, tasks: 0 });
    expect((await main.post("/delete-user", { token }, cookie)).body).toMatchObject({ code: "INVALID_TOKEN" }); // used up
  });
});

describe("a mail server that is down", () => {
  it("never fails or slows the request; the failure is logged with its cause", async () => {
    const errors = captureConsole("error");
    const down = app({ SMTP_URL: "smtp://127.0.0.1:9" }); // discard port: nothing listens
    const email = newEmail("outage");
    const r = await down.post("/sign-up/email", { name: "Ada Lovelace", email, password: PASSWORD });
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(2000);
    expect((await down.post("/request-password-reset", { email })).status).toBe(200);
    await expect.poll(() => errors.lines().filter((l) => l.startsWith("mail: could not send")).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    expect(errors.lines().find((l) => l.startsWith("mail: could not send"))).toMatch(/^mail: could not send a verification email to o…@example\.test: .*ECONNREFUSED 127\.0\.0\.1:9/);
  });
});

