// Runs against the clusters `npm test` started (tools/harness/src/test-db.ts): proves the local server speaks
// TLS only, verifies against our CA, and accepts Neon's exact URL shape with channel binding.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import pg from "pg";
import { ensureDevTls } from "./tls.ts";

const url = process.env.DATABASE_URL;
const caPath = process.env.DATABASE_CA_CERT;

function connect(u: URL, ssl: pg.ClientConfig["ssl"], extra: Partial<pg.ClientConfig> = {}) {
  // node-postgres lets URL parameters override `ssl`, so the URL's query goes and TLS is set explicitly.
  const bare = new URL(u.href);
  bare.search = "";
  const client = new pg.Client({ connectionString: bare.href, ssl, connectionTimeoutMillis: 5_000, ...extra });
  return client.connect().then(() => client);
}

test("the test run provides a Neon-shaped DATABASE_URL and the local CA", () => {
  assert.ok(url && caPath, "DATABASE_URL and DATABASE_CA_CERT come from `npm test`");
  assert.match(url, /\?sslmode=require&channel_binding=require$/);
});

test("plain TCP is refused, as on Neon", async () => {
  await assert.rejects(connect(new URL(url!), false), /no encryption/);
});

test("TLS with channel binding verified against the local CA works, TLS 1.2+", async () => {
  const client = await connect(new URL(url!), { ca: fs.readFileSync(caPath!, "utf8"), rejectUnauthorized: true }, { enableChannelBinding: true });
  try {
    const { rows } = await client.query("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    assert.equal(rows[0].ssl, true);
    assert.match(rows[0].version, /^TLSv1\.[23]$/);
  } finally {
    await client.end();
  }
});

test("a server certificate from another CA is rejected (verification is really on)", async () => {
  const other = await ensureDevTls(fs.mkdtempSync(path.join(os.tmpdir(), "authbridge-otherca-")));
  await assert.rejects(
    connect(new URL(url!), { ca: fs.readFileSync(other.caCert, "utf8"), rejectUnauthorized: true }),
    /self[- ]signed|unable to verify|certificate/i,
  );
});

test("a wrong password is refused by SCRAM", async () => {
  const u = new URL(url!);
  u.password = "wrong-password";
  await assert.rejects(connect(u, { ca: fs.readFileSync(caPath!, "utf8") }), /password authentication failed/);
});
