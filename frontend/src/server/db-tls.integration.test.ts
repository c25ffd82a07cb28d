// The frontend refuses a database certificate it cannot verify, and says so in one line; the
// backend does the same (backend/tests/core/test_db_tls.py). The local test server's certificate
// is signed by the project's own CA, which no system trusts: with DATABASE_CA_CERT empty it stands
// in for a man in the middle. Needs the test database: `npm test`, or `source .dev/test-env.sh`.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { Client } from "pg";
import { describe, expect, it } from "vitest";
import { poolConfigFor } from "./db";
import { describeCertificateError, UNTRUSTED_CERTIFICATE_LINE } from "./db-errors";

const DATABASE_URL = process.env.DATABASE_URL;
const CA = process.env.DATABASE_CA_CERT;
if (!DATABASE_URL || !CA) {
  throw new Error("db-tls.integration needs DATABASE_URL and DATABASE_CA_CERT: run `npm test`, or `source .dev/test-env.sh` first.");
}

async function connectError(caCertPath: string | undefined): Promise<unknown> {
  const client = new Client(poolConfigFor(DATABASE_URL as string, caCertPath));
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (err) {
    return err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe("database certificate", () => {
  it("connects when DATABASE_CA_CERT signs the server's certificate", async () => {
    expect(await connectError(CA)).toBeUndefined();
  });

  it("refuses the server when DATABASE_CA_CERT is empty and names the problem in one line", async () => {
    const err = await connectError(undefined);
    expect(err).toBeDefined();
    expect(describeCertificateError(err)).toBe(UNTRUSTED_CERTIFICATE_LINE);
    expect(UNTRUSTED_CERTIFICATE_LINE).toMatch(/^config error: DATABASE_CA_CERT: .*\. Fix: /);
  });

  it("the doctor script reports the same line", () => {
    const frontendDir = path.resolve(import.meta.dirname, "../..");
    const tsx = spawnSync("node", ["-e", "console.log(require.resolve('tsx/cli'))"], { cwd: frontendDir, encoding: "utf8" }).stdout.trim();
    const run = spawnSync("node", [tsx, path.join(frontendDir, "scripts", "doctor.ts")], {
      cwd: frontendDir,
      env: { ...process.env, DATABASE_CA_CERT: "" },
      encoding: "utf8",
      timeout: 30_000,
    });
    const report = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}") as { database?: { reachable: boolean; error?: string } };
    expect(report.database).toEqual({ reachable: false, error: UNTRUSTED_CERTIFICATE_LINE });
  });
});
