// Provisioning the database a configuration points at: the local TLS server when DATABASE_URL names
// it, nothing when it names another server (Neon), then the backend's migrations either way.
import fs from "node:fs";
import { isLocalDatabase, LOCAL_PG_PORT, resolveFromRoot } from "./env-file.ts";
import { LocalPostgres } from "./postgres.ts";
import { ensureDevTls } from "./tls.ts";
import { uvRun } from "./toolchain.ts";

export interface Provisioned {
  cluster: LocalPostgres | null;
  startedHere: boolean;
}

export async function provisionDatabase(cfg: Record<string, string>): Promise<Provisioned> {
  const url = cfg.DATABASE_URL ?? "";
  if (!isLocalDatabase(url)) return { cluster: null, startedHere: false };
  const tls = await ensureDevTls();
  const ca = cfg.DATABASE_CA_CERT ? resolveFromRoot(cfg.DATABASE_CA_CERT) : "";
  if (ca && ca !== tls.caCert && !fs.existsSync(ca)) {
    throw new Error(`DATABASE_CA_CERT=${cfg.DATABASE_CA_CERT} does not exist; the local server's CA is ${tls.caCert}`);
  }
  const cluster = new LocalPostgres({ name: "postgres", port: LOCAL_PG_PORT, tls });
  const startedHere = cluster.start();
  const u = new URL(url);
  await cluster.ensureAppDatabase(decodeURIComponent(u.username), decodeURIComponent(u.password), decodeURIComponent(u.pathname.slice(1)));
  return { cluster, startedHere };
}

/** alembic upgrade head with this configuration (shell env wins over .env in the backend's settings). */
export function migrate(env: Record<string, string> = {}): void {
  if (uvRun(["run", "--frozen", "alembic", "upgrade", "head"], env) !== 0) throw new Error("database migration failed (alembic upgrade head)");
}
