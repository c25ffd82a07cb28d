// Databases for the test suites, the bench and the fault runs: a fresh database on a local TLS server
// (always a local one, whatever .env says, so nothing here touches a developer's Neon), and for the
// tests also a TLS-off server for negative tests.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { LOCAL_PG_PORT } from "./env-file.ts";
import { DEV_DIR } from "./paths.ts";
import { LocalPostgres } from "./postgres.ts";
import { ensureDevTls } from "./tls.ts";
import { TEST_MAIL_PORTS } from "./mail-catcher.ts";
import { localIdpEnv, TEST_IDP_CLIENT_ID, TEST_IDP_CLIENT_SECRET, TEST_IDP_PORT } from "./local-idp.ts";

export const NOTLS_PG_PORT = 5434;
export const TEST_SECRET = "test-only-secret-never-use-in-production-0123456789";
export const TEST_PORTS = { frontend: 3100, backend: 8100 } as const;
/** The browser tests' second stack, in strict mode (REQUIRE_EMAIL_VERIFICATION=true), and a third
 * frontend in the default mode that talks to its strict backend (the two policies disagreeing). */
export const STRICT_TEST_PORTS = { frontend: 3101, backend: 8101 } as const;
export const MISMATCH_TEST_FRONTEND_PORT = 3102;

export interface TestDatabases {
  env: Record<string, string>;
  /** Clusters this call started (and so should stop). */
  started: LocalPostgres[];
}

/** A database password that is local, stable per machine (a sourced .dev/test-env.sh keeps working), never committed. */
export function localPassword(name: string): string {
  const file = path.join(DEV_DIR, `${name}-db-password`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(DEV_DIR, { recursive: true });
    fs.writeFileSync(file, randomBytes(18).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

/** Env for both services against `database` on `cluster` (fresh: dropped and recreated), Neon-shaped URL. */
export async function freshDatabaseEnv(
  cluster: LocalPostgres,
  caCert: string,
  database: string,
  ports: { frontend: number; backend: number },
): Promise<Record<string, string>> {
  const password = localPassword(database);
  await cluster.ensureAppDatabase(database, password, database, { fresh: true });
  return {
    DATABASE_URL: `postgresql://${database}:${password}@localhost:${cluster.port}/${database}?sslmode=require&channel_binding=require`,
    DATABASE_CA_CERT: caCert,
    BETTER_AUTH_SECRET: TEST_SECRET,
    BETTER_AUTH_URL: `http://localhost:${ports.frontend}`,
    BACKEND_URL: `http://localhost:${ports.backend}`,
    BACKEND_JWT_ISSUER: "authbridge-frontend",
    BACKEND_JWT_AUDIENCE: "authbridge-backend",
    BACKEND_JWT_LIFETIME_SECONDS: "2592000",
    PASSWORD_POLICY: "composition",
    // The product's default, spelled out: sign-up signs in at once (strict mode has its own tests).
    REQUIRE_EMAIL_VERIFICATION: "false",
    // A production frontend refuses to start without SMTP_URL (frontend/src/config/production-mail.ts).
    // Loopback only: the test catcher's port, which `npm test` serves; a bench or fault run that starts
    // no catcher has its confirmation mail refused on loopback, one log line each, never sent anywhere.
    SMTP_URL: `smtp://127.0.0.1:${TEST_MAIL_PORTS.smtp}`,
  };
}

export async function prepareTestDatabases(): Promise<TestDatabases> {
  const tls = await ensureDevTls();
  const main = new LocalPostgres({ name: "postgres", port: LOCAL_PG_PORT, tls });
  const notls = new LocalPostgres({ name: "postgres-notls", port: NOTLS_PG_PORT, tls: null });
  const started = [main, notls].filter((c) => c.start());

  const database = "authbridge_test";
  const env = await freshDatabaseEnv(main, tls.caCert, database, TEST_PORTS);
  await notls.ensureAppDatabase(database, localPassword(database), database, { fresh: true });
  // The test mail catcher (started by npm test, or by the frontend's mail tests when it is not running).
  env.SMTP_URL = `smtp://127.0.0.1:${TEST_MAIL_PORTS.smtp}`;
  env.MAIL_CATCHER_URL = `http://127.0.0.1:${TEST_MAIL_PORTS.web}`;
  // The test OpenID provider (started by npm test, or by the frontend's tests when it is not running): every
  // app in the integration and browser tests shows "Continue with Local SSO".
  Object.assign(env, localIdpEnv(TEST_IDP_PORT, { clientId: TEST_IDP_CLIENT_ID, clientSecret: TEST_IDP_CLIENT_SECRET }));
  env.AUTHBRIDGE_NOTLS_DATABASE_URL = `postgresql://${database}:${localPassword(database)}@localhost:${NOTLS_PG_PORT}/${database}?sslmode=disable`;

  fs.mkdirSync(DEV_DIR, { recursive: true });
  const sh = Object.entries(env).map(([k, v]) => `export ${k}='${v}'`).join("\n");
  fs.writeFileSync(path.join(DEV_DIR, "test-env.sh"), `# written by npm test / tools/harness/src/test-db.ts\n${sh}\n`, { mode: 0o600 });
  return { env, started };
}
