// The bench's own world: a fresh `authbridge_bench` database on the local TLS server (never the
// DATABASE_URL in .env, never the tests' database) and ports of its own, so bench and tests never collide.
import { LOCAL_PG_PORT } from "../env-file.ts";
import { LocalPostgres } from "../postgres.ts";
import { freshDatabaseEnv } from "../test-db.ts";
import { ensureDevTls } from "../tls.ts";

export const BENCH_PORTS = { frontend: 3200, backend: 8200, benchApp: 8201 } as const;

export interface BenchWorld {
  env: Record<string, string>;
  cluster: LocalPostgres;
  startedCluster: boolean;
}

export async function prepareBenchWorld(): Promise<BenchWorld> {
  const tls = await ensureDevTls();
  const cluster = new LocalPostgres({ name: "postgres", port: LOCAL_PG_PORT, tls });
  const startedCluster = cluster.start();
  const env = {
    ...(await freshDatabaseEnv(cluster, tls.caCert, "authbridge_bench", BENCH_PORTS)),
    // The bench measures throughput, not the limiter: many simulated clients, and limits out of the way.
    AUTH_TRUSTED_IP_HEADER: "x-forwarded-for",
    AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE: "100000",
    AUTH_RATE_LIMIT_SIGN_UP_PER_MINUTE: "100000",
  };
  return { env, cluster, startedCluster };
}
