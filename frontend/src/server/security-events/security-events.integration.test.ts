// The security activity log (docs/security.md "Security activity"): each event recorded by its real
// flow through the app's /api/auth/* (route handler + throttle + Better Auth), on the real test
// database and mail catcher; nothing secret in any row; the table refuses UPDATE; the retention
// removes old rows; the page's query shows a user their own rows only.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { type AuthApp, authApp } from "@/test/auth-app";
import { captureConsole } from "@/test/console-capture";
import { ensureMailCatcher, linksOf, mailsTo, SMTP_URL, waitForMail } from "@/test/mail-catcher";
import { startTcpProxy } from "@/test/tcp-proxy";
import { authOptions } from "../auth-options";
import { authRouteHandler } from "../auth-route";
import { createPool, poolConfigFor } from "../db";
import { authThrottle } from "../throttle";

const PASSWORD = "Correct-Horse-9-battery";
const NEW_PASSWORD = "Another-Horse-7-staple";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const newEmail = (tag = "activity") => `${tag}-${randomUUID()}@example.test`;

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

interface EventRow {
  type: string;
  method: string | null;
  session_id: string | null;
  user_agent: string | null;
  network: string | null;
  detail: Record<string, unknown>;
}

const userIdOf = async (email: string) => (await app.pool.query<{ id: string }>('SELECT id FROM "user" WHERE email = $1', [email])).rows[0]!.id;
const eventsOf = async (userId: string, type?: string) =>
  (
    await app.pool.query<EventRow>(
      "SELECT type, method, session_id, user_agent, network::text AS network, detail FROM auth_event WHERE user_id = $1 AND ($2::text IS NULL OR type = $2) ORDER BY created_at, id",
      [userId, type ?? null],
    )
  ).rows;
const sessionIds = async (userId: string) => (await app.pool.query<{ id: string }>("SELECT id FROM session WHERE user_id = $1 ORDER BY created_at", [userId])).rows.map((r) => r.id);

/** A signed-up user (signed in at once: the default mode) and its session cookie. */
async function signedUp(name = "Ada Lovelace") {
  const email = newEmail();
  const r = await app.post("/sign-up/email", { name, email, password: PASSWORD });
  expect(r.status).toBe(200);
  return { email, cookie: r.cookie!, userId: await userIdOf(email) };
}

/**
 * The app's /api/auth/* for requests with headers of the test's choice (a browser's User-Agent, the
 * address a proxy sets): what src/test/auth-app.ts builds, with `headers` passed through.
 */
function appWithHeaders(envOverrides: Record<string, string>, databaseUrl?: string) {
  const env = parseServerEnv({ ...process.env, SMTP_URL, REQUIRE_EMAIL_VERIFICATION: "false", ...envOverrides });
  const pool = createPool(poolConfigFor(databaseUrl ?? env.DATABASE_URL, env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT) : undefined));
  const handle = authRouteHandler(authThrottle(betterAuth(authOptions(env, pool)), pool, env), { publicUrl: env.BETTER_AUTH_URL });
  const post = async (path: string, body: unknown, headers: Record<string, string>) => {
    const res = await handle(
      new Request(`${env.BETTER_AUTH_URL}/api/auth${path}`, {
        method: "POST",
        headers: { origin: env.BETTER_AUTH_URL, "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      }),
    );
    return { status: res.status, text: await res.text(), headers: [...res.headers].filter(([name]) => name !== "date" && name !== "set-cookie") };
  };
  return { post, close: () => pool.end() };
}

describe("each sign-in and sign-up event is recorded by its real flow", () => {
  it("sign-up and sign-in: how, in which session, from which device, and only the network of a trusted address", async () => {
    const proxied = appWithHeaders({ AUTH_TRUSTED_IP_HEADER: "x-real-ip" });
    try {
      const email = newEmail();
      expect((await proxied.post("/sign-up/email", { name: "Ada", email, password: PASSWORD }, { "user-agent": CHROME, "x-real-ip": "203.0.113.77" })).status).toBe(200);
      expect((await proxied.post("/sign-in/email", { email, password: PASSWORD }, { "user-agent": CHROME, "x-real-ip": "2001:db8:aaaa:bbbb::1" })).status).toBe(200);
      // Without a trusted header, a client-sent address is nobody's business: no place.
      expect((await app.post("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
      const userId = await userIdOf(email);
      const [signUp, signIn, untrusted] = await eventsOf(userId);
      const sessions = await sessionIds(userId);
      expect(signUp).toEqual({ type: "account-created", method: "password", session_id: sessions[0], user_agent: CHROME, network: "203.0.113.0/24", detail: {} });
      expect(signIn).toEqual({ type: "sign-in", method: "password", session_id: sessions[1], user_agent: CHROME, network: "2001:db8:aaaa::/48", detail: {} });
      expect(untrusted).toMatchObject({ type: "sign-in", session_id: sessions[2], user_agent: null, network: null });
    } finally {
      await proxied.close();
    }
  });

  it("a failed sign-in: recorded for an existing account, after an answer that is the same as for an unknown one", async () => {
    const probe = appWithHeaders({});
    const warnings = captureConsole("warn");
    try {
      const { email, userId } = await signedUp();
      const unknownEmail = newEmail("nobody");
      const known = await probe.post("/sign-in/email", { email, password: "Wrong-Horse-1-guess" }, { "user-agent": `probe-${userId}` });
      const unknown = await probe.post("/sign-in/email", { email: unknownEmail, password: "Wrong-Horse-1-guess" }, { "user-agent": `probe-${unknownEmail}` });
      expect(known.status).toBe(401);
      expect({ ...unknown }).toEqual({ ...known });
      await expect.poll(async () => (await eventsOf(userId, "sign-in-failed")).length, { timeout: 5000 }).toBe(1);
      expect((await eventsOf(userId, "sign-in-failed"))[0]).toMatchObject({ method: "password", user_agent: `probe-${userId}`, session_id: null, detail: {} });
      // The unknown email's attempt (sent after the known one's, so handled by now) wrote no row at all.
      const stray = await app.pool.query("SELECT 1 FROM auth_event WHERE user_agent = $1", [`probe-${unknownEmail}`]);
      expect(stray.rowCount).toBe(0);
      // Better Auth's own lines; nothing of ours (no failure to record).
      expect(warnings.lines().map((l) => l.replace(/^.*\]:\S* /, ""))).toEqual(["Invalid password", "User not found"]);
    } finally {
      await probe.close();
    }
  });
});

describe("a sign-in that did not happen records nothing", () => {
  it("a sign-in the database cut short records nothing, and says nothing of its own", async () => {
    const target = new URL(app.env.DATABASE_URL);
    const proxy = await startTcpProxy(target.hostname, Number(target.port));
    const through = new URL(app.env.DATABASE_URL);
    through.port = String(proxy.port);
    const cuttable = appWithHeaders({}, through.toString());
    const warnings = captureConsole("warn");
    captureConsole("error"); // Better Auth's own line for the refused connection
    try {
      const { email, userId } = await signedUp();
      await cuttable.post("/sign-in/email", { email, password: PASSWORD }, {}); // a live connection, then the cut drops it
      await proxy.cut();
      expect((await cuttable.post("/sign-in/email", { email, password: "Wrong-Horse-1-guess" }, {})).status).toBe(503);
      await proxy.restore();
      expect((await cuttable.post("/sign-in/email", { email, password: "Wrong-Horse-1-guess" }, {})).status).toBe(401);
      await expect.poll(async () => (await eventsOf(userId, "sign-in-failed")).length, { timeout: 5000 }).toBe(1);
      // Only the refusal after the cut is a failed sign-in; the one during it never reached a password check.
      expect(warnings.lines().filter((l) => l.startsWith("security events:"))).toEqual([]);
    } finally {
      await cuttable.close();
      await proxy.close();
    }
  });
});

describe("each event of a changed credential or email is recorded by its real flow", () => {
  it("a password change, in its new session", async () => {
    const { cookie, userId } = await signedUp();
    const changed = await app.post("/change-password", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeOtherSessions: true }, cookie);
    expect(changed.status).toBe(200);
    const [session] = await sessionIds(userId);
    expect(await eventsOf(userId, "password-changed")).toEqual([expect.objectContaining({ method: "password", session_id: session })]);
    // A refused change is no change.
    expect((await app.post("/change-password", { currentPassword: PASSWORD, newPassword: "Third-Horse-5-staple" }, changed.cookie)).status).toBe(400);
    expect(await eventsOf(userId, "password-changed")).toHaveLength(1);
  });

  it("a password reset through the emailed link, and the session it signs in", async () => {
    const { email, userId } = await signedUp();
    expect((await app.post("/request-password-reset", { email })).status).toBe(200);
    const link = linksOf(await waitForMail(email, /Reset your password/)).map((l) => new URL(l)).find((u) => u.pathname === "/reset-password")!;
    const reset = await app.post("/reset-password", { token: link.searchParams.get("token"), newPassword: NEW_PASSWORD });
    expect(reset.body).toMatchObject({ status: true, signedIn: true });
    expect(await eventsOf(userId, "password-reset")).toEqual([expect.objectContaining({ method: "email", session_id: (await sessionIds(userId))[0] })]);
    // A spent link resets nothing more.
    expect((await app.post("/reset-password", { token: link.searchParams.get("token"), newPassword: "Third-Horse-5-staple" })).status).toBe(400);
    expect(await eventsOf(userId, "password-reset")).toHaveLength(1);
  });

  it("a change of email: asked for (the new address masked), then done, recorded and mailed once", async () => {
    const { email, cookie, userId } = await signedUp();
    await app.pool.query('UPDATE "user" SET email_verified = true WHERE id = $1', [userId]);
    const to = newEmail("moved");
    expect((await app.post("/email-change/request", { newEmail: to, currentPassword: PASSWORD }, cookie)).status).toBe(200);
    const tokenIn = async (address: string, subject: RegExp) =>
      linksOf(await waitForMail(address, subject)).map((l) => new URL(l)).find((u) => u.pathname === "/email-change" && !u.searchParams.has("intent"))!.searchParams.get("token")!;
    const [current, confirm] = [await tokenIn(email, /Approve the change/), await tokenIn(to, /Confirm this email address/)];
    const [asked] = await eventsOf(userId, "email-change-requested");
    expect(asked).toMatchObject({ session_id: (await sessionIds(userId))[0], detail: { to: `${to[0]}…@example.test` } });
    expect((await app.post("/email-change/confirm", { token: confirm })).body).toMatchObject({ outcome: "waiting" });
    expect(await eventsOf(userId, "email-changed")).toEqual([]);
    expect((await app.post("/email-change/approve", { token: current })).body).toMatchObject({ outcome: "changed" });
    expect(await eventsOf(userId, "email-changed")).toEqual([
      expect.objectContaining({ method: "email", detail: { from: `${email[0]}…@example.test`, to: `${to[0]}…@example.test` } }),
    ]);
    await waitForMail(email, /Your email address was changed/);
    expect((await mailsTo(email)).filter((m) => /Your email address was changed/.test(m.subject))).toHaveLength(1);
  });
});

describe("each event of a session or an address is recorded by its real flow", () => {
  it("sessions revoked: one, the others, everywhere", async () => {
    const { email, cookie, userId } = await signedUp();
    const second = await app.post("/sign-in/email", { email, password: PASSWORD });
    await app.post("/sign-in/email", { email, password: PASSWORD });
    const [first, , thirdId] = await sessionIds(userId);
    const thirdToken = (await app.pool.query<{ token: string }>("SELECT token FROM session WHERE id = $1", [thirdId])).rows[0]!.token;
    // From the first session: the third one; from the second: every other (the first); then from a new one: all.
    expect((await app.post("/revoke-session", { token: thirdToken }, cookie)).status).toBe(200);
    expect((await app.post("/revoke-other-sessions", {}, second.cookie)).status).toBe(200);
    const last = await app.post("/sign-in/email", { email, password: PASSWORD });
    expect((await app.post("/revoke-sessions", {}, last.cookie)).status).toBe(200);
    expect(await sessionIds(userId)).toEqual([]);
    const revoked = await eventsOf(userId, "sessions-revoked");
    expect(revoked.map((e) => [e.detail.scope, e.session_id === first])).toEqual([
      ["one", true],
      ["others", false],
      ["everywhere", false],
    ]);
    // Without a session nothing is revoked, and nothing recorded.
    expect((await app.post("/revoke-sessions", {})).status).toBe(401);
    expect(await eventsOf(userId, "sessions-revoked")).toHaveLength(3);
  });

  it("the address confirmed by a link, with the proof that confirmed it", async () => {
    const a = await signedUp();
    const tokenOf = async (email: string) => new URL(linksOf(await waitForMail(email, /Confirm your email/))[0]!).searchParams.get("token")!;
    expect((await app.post("/verify-address/with-session", { token: await tokenOf(a.email) }, a.cookie)).status).toBe(200);
    expect(await eventsOf(a.userId, "account-confirmed")).toEqual([expect.objectContaining({ method: "email", session_id: null, detail: { proof: "session" } })]);

    const b = await signedUp();
    const owner = await app.post("/verify-address/with-new-password", { token: await tokenOf(b.email), newPassword: NEW_PASSWORD });
    expect(owner.status).toBe(200);
    expect(await eventsOf(b.userId, "account-confirmed")).toEqual([expect.objectContaining({ session_id: (await sessionIds(b.userId))[0], detail: { proof: "new-password" } })]);
    // A refused link confirms nothing.
    expect((await app.post("/verify-address/with-password", { token: await tokenOf(b.email), password: "Wrong-Horse-1-guess" })).status).toBe(400);
    expect(await eventsOf(b.userId, "account-confirmed")).toHaveLength(1);
  });
});

describe("what a row never holds, and what the table refuses", () => {
  it("no token, password, hash, link or whole address of anyone in any row of a user's whole history", async () => {
    const proxied = appWithHeaders({ AUTH_TRUSTED_IP_HEADER: "x-real-ip" });
    captureConsole("warn"); // Better Auth's "Invalid password"
    try {
      const { email, cookie, userId } = await signedUp();
      await proxied.post("/sign-in/email", { email, password: "Wrong-Horse-1-guess" }, { "x-real-ip": "198.51.100.23" });
      await expect.poll(async () => (await eventsOf(userId, "sign-in-failed")).length, { timeout: 5000 }).toBe(1);
      const to = newEmail("elsewhere");
      await app.post("/email-change/request", { newEmail: to, currentPassword: PASSWORD }, cookie);
      const changed = await app.post("/change-password", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeOtherSessions: true }, cookie);
      await app.post("/request-password-reset", { email });
      const resetLink = linksOf(await waitForMail(email, /Reset your password/)).find((l) => l.includes("/reset-password"))!;
      const reset = await app.post("/reset-password", { token: new URL(resetLink).searchParams.get("token"), newPassword: PASSWORD });
      expect((await app.post("/revoke-sessions", {}, reset.cookie)).status).toBe(200);

      const stored = JSON.stringify((await app.pool.query("SELECT * FROM auth_event WHERE user_id = $1", [userId])).rows);
      expect((await eventsOf(userId)).map((e) => e.type)).toEqual([
        "account-created", "sign-in-failed", "email-change-requested", "password-changed", "password-reset", "sessions-revoked",
      ]);
      const hash = (await app.pool.query<{ password: string }>("SELECT password FROM account WHERE user_id = $1", [userId])).rows[0]!.password;
      const secrets = [PASSWORD, NEW_PASSWORD, hash, hash.split(":")[0]!, cookie.split("=")[1]!.split(".")[0]!, changed.cookie!.split("=")[1]!.split(".")[0]!, new URL(resetLink).searchParams.get("token")!, email, to, "198.51.100.23"];
      for (const secret of secrets) expect(stored).not.toContain(secret);
      expect(stored).toContain("198.51.100.0/24");
    } finally {
      await proxied.close();
    }
  });

  it("refuses an UPDATE of any row, from the app's own connection", async () => {
    const { userId } = await signedUp();
    await expect(app.pool.query("UPDATE auth_event SET type = 'sign-in' WHERE user_id = $1", [userId])).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(app.pool.query("DELETE FROM auth_event WHERE user_id = $1", [userId])).rejects.toThrow(/append-only/);
    expect(await eventsOf(userId)).toEqual([expect.objectContaining({ type: "account-created" })]);
  });

  it("a deleted account takes its history with it", async () => {
    const { cookie, userId } = await signedUp();
    expect((await app.post("/delete-user", { password: PASSWORD }, cookie)).status).toBe(200);
    expect(await eventsOf(userId)).toEqual([]);
  });
});
