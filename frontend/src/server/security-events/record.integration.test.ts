// recordEvent as the features that come call it (docs/security.md "Security activity"): the
// high-risk notices it mails, what it keeps of a detail, a failure that stays a log line, the
// retention's batches, and the page's query (a user's own rows, newest first, 20 a page). On the
// real test database and mail catcher. Needs `npm test`, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApp, authApp } from "@/test/auth-app";
import { captureConsole } from "@/test/console-capture";
import { ensureMailCatcher, mailsTo, waitForMail } from "@/test/mail-catcher";
import { observedPool } from "../db";
import { accountMail } from "../mail/account-mail";
import { smtpMailer } from "../mail/mailer";
import { ACTIVITY_PAGE_SIZE, activityPage, PAGE_QUERY, parseCursor } from "./activity";
import { AUTH_EVENT_TYPES, bindSecurityEvents, coarseNetwork, mailDevice, recordEvent, type SecurityEventSettings, storableDetail } from "./record";

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

let app: AuthApp;
let stopCatcher: () => void = () => undefined;
beforeAll(async () => {
  stopCatcher = await ensureMailCatcher();
  app = authApp();
});
afterAll(async () => {
  await app.close();
  stopCatcher();
});

/** A user row as Better Auth writes one; `verified`: the address is proven. */
async function user(name = "Grace Hopper", verified = true) {
  const id = randomUUID();
  const email = `events-${id}@example.test`;
  await app.pool.query('INSERT INTO "user" (id, name, email, email_verified) VALUES ($1, $2, $3, $4)', [id, name, email, verified]);
  return { id, email };
}

/** A database handle of its own (its own retention clock), bound like the app binds Better Auth's. */
function handle(settings: Partial<SecurityEventSettings> = {}) {
  const db = observedPool(app.pool);
  bindSecurityEvents(db, { trustedAddressHeaders: ["x-real-ip"], retentionDays: 365, mail: accountMail(app.env, smtpMailer(app.env)), ...settings });
  return db;
}

const request = (headers: Record<string, string>) => new Request(`${app.env.BETTER_AUTH_URL}/api/auth/anything`, { headers });
const rowsOf = async (userId: string) =>
  (await app.pool.query<{ type: string; method: string | null; network: string | null; user_agent: string | null; detail: Record<string, unknown> }>(
    "SELECT type, method, network::text AS network, user_agent, detail FROM auth_event WHERE user_id = $1 ORDER BY created_at, id",
    [userId],
  )).rows;

describe("the high-risk events mail the account", () => {
  it("a passkey added: to the proven address, by name, with the device in words and the way to the log", async () => {
    const grace = await user();
    const db = handle();
    await recordEvent(db, { userId: grace.id, type: "second-factor-enrolled", method: "totp" });
    await recordEvent(db, { userId: grace.id, type: "passkey-added", method: "passkey", request: request({ "user-agent": CHROME }) });
    const mail = await waitForMail(grace.email, /A passkey was added to your account/);
    expect(mail.text).toContain("Hi Grace Hopper,");
    expect(mail.text).toContain("It was done from Chrome 131 on Linux.");
    expect(mail.text).toContain(`${app.env.BETTER_AUTH_URL}/settings/activity`);
    expect(await mailsTo(grace.email)).toHaveLength(1); // the second factor's enrolment mails nothing
    expect((await rowsOf(grace.id)).map((r) => [r.type, r.method])).toEqual([
      ["second-factor-enrolled", "totp"],
      ["passkey-added", "passkey"],
    ]);
  });

  it("a second factor removed: an unproven address is named nobody, and an agent's own text never reaches the mail", async () => {
    const someone = await user("Call +1 555 0100 now", false);
    await recordEvent(handle(), { userId: someone.id, type: "second-factor-removed", method: "totp", request: request({ "user-agent": "Call +1 555 0100 now" }) });
    const mail = await waitForMail(someone.email, /A second factor was removed/);
    expect(mail.text).toContain("Hello,");
    expect(mail.text).toContain("It was done from an unrecognised browser or app.");
    expect(mail.text).not.toContain("555");
  });

  it("without a request the device is unknown; for a user that does not exist nothing is written or sent", async () => {
    const grace = await user();
    const db = handle();
    await recordEvent(db, { userId: grace.id, type: "second-factor-removed" });
    expect((await waitForMail(grace.email, /A second factor was removed/)).text).toContain("It was done from an unknown device.");
    const ghost = randomUUID();
    await recordEvent(db, { userId: ghost, type: "passkey-added" });
    expect((await app.pool.query("SELECT 1 FROM auth_event WHERE user_id = $1", [ghost])).rowCount).toBe(0);
  });
});

describe("what is kept, and what a failure costs", () => {
  it("a detail keeps short plain values: a key naming a secret dropped (a log line), an email masked, a long string cut", async () => {
    const warnings = captureConsole("warn");
    const ada = await user();
    await recordEvent(handle(), {
      userId: ada.id,
      type: "provider-linked",
      method: "github",
      detail: { provider: "github", email: "ada@example.org", password: "hunter2", accessToken: "gho_x", backupCodes: "a b c", long: "x".repeat(500), count: 2, primary: true, note: null },
    });
    const [row] = await rowsOf(ada.id);
    expect(row!.detail).toEqual({ provider: "github", email: "a…@example.org", long: "x".repeat(200), count: 2, primary: true, note: null });
    expect(warnings.lines()).toEqual([
      'security events: detail "password" not stored (it may hold a secret)',
      'security events: detail "accessToken" not stored (it may hold a secret)',
      'security events: detail "backupCodes" not stored (it may hold a secret)',
    ]);
    expect(storableDetail()).toEqual({});
  });

  it("never throws into the request: a refused insert is one log line", async () => {
    const warnings = captureConsole("warn");
    const ada = await user();
    // PostgreSQL refuses the NUL character in text: the insert fails, the caller carries on.
    await expect(recordEvent(handle(), { userId: ada.id, type: "sign-in", method: "pass\u0000word" })).resolves.toBeUndefined();
    expect(warnings.lines()).toEqual(["security events: could not record sign-in (22021)"]);
    expect(await rowsOf(ada.id)).toEqual([]);
  });

  it("a handle nobody bound records with the defaults: no place (no header is trusted) and no mail, a log line", async () => {
    const warnings = captureConsole("warn");
    const ada = await user();
    await recordEvent(observedPool(app.pool), { userId: ada.id, type: "passkey-added", request: request({ "x-real-ip": "203.0.113.9", "user-agent": CHROME }) });
    expect(await rowsOf(ada.id)).toEqual([expect.objectContaining({ type: "passkey-added", network: null, user_agent: CHROME })]);
    expect(warnings.lines()).toEqual(["security events: no mail configured for passkey-added"]);
  });

  it("the place is a network, never an address", async () => {
    const ada = await user();
    const db = handle();
    await recordEvent(db, { userId: ada.id, type: "sign-in", request: request({ "x-real-ip": "::ffff:198.51.100.200" }) });
    await recordEvent(db, { userId: ada.id, type: "sign-in", request: request({ "x-real-ip": "2001:0db8:0001:0002:0003::9" }) });
    await recordEvent(db, { userId: ada.id, type: "sign-in", request: request({ "x-real-ip": "198.51.100.1, 10.0.0.1" }) });
    expect((await rowsOf(ada.id)).map((r) => r.network)).toEqual(["198.51.100.0/24", "2001:db8:1::/48", null]);
    expect(coarseNetwork(null)).toBeNull();
    expect(mailDevice("curl/8.5.0")).toMatch(/^curl|unrecognised/);
  });

  it("every type the features to come will use is accepted by the table", async () => {
    const ada = await user();
    for (const type of AUTH_EVENT_TYPES) {
      if (type !== "passkey-added" && type !== "second-factor-removed") await recordEvent(handle({ mail: undefined }), { userId: ada.id, type });
    }
    expect((await rowsOf(ada.id)).map((r) => r.type)).toEqual(AUTH_EVENT_TYPES.filter((t) => t !== "passkey-added" && t !== "second-factor-removed"));
  });
});

describe("retention", () => {
  const oldRow = async (userId: string, days: number, type = "sign-in") =>
    app.pool.query(`INSERT INTO auth_event (user_id, type, created_at) VALUES ($1, $2, now() - make_interval(days => $3::int))`, [userId, type, days]);
  const ages = async (userId: string) =>
    (await app.pool.query<{ days: number }>("SELECT extract(day FROM now() - created_at)::int AS days FROM auth_event WHERE user_id = $1 ORDER BY created_at", [userId])).rows.map((r) => r.days);

  it("removes the rows older than the setting, a bounded batch at a time, from the recording path", async () => {
    const ada = await user();
    // Younger than the default 365 days, which every other handle (and test file) cleans with.
    for (const days of [100, 90, 80, 10]) await oldRow(ada.id, days);
    try {
      const db = handle({ retentionDays: 30, cleanup: { everySeconds: 3600, batch: 2 } });
      await recordEvent(db, { userId: ada.id, type: "sign-in" });
      // One batch of 2, the oldest first: 80 days is left for the next one.
      await expect.poll(() => ages(ada.id), { timeout: 5000 }).toEqual([80, 10, 0]);
    } finally {
      // Nothing older than a day is left for another run's oldest-first batch (the guard allows it).
      await app.pool.query("DELETE FROM auth_event WHERE user_id = $1 AND created_at < now() - interval '1 day'", [ada.id]);
    }
  });

  it("at most once per interval in a process; a batch the database refuses is a log line", async () => {
    const warnings = captureConsole("warn");
    const ada = await user();
    // retentionDays 0 would delete today's rows: the table's guard refuses the whole batch.
    const refused = { retentionDays: 0, cleanup: { everySeconds: 3600, batch: 1_000_000 } };
    const eager = handle(refused);
    await recordEvent(eager, { userId: ada.id, type: "sign-in" });
    await expect.poll(() => warnings.lines(), { timeout: 5000 }).toEqual(["security events: retention failed (23001)"]);
    await recordEvent(eager, { userId: ada.id, type: "sign-in" });
    // A second handle's first batch, refused for another reason (a negative LIMIT): by the time its
    // line is logged, the first handle's second recording has long had its turn, and started none.
    await recordEvent(handle({ ...refused, cleanup: { everySeconds: 3600, batch: -1 } }), { userId: ada.id, type: "sign-in" });
    await expect.poll(() => warnings.lines(), { timeout: 5000 }).toContain("security events: retention failed (2201W)");
    expect(warnings.lines()).toEqual(["security events: retention failed (23001)", "security events: retention failed (2201W)"]);
    expect(await rowsOf(ada.id)).toHaveLength(3);
  });
});

describe("the page's query", () => {
  it("a user's own rows only, newest first, 20 a page; another user's event id as the cursor shows nothing", async () => {
    const [ada, bob] = [await user("Ada"), await user("Bob")];
    const db = handle();
    for (let n = 1; n <= 25; n++) await recordEvent(db, { userId: ada.id, type: "sign-in", detail: { n } });
    await recordEvent(db, { userId: bob.id, type: "password-changed" });

    const first = await activityPage(app.pool, ada.id, null);
    expect(first.events.map((e) => e.detail.n)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    expect(first.events).toHaveLength(ACTIVITY_PAGE_SIZE);
    expect(first.older).toBe(first.events.at(-1)!.id);
    const second = await activityPage(app.pool, ada.id, first.older);
    expect(second.events.map((e) => e.detail.n)).toEqual([5, 4, 3, 2, 1]);
    expect(second.older).toBeNull();
    expect(second.events[0]).toMatchObject({ type: "sign-in", method: null, sessionId: null, userAgent: null, network: null });
    expect(Date.parse(second.events[0]!.createdAt)).toBeLessThanOrEqual(Date.parse(first.events.at(-1)!.createdAt));

    const bobs = await activityPage(app.pool, bob.id, null);
    expect(bobs.events.map((e) => e.type)).toEqual(["password-changed"]);
    expect(await activityPage(app.pool, ada.id, bobs.events[0]!.id)).toEqual({ events: [], older: null });
    expect((await activityPage(app.pool, bob.id, first.events[0]!.id)).events).toEqual([]);
  });

  it("reads the cursor from the query string strictly", () => {
    expect([parseCursor("42"), parseCursor("123456789012345678")]).toEqual(["42", "123456789012345678"]);
    for (const bad of [undefined, "", "0", "-1", "4.2", "abc", "1".repeat(19), ["42"], "42 "]) expect(parseCursor(bad)).toBeNull();
  });

  it("is served by the index (user_id, created_at DESC, id DESC)", async () => {
    const client = await app.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_seqscan = off");
      const { rows } = await client.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${PAGE_QUERY}`, [randomUUID(), "42", ACTIVITY_PAGE_SIZE + 1]);
      expect(JSON.stringify(rows[0]!["QUERY PLAN"])).toContain("auth_event_user_id_created_at_id_idx");
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});
