// How the route reads a database error (db-errors.ts), on errors the real (TLS) test database raises:
// only a unique violation on "user" is a duplicate email (the refusal that says the address is
// taken), and an error in a statement is not an outage (no 503 "try again" for it). Each case runs in
// a transaction that is rolled back, so nothing stays behind.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import type { PoolClient } from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { createPool, poolConfigFor } from "./db";
import { isDatabaseUnavailable, isDuplicateUserEmail } from "./db-errors";

if (!process.env.DATABASE_URL) {
  throw new Error(
    "db-errors.integration needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

const env = parseServerEnv(process.env);
const pool = createPool(poolConfigFor(env.DATABASE_URL, env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT) : undefined));
afterAll(() => pool.end());

/** The error the database raises for `statements` (the last one fails), all rolled back. */
async function errorOf(...statements: [string, unknown[]][]): Promise<unknown> {
  const client: PoolClient = await pool.connect();
  try {
    await client.query("BEGIN");
    for (const [i, [sql, params]] of statements.entries()) {
      if (i < statements.length - 1) await client.query(sql, params);
      else return await client.query(sql, params).then(() => expect.unreachable(`${sql} succeeded`), (err: unknown) => err);
    }
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

const insertUser = (id: string, email: string): [string, unknown[]] => ['INSERT INTO "user" (id, name, email) VALUES ($1, $2, $3)', [id, "Twice", email]];

describe("a database error", () => {
  it("is a duplicate email when a second user takes an address", async () => {
    const email = `db-errors-${randomUUID()}@example.test`;
    const err = await errorOf(insertUser(randomUUID(), email), insertUser(randomUUID(), email));
    expect(err).toMatchObject({ code: "23505", table: "user" });
    expect(isDuplicateUserEmail(err)).toBe(true);
    // Better Auth wraps what it catches: the cause is still found.
    expect(isDuplicateUserEmail(new Error("Failed to create user", { cause: err }))).toBe(true);
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it("is not a duplicate email when the unique violation is another table's", async () => {
    const id = randomUUID();
    const verification = (): [string, unknown[]] => [
      "INSERT INTO verification (id, identifier, value, expires_at) VALUES ($1, 'db-errors-test', 'v', now())",
      [id],
    ];
    const err = await errorOf(verification(), verification());
    expect(err).toMatchObject({ code: "23505", table: "verification" });
    expect(isDuplicateUserEmail(err)).toBe(false);
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it("in a statement (a table that is not there) is neither a duplicate nor an outage", async () => {
    const err = await errorOf(["SELECT * FROM authbridge_no_such_table", []]);
    expect(err).toMatchObject({ code: "42P01" });
    expect(isDuplicateUserEmail(err)).toBe(false);
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
