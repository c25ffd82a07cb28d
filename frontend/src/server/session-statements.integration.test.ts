// What a page render costs the database on the frontend's side, counted on the wire of the app's own
// pool (every statement a connection sends is captured): the session look-up every signed-in page
// makes (src/server/session.ts `getSession`, Better Auth's getSession) is ONE statement, the session
// joined with its user (`advanced.database.joins` in auth-options.ts); a request without a session
// cookie (the signed-out pages) costs none. With the backend's one statement for the page of tasks
// (backend/tests/api/test_round_trips.py), a dashboard render is two statements in all; the bench
// counts the same on PostgreSQL's side (docs/benchmarks.md "i. Pages").
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import type { PoolClient } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { SMTP_URL } from "@/test/mail-catcher";
import { authOptions } from "./auth-options";
import { createPool, poolConfigFor } from "./db";

if (!process.env.DATABASE_URL) {
  throw new Error("session-statements.integration needs DATABASE_URL: run `npm test` from the repo root, or `source .dev/test-env.sh` first.");
}

const env = parseServerEnv({ ...process.env, SMTP_URL });
const poolConfig = poolConfigFor(env.DATABASE_URL, env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT) : undefined);
// The user signs up through an instance of its own: sign-up's work after the answer (the
// confirmation mail and its budget) must not land among the statements counted.
const setupPool = createPool(poolConfig);
const setup = betterAuth(authOptions(env, setupPool));
const pool = createPool(poolConfig);
const auth = betterAuth(authOptions(env, pool));

/** Every statement a pool connection sends (pg-pool runs pool.query on the same clients). */
const sent: string[] = [];
pool.on("connect", (client: PoolClient) => {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const first = args[0];
    const text = typeof first === "string" ? first : (first as { text?: unknown } | null)?.text;
    if (typeof text === "string") sent.push(text);
    return query(...args);
  };
});

/** The statements `run` sends, less a new connection's own `SET statement_timeout` (db.ts). */
async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  const from = sent.length;
  await run();
  return sent.slice(from).filter((sql) => !/^SET statement_timeout/.test(sql));
}

let cookie = "";
const email = `statements-${randomUUID()}@example.test`;

beforeAll(async () => {
  const res = await setup.api.signUpEmail({ body: { name: "Statement Counter", email, password: "Correct-Horse-9-battery" }, asResponse: true });
  expect(res.status).toBe(200);
  cookie = res.headers.getSetCookie().find((c) => c.includes("session_token="))!.split(";")[0]!;
  // An instance's first use reads the database's schema once (Better Auth's adapter); a running
  // server has done that long before the renders counted here.
  expect(await auth.api.getSession({ headers: new Headers({ cookie }) })).not.toBeNull();
});

afterAll(async () => {
  await setupPool.query('DELETE FROM "user" WHERE email = $1', [email]);
  await Promise.all([setupPool.end(), pool.end()]);
});

describe("a page render's session look-up", () => {
  it("is one statement: the session joined with its user", async () => {
    let session: Awaited<ReturnType<typeof auth.api.getSession>> = null;
    const statements = await statementsOf(async () => {
      session = await auth.api.getSession({ headers: new Headers({ cookie }) });
    });
    expect(session!.user.email).toBe(email);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/from "session"/i);
    expect(statements[0]).toMatch(/join "user"/i);
  });

  it("costs nothing without a session cookie (the signed-out pages)", async () => {
    let session: unknown = undefined;
    const statements = await statementsOf(async () => {
      session = await auth.api.getSession({ headers: new Headers() });
    });
    expect(session).toBeNull();
    expect(statements).toEqual([]);
  });
});
