// Databases for the test suites: a fresh database on the local TLS server (always the local one,
// whatever .env says, so tests never touch a developer's Neon), and a TLS-off server for negative tests.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { LOCAL_PG_PORT } from "./env-file.ts";
import { DEV_DIR } from "./paths.ts";
import { LocalPostgres } from "./postgres.ts";
import { ensureDevTls } from "./tls.ts";

export const NOTLS_PG_PORT = 5434;
export const TEST_SECRET = "test-only-secret-never-use-in-production-0123456789";

export interface TestDatabases {
  env: Record<string, string>;
  /** Clusters this call started (and so should stop). */
  started: LocalPostgres[];
}

export async function prepareTestDatabases(): Promise<TestDatabases> {
  const tls = await ensureDevTls();
  const main = new LocalPostgres({ name: "postgres", port: LOCAL_PG_PORT, tls });
  const notls = new LocalPostgres({ name: "postgres-notls", port: NOTLS_PG_PORT, tls: null });
  const started = [main, notls].filter((c) => c.start());

  const password = testPassword();
  await main.ensureAppDatabase("authbridge_test", password, "authbridge_test", { fresh: true });
  await notls.ensureAppDatabase("authbridge_test", password, "authbridge_test", { fresh: true });

  const env: Record<string, string> = {
    DATABASE_URL: `postgresql://authbridge_test:${password}@localhost:${LOCAL_PG_PORT}/authbridge_test?sslmode=require&channel_binding=require`,
    DATABASE_CA_CERT: tls.caCert,
    AUTHBRIDGE_NOTLS_DATABASE_URL: `postgresql://authbridge_test:${password}@localhost:${NOTLS_PG_PORT}/authbridge_test?sslmode=disable`,
    BETTER_AUTH_SECRET: TEST_SECRET,
    BETTER_AUTH_URL: "http://localhost:3100",
    BACKEND_URL: "http://localhost:8100",
    BACKEND_JWT_ISSUER: "authbridge-frontend",
    BACKEND_JWT_AUDIENCE: "authbridge-backend",
    BACKEND_JWT_LIFETIME_SECONDS: "2592000",
    PASSWORD_POLICY: "composition",
  };
  fs.mkdirSync(DEV_DIR, { recursive: true });
  const sh = Object.entries(env).map(([k, v]) => `export ${k}='${v}'`).join("\n");
  fs.writeFileSync(path.join(DEV_DIR, "test-env.sh"), `# written by npm test / dev/src/test-db.ts\n${sh}\n`, { mode: 0o600 });
  return { env, started };
}

/** Stable across runs on one machine, so a developer's sourced .dev/test-env.sh keeps working. */
function testPassword(): string {
  const file = path.join(DEV_DIR, "test-db-password");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(DEV_DIR, { recursive: true });
    fs.writeFileSync(file, randomBytes(18).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}
