// Better Auth's own migration planner, run against the database migrated by the backend's
// Alembic, must find nothing to create or add: the two sides agree on the schema (docs/architecture.md).
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { getMigrations } from "better-auth/db/migration";
import { Pool } from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { authOptions } from "./auth-options";
import { poolConfigFor } from "./db";

if (!process.env.DATABASE_URL) {
  throw new Error(
    "schema-agreement needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

const env = parseServerEnv(process.env);
const pool = new Pool(poolConfigFor(env.DATABASE_URL, env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT) : undefined));
afterAll(() => pool.end());

describe("schema agreement with the backend's migrations", () => {
  it("connects over TLS", async () => {
    const { rows } = await pool.query<{ ssl: boolean }>("select ssl from pg_stat_ssl where pid = pg_backend_pid()");
    expect(rows[0]?.ssl).toBe(true);
  });

  it("Better Auth's getMigrations finds no table to create and no column to add", async () => {
    const { toBeCreated, toBeAdded } = await getMigrations(authOptions(env, pool));
    expect(toBeCreated.map((t) => t.table)).toEqual([]);
    expect(toBeAdded.map((t) => ({ table: t.table, fields: Object.keys(t.fields) }))).toEqual([]);
  });
});
