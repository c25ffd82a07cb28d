// Every SQL statement that signing in and managing an account sends to the database has an index to
// serve it: sign-in costs the same with a thousand users or a million (docs/benchmarks.md "Sign-in
// at scale", docs/architecture.md "Schema"). The endpoints the app uses are driven through the app's
// route handler, throttle and Better Auth with verification on (the product default), on the real TLS
// test database with the real mail catcher; every statement sent on the pool is captured, then
// planned again with its real parameters under `enable_seqscan = off`.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { Client, type Pool, type PoolClient } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { ensureMailCatcher, linksOf, SMTP_URL, waitForMail } from "@/test/mail-catcher";
import { authOptions } from "./auth-options";
import { authRouteHandler } from "./auth-route";
import { createPool, poolConfigFor } from "./db";
import { authThrottle } from "./throttle";
import { verificationLinkProblem } from "./mail/verification-link";

if (!process.env.DATABASE_URL) {
  throw new Error(
    "query-plans.integration needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

const env = parseServerEnv({ ...process.env, SMTP_URL, REQUIRE_EMAIL_VERIFICATION: "true" });
const poolConfig = poolConfigFor(env.DATABASE_URL, env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT) : undefined);
const base = env.BETTER_AUTH_URL;
const PASSWORD = "Correct-Horse-9-battery";
const PASSWORDS = ["Other-Horse-7-staple", "Third-Horse-5-battery"] as const;
const newEmail = (tag: string) => `plans-${tag}-${randomUUID()}@example.test`;

/** The tables whose every read, update and delete must go through an index. */
const INDEXED_TABLES = new Set(["user", "session", "account", "verification", "auth_throttle", "email_change"]);

// ---- the capture: every statement sent on the app's pool, with the step that sent it ----

interface Statement {
  step: string;
  sql: string;
  params: unknown[];
}

const captured: Statement[] = [];
let step = "setup";

/** Records every query a pool connection sends (pg-pool runs pool.query on the same clients). */
function capture(client: PoolClient): void {
  const send = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [first, second] = args;
    const text = typeof first === "string" ? first : (first as { text?: unknown } | null)?.text;
    const values = Array.isArray(second) ? second : ((first as { values?: unknown[] } | null)?.values ?? []);
    if (typeof text === "string") captured.push({ step, sql: text, params: [...values] });
    return send(...args);
  };
}

const pool: Pool = createPool(poolConfig);
pool.on("connect", capture);
const handle = authRouteHandler(authThrottle(betterAuth(authOptions(env, pool)), pool, env), { quietDuplicates: true });

// The test's own reads and writes (and the EXPLAINs) go on a connection of their own, never captured.
const admin = new Client(poolConfig);

// ---- requests ----

interface Answer {
  status: number;
  body: Record<string, unknown> | null;
  cookie?: string;
}

async function send(method: string, path: string, body?: unknown, cookie?: string): Promise<Answer> {
  const res = await handle(
    new Request(`${base}/api/auth${path}`, {
      method,
      headers: { origin: base, ...(body === undefined ? {} : { "content-type": "application/json" }), ...(cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
    }),
  );
  const raw = res.headers.getSetCookie().find((c) => c.includes("session_token=") && !/max-age=0/i.test(c));
  return { status: res.status, body: (await res.json().catch(() => null)) as Answer["body"], cookie: raw?.split(";")[0] };
}

/** Runs `fn` as the named step, and checks the status it answered. */
async function as<T extends { status: number }>(name: string, status: number, fn: () => Promise<T>): Promise<T> {
  step = name;
  const answer = await fn();
  expect(answer.status, name).toBe(status);
  return answer;
}
const post = (path: string, body: unknown, cookie?: string) => send("POST", path, body, cookie);
const get = (path: string, cookie?: string) => send("GET", path, undefined, cookie);

/** The session token in a `…session_token=<token>.<signature>` cookie. */
const sessionToken = (cookie: string) => decodeURIComponent(cookie.split("=")[1]!).split(".")[0]!;

/** The token of the single action link in the newest mail to `to` whose subject matches. */
async function linkToken(to: string, subject: RegExp): Promise<string> {
  const links = linksOf(await waitForMail(to, subject));
  expect(links).toHaveLength(1);
  return new URL(links[0]!).searchParams.get("token")!;
}

async function verified(email: string): Promise<string> {
  const token = await linkToken(email, /Confirm your email/);
  step = "verify-email page check"; // the page's own look-up before anything spends the link
  expect(await verificationLinkProblem(token, env.BETTER_AUTH_SECRET, pool)).toBeNull();
  const answer = await as("verify-address/with-password", 200, () => post("/verify-address/with-password", { token, password: PASSWORD }));
  return answer.cookie!;
}

/** The token of the change-of-email link in the newest mail to `to` whose subject matches. */
async function changeToken(to: string, subject: RegExp): Promise<string> {
  const link = linksOf(await waitForMail(to, subject)).map((l) => new URL(l)).find((u) => u.pathname === "/email-change" && !u.searchParams.has("intent"));
  return link!.searchParams.get("token")!;
}

// ---- the plans ----

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

/**
 * The scans of a plan that read a table of INDEXED_TABLES from end to end to find their rows: a Seq
 * Scan, or an index walked whole with a Filter (what the planner takes instead of a Seq Scan for an
 * ORDER BY it can read off an index). With enable_seqscan = off the planner keeps a Seq Scan only
 * when no index can serve the query at all, so one that remains names a missing index, whatever
 * the table's size or statistics. (A whole index read without a Filter is a join's other side,
 * e.g. a hash join on a primary key that a nested loop could probe instead: a choice of costs on
 * a small table, not a missing index.)
 */
function wholeTableScans(node: PlanNode): string[] {
  const table = node["Relation Name"];
  const own =
    table !== undefined && INDEXED_TABLES.has(table)
      ? node["Node Type"] === "Seq Scan"
        ? [`Seq Scan on ${table}`]
        : /Index/.test(node["Node Type"]) && node["Index Cond"] === undefined && node.Filter !== undefined
          ? [`${node["Node Type"]} on ${table} with a Filter and no index condition`]
          : []
      : [];
  return [...own, ...(node.Plans ?? []).flatMap(wholeTableScans)];
}

async function plan(sql: string, params: unknown[]): Promise<PlanNode> {
  const { rows } = await admin.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  return rows[0]!["QUERY PLAN"][0]!.Plan;
}

/** Every table a plan reads or writes. */
const tablesOf = (node: PlanNode): string[] => [...(node["Relation Name"] ? [node["Relation Name"]] : []), ...(node.Plans ?? []).flatMap(tablesOf)];

const isPlannable = (sql: string) => /^\s*(select|insert|update|delete|with)\b/i.test(sql);

// ---- the journeys ----

const users = { ada: newEmail("ada"), moved: newEmail("moved"), bob: newEmail("bob"), nobody: newEmail("nobody") };

let stopCatcher: () => void = () => undefined;
beforeAll(async () => {
  stopCatcher = await ensureMailCatcher();
  await admin.connect();
  await admin.query("SET enable_seqscan = off");

  // Sign-up, verification, sign-in.
  await as("sign-up", 200, () => post("/sign-up/email", { name: "Ada Lovelace", email: users.ada, password: PASSWORD }));
  await as("sign-up with an existing email", 200, () => post("/sign-up/email", { name: "Ada Again", email: users.ada, password: PASSWORD }));
  await as("sign-in with an unknown email", 401, () => post("/sign-in/email", { email: users.nobody, password: PASSWORD }));
  await as("sign-in with a wrong password", 401, () => post("/sign-in/email", { email: users.ada, password: PASSWORDS[0] }));
  await as("sign-in before verification", 403, () => post("/sign-in/email", { email: users.ada, password: PASSWORD }));
  await as("send-verification-email", 200, () => post("/send-verification-email", { email: users.ada, callbackURL: "/dashboard" }));
  const first = await verified(users.ada);
  const second = (await as("sign-in", 200, () => post("/sign-in/email", { email: users.ada, password: PASSWORD }))).cookie!;

  // The session: read, refreshed, listed, token, profile, one session revoked.
  await as("get-session", 200, () => get("/get-session", first));
  await admin.query("UPDATE session SET expires_at = now() + interval '20 days' WHERE token = $1", [sessionToken(first)]);
  await as("get-session that refreshes the session", 200, () => get("/get-session", first));
  await as("GET /token", 200, () => get("/token", first));
  await as("list-sessions", 200, () => get("/list-sessions", first));
  await as("update-user", 200, () => post("/update-user", { name: "Ada King" }, first));
  await as("revoke-session", 200, () => post("/revoke-session", { token: sessionToken(second) }, first));
  const changed = (await as("change-password", 200, () => post("/change-password", { currentPassword: PASSWORD, newPassword: PASSWORDS[0], revokeOtherSessions: true }, first))).cookie!;
  await as("sign-out", 200, () => post("/sign-out", {}, changed));

  // Forgotten password.
  await as("request-password-reset for an unknown email", 200, () => post("/request-password-reset", { email: users.nobody, redirectTo: "/reset-password" }));
  await as("request-password-reset", 200, () => post("/request-password-reset", { email: users.ada, redirectTo: "/reset-password" }));
  const resetToken = await linkToken(users.ada, /Reset your password/);
  await as("reset-password", 200, () => post("/reset-password", { token: resetToken, newPassword: PASSWORDS[1] }));

  // Change of email: approved from the current address, confirmed from the new one.
  const third = (await as("sign-in", 200, () => post("/sign-in/email", { email: users.ada, password: PASSWORDS[1] }))).cookie!;
  await as("email-change/request", 200, () => post("/email-change/request", { newEmail: users.moved, currentPassword: PASSWORDS[1] }, third));
  const approveToken = await changeToken(users.ada, /Approve the change/);
  const moveToken = await changeToken(users.moved, /Confirm this email address/);
  await as("email-change/confirm", 200, () => post("/email-change/confirm", { token: moveToken }));
  await as("email-change/approve", 200, () => post("/email-change/approve", { token: approveToken }));
  // A change cancelled with "this wasn't me".
  await as("email-change/request", 200, () => post("/email-change/request", { newEmail: users.nobody, currentPassword: PASSWORDS[1] }, third));
  await as("email-change/cancel", 200, async () => post("/email-change/cancel", { token: await changeToken(users.moved, /Approve the change/) }));

  // Every session ended, an expired one found, then deletion by an emailed link.
  const fourth = (await as("sign-in", 200, () => post("/sign-in/email", { email: users.moved, password: PASSWORDS[1] }))).cookie!;
  await as("revoke-sessions", 200, () => post("/revoke-sessions", {}, fourth));
  const fifth = (await as("sign-in", 200, () => post("/sign-in/email", { email: users.moved, password: PASSWORDS[1] }))).cookie!;
  await admin.query("UPDATE session SET expires_at = now() - interval '1 second' WHERE token = $1", [sessionToken(fifth)]);
  await as("get-session of an expired session", 200, () => get("/get-session", fifth));
  const sixth = (await as("sign-in", 200, () => post("/sign-in/email", { email: users.moved, password: PASSWORDS[1] }))).cookie!;
  await as("delete-user/request-link", 200, () => post("/delete-user/request-link", {}, sixth));
  const deleteToken = await linkToken(users.moved, /Confirm the deletion/);
  await as("delete-user with the emailed link", 200, () => post("/delete-user", { token: deleteToken }, sixth));

  // Deletion with the current password.
  await as("sign-up", 200, () => post("/sign-up/email", { name: "Bob Babbage", email: users.bob, password: PASSWORD }));
  const bob = await verified(users.bob);
  await as("delete-user with the password", 200, () => post("/delete-user", { password: PASSWORD }, bob));
  step = "done";
}, 120_000);

afterAll(async () => {
  await admin.end();
  await pool.end();
  stopCatcher();
});

describe("query plans of the auth endpoints", () => {
  it("the check names a table scan where no index serves, and none where one does", async () => {
    expect(wholeTableScans(await plan('SELECT id FROM "user" WHERE name = $1', ["Ada"]))).toEqual(["Seq Scan on user"]);
    expect(wholeTableScans(await plan('SELECT id FROM "user" WHERE id = $1', ["u"]))).toEqual([]);
    expect(wholeTableScans(await plan("SELECT token FROM session WHERE user_agent = $1 ORDER BY id LIMIT 1", ["curl"]))).toEqual([
      "Index Scan on session with a Filter and no index condition",
    ]);
  });

  it("captured the statements of every step, on every table that matters", async () => {
    const steps = new Set(captured.map((s) => s.step));
    for (const name of ["sign-up", "sign-in", "verify-address/with-password", "get-session", "GET /token", "list-sessions", "change-password", "reset-password", "email-change/request", "email-change/confirm", "email-change/approve", "email-change/cancel", "delete-user with the emailed link", "delete-user with the password"]) {
      expect(steps, name).toContain(name);
    }
    const tables = new Set<string>();
    for (const s of captured.filter((c) => isPlannable(c.sql))) for (const t of tablesOf(await plan(s.sql, s.params))) tables.add(t);
    expect([...INDEXED_TABLES].filter((t) => !tables.has(t))).toEqual([]);
  });

  it("no statement reads user, session, account, verification or auth_throttle from end to end", async () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const s of captured) {
      const key = `${s.sql}\u0000${JSON.stringify(s.params)}`;
      if (!isPlannable(s.sql) || seen.has(key)) continue;
      seen.add(key);
      const scans = wholeTableScans(await plan(s.sql, s.params));
      if (scans.length) problems.push(`${s.step}: ${s.sql.replace(/\s+/g, " ").trim()}\n    → ${scans.join(", ")}`);
    }
    expect(seen.size).toBeGreaterThan(20);
    expect([...new Set(problems)]).toEqual([]);
  });
});
