// The bench's own world: a fresh `authbridge_bench` database on the local TLS server (never the
// DATABASE_URL in .env, never the tests' database) and ports of its own, so bench and tests never collide.
import { ensureDevTls, freshDatabaseEnv, LOCAL_PG_PORT, LocalPostgres } from "@authbridge/harness";

export const BENCH_PORTS = {
  frontend: 3200,
  backend: 8200,
  benchApp: 8201,
  // slow-db.ts: two instances on the database directly, one through the delay proxy
  instanceA: 8202,
  instanceB: 8203,
  delayedInstance: 8204,
  delayProxy: 8205,
  // sign-in-scale.ts: one production frontend per database size
  scaleSmall: 3206,
  scaleLarge: 3207,
  // pages.ts: a production stack of its own
  pagesFrontend: 3208,
  pagesFrontendBefore: 3209,
  pagesBackend: 8208,
} as const;

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
    // Every simulated request names its own address and signs up with its own email, so no per-address or
    // per-email limit engages. The sign-in cell sends up to 8 concurrent sign-ins per account, and the throttle
    // counts an attempt until it answers (docs/security.md "Rate limiting"): the per-account count is raised,
    // as the bench measures throughput, not the lock (its cost, one upsert and one delete, is still paid).
    AUTH_TRUSTED_IP_HEADER: "x-forwarded-for",
    AUTH_LOCK_AFTER_FAILURES: "1000",
  };
  return { env, cluster, startedCluster };
}
