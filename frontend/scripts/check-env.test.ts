// Runs the real start-up check as a process: one line on stderr, exit 2, no stack trace.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const frontendDir = path.resolve(import.meta.dirname, "..");
const tsxBin = spawnSync("node", ["-e", "console.log(require.resolve('tsx/cli'))"], { cwd: frontendDir, encoding: "utf8" }).stdout.trim();

// A fake repo root without .env, so only the variables we pass are seen.
function fakeRepo(): string {
  const root = mkdtempSync(path.join(tmpdir(), "authbridge-env-"));
  mkdirSync(path.join(root, "frontend"));
  writeFileSync(path.join(root, "frontend", "package.json"), "{}");
  return path.join(root, "frontend");
}

function runCheck(vars: Record<string, string>) {
  const cleanEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...vars };
  return spawnSync("node", [tsxBin, path.join(frontendDir, "scripts", "check-env.ts")], {
    cwd: fakeRepo(),
    env: cleanEnv,
    encoding: "utf8",
  });
}

const GOOD = {
  BETTER_AUTH_SECRET: "a-real-test-secret-that-is-long-enough-0123456789",
  DATABASE_URL: "postgresql://u:p@localhost:5433/db?sslmode=require&channel_binding=require",
};

describe("start-up configuration check", () => {
  it("passes silently with a good configuration", () => {
    const r = runCheck(GOOD);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it.each([
    ["a missing secret", { DATABASE_URL: GOOD.DATABASE_URL }, "BETTER_AUTH_SECRET: is missing"],
    ["a short secret", { ...GOOD, BETTER_AUTH_SECRET: "short" }, "BETTER_AUTH_SECRET: is shorter than 32 bytes"],
    ["the placeholder secret", { ...GOOD, BETTER_AUTH_SECRET: "change-me-run-npm-run-dev-to-generate-a-real-secret" }, "BETTER_AUTH_SECRET: is the placeholder"],
    ["a missing DATABASE_URL", { BETTER_AUTH_SECRET: GOOD.BETTER_AUTH_SECRET }, "DATABASE_URL: is missing"],
    ["a MySQL DATABASE_URL", { ...GOOD, DATABASE_URL: "mysql://u:p@h/db" }, "DATABASE_URL: is not a PostgreSQL URL"],
    ["sslmode=prefer", { ...GOOD, DATABASE_URL: "postgresql://u:p@h/db?sslmode=prefer" }, "DATABASE_URL: has sslmode=prefer"],
    ["no sslmode", { ...GOOD, DATABASE_URL: "postgresql://u:p@h/db" }, "DATABASE_URL: has no sslmode"],
    ["a missing CA file", { ...GOOD, DATABASE_CA_CERT: ".dev/tls/no-such-ca.crt" }, "DATABASE_CA_CERT: file "],
  ])("stops on %s with one line and exit 2", (_name, vars, expected) => {
    const r = runCheck(vars as Record<string, string>);
    expect(r.status).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^config error: /);
    expect(lines[0]).toContain(expected);
    expect(lines[0]).toContain("Fix:");
    expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });
});
