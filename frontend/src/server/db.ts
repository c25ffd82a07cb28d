// node-postgres pool for Better Auth, built from DATABASE_URL with TLS we control ourselves.
// Why not hand pg the URL as is: pg treats sslmode=require as verify-full, ignores
// channel_binding, and ssl values parsed from the URL OVERRIDE an explicit `ssl` option. So we
// strip the TLS parameters and say exactly what we mean. Never rejectUnauthorized: false.
// The backend verifies the same way (backend/app/db/engine.py "TLS"): chain + host name against
// DATABASE_CA_CERT or the system CAs; chain only for sslmode=verify-ca with a CA file.
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { setTimeout as sleep } from "node:timers/promises";
import { Pool, type PoolClient, type PoolConfig, type QueryResult } from "pg";
import { describeCertificateError, isDatabaseUnavailable, recordDatabaseError } from "./db-errors";
import * as policy from "./db-policy";

const TLS_URL_PARAMS = ["sslmode", "channel_binding", "sslrootcert", "sslcert", "sslkey", "sslcrl", "sslnegotiation", "uselibpqcompat"];

export function poolConfigFor(databaseUrl: string, caCertPath: string | undefined): PoolConfig {
  const url = new URL(databaseUrl);
  const sslmode = url.searchParams.get("sslmode") ?? "verify-full";
  const channelBinding = url.searchParams.get("channel_binding");
  for (const param of TLS_URL_PARAMS) url.searchParams.delete(param);

  const ssl: ConnectionOptions = {
    rejectUnauthorized: true, // the chain is always verified (system CAs, or DATABASE_CA_CERT)
    ...(caCertPath ? { ca: readFileSync(/*turbopackIgnore: true*/ caCertPath, "utf8") } : {}),
    // libpq's verify-ca checks the chain but not the host name; require and verify-full check both.
    // Against the public system CAs a chain alone proves nothing: verify-ca needs DATABASE_CA_CERT.
    ...(sslmode === "verify-ca" && caCertPath ? { checkServerIdentity: () => undefined } : {}),
  };

  return {
    connectionString: url.toString(),
    ssl,
    // SCRAM-SHA-256-PLUS when the server offers it (Neon's channel_binding=require).
    enableChannelBinding: channelBinding !== "disable",
    // The timeout policy (db-policy.ts). statement_timeout is SET per connection (createPool).
    max: policy.POOL_MAX,
    connectionTimeoutMillis: policy.CONNECT_TIMEOUT_MS,
    query_timeout: policy.QUERY_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: policy.KEEPALIVE_INITIAL_DELAY_MS,
    idleTimeoutMillis: policy.IDLE_TIMEOUT_MS,
    maxLifetimeSeconds: policy.MAX_LIFETIME_SECONDS,
    application_name: "authbridge-frontend",
  };
}

/** The pool with the policy's per-connection settings; an idle connection's failure is logged, never fatal. */
export function createPool(config: PoolConfig): Pool {
  const pool = new Pool({
    ...config,
    // pg-pool awaits onConnect before it hands a new connection out, so the SET never runs beside
    // the caller's first query (pg deprecates queries sent while one is running). If it fails, so
    // does the connect.
    onConnect: async (client) => {
      await client.query(`SET statement_timeout = ${policy.STATEMENT_TIMEOUT_MS}`);
    },
  });
  // pg-pool drops the dead connection itself; without a listener the 'error' event would crash the process.
  pool.on("error", (err: Error & { code?: string }) => console.warn(`database: idle connection lost (${err.code ?? err.message})`));
  return pool;
}

/** pg-pool's connect with the policy's bounded retries: only transient failures, only within the budget. */
async function connectWithRetries(pool: Pool): Promise<PoolClient> {
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await pool.connect();
    } catch (err) {
      const delay = policy.CONNECT_BACKOFF_MS[attempt - 1] ?? Number.POSITIVE_INFINITY; // none left: give up
      const elapsed = performance.now() - started;
      if (attempt >= policy.CONNECT_ATTEMPTS || !isDatabaseUnavailable(err) || elapsed + delay > policy.CONNECT_RETRY_BUDGET_MS) throw err;
      await sleep(delay);
    }
  }
}

const reportedCertificateProblems = new Set<string>();

/** A refused database certificate is a configuration error: said once per process, in one line. */
function reportCertificateProblem(err: unknown): void {
  const line = describeCertificateError(err);
  if (line === undefined || reportedCertificateProblems.has(line)) return;
  reportedCertificateProblems.add(line);
  console.error(`database: ${line}`);
}

/** The part of a pg pool that Better Auth's Kysely dialect uses (Kysely's PostgresPool, minus cursors). */
export interface ObservedPool {
  connect(): Promise<{ query(sql: string, parameters: ReadonlyArray<unknown>): Promise<QueryResult>; release(): void }>;
  end(): Promise<void>;
}

/** One statement on a connection of `db` (retries, and a failure recorded for the request, like Better Auth's own). */
export async function queryVia<Row extends object = Record<string, unknown>>(db: Pick<ObservedPool, "connect">, sql: string, parameters: unknown[] = []): Promise<QueryResult<Row>> {
  const client = await db.connect();
  try {
    return (await client.query(sql, parameters)) as QueryResult<Row>;
  } finally {
    client.release();
  }
}

/**
 * What Better Auth gets instead of the raw pool: connects with retries, records every failure for
 * the current request (db-errors.ts), and destroys a connection that failed as unavailable instead
 * of handing it out again. Better Auth detects a Postgres pool by its `connect` method.
 */
export function observedPool(pool: Pool): ObservedPool {
  return {
    async connect() {
      let client: PoolClient;
      try {
        client = await connectWithRetries(pool);
      } catch (err) {
        recordDatabaseError(err);
        reportCertificateProblem(err);
        throw err;
      }
      let broken: Error | undefined;
      // A checked-out client has no pool listener: a dropped connection would be an uncaught 'error'
      // event (a crashed process). Its query, if any, fails on its own; here we only mark it broken.
      const onError = (err: Error) => {
        broken = err;
      };
      client.on("error", onError);
      return {
        query: (sql, parameters) =>
          client.query(sql, parameters as unknown[]).catch((err: Error) => {
            recordDatabaseError(err);
            if (isDatabaseUnavailable(err)) broken = err;
            throw err;
          }),
        release: () => {
          client.removeListener("error", onError);
          client.release(broken);
        },
      };
    },
    end: () => pool.end(),
  };
}
