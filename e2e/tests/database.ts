// The stack's own database for the browser specs that must change what no browser can (a sign-in's age,
// a flag): the DATABASE_URL `npm test` passes, TLS verified against the test CA as the app connects.
// By hand: `. .dev/test-env.sh` first.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "@playwright/test";
import pg from "pg";
import type { TestUser } from "./helpers.ts";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Runs `run` with a connection to the stack's database, closed after. */
export async function withDatabase<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const raw = process.env.DATABASE_URL;
  if (!raw) throw new Error("this spec needs DATABASE_URL (npm test passes the stack's; by hand: . .dev/test-env.sh)");
  const url = new URL(raw);
  for (const param of ["sslmode", "sslrootcert", "channel_binding"]) url.searchParams.delete(param);
  const caPath = process.env.DATABASE_CA_CERT;
  const ca = caPath ? readFileSync(path.isAbsolute(caPath) ? caPath : path.join(REPO_ROOT, caPath), "utf8") : undefined;
  const client = new pg.Client({ connectionString: url.toString(), ssl: { rejectUnauthorized: true, ...(ca ? { ca } : {}) } });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Every session of `user` signed in `minutes` ago, as far as the backend can tell. */
export async function ageSignIn(user: Pick<TestUser, "email">, minutes: number): Promise<void> {
  const { rowCount } = await withDatabase((db) =>
    db.query(`UPDATE session SET auth_time = now() - make_interval(mins => $2) WHERE user_id = (SELECT id FROM "user" WHERE email = $1)`, [user.email, minutes]),
  );
  expect(rowCount).toBeGreaterThan(0);
}
