// node-postgres pool for Better Auth, built from DATABASE_URL with TLS we control ourselves.
// Why not hand pg the URL as is: pg treats sslmode=require as verify-full, ignores
// channel_binding, and ssl values parsed from the URL OVERRIDE an explicit `ssl` option. So we
// strip the TLS parameters and say exactly what we mean. Never rejectUnauthorized: false.
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import type { PoolConfig } from "pg";

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
    ...(sslmode === "verify-ca" ? { checkServerIdentity: () => undefined } : {}),
  };

  return {
    connectionString: url.toString(),
    ssl,
    // SCRAM-SHA-256-PLUS when the server offers it (Neon's channel_binding=require).
    enableChannelBinding: channelBinding !== "disable",
    max: 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  };
}
