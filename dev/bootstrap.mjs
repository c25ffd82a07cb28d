#!/usr/bin/env node
// Entry point of every root npm script. Plain Node with no dependencies, so it runs on a fresh clone:
// it installs the Node workspaces when package-lock.json changed (or nothing is installed yet), then
// hands over to the TypeScript launcher in dev/src/main.ts. The install prints one line; its output
// (.dev/logs/npm-ci.log) is shown only when it fails, or streamed with AUTHBRIDGE_VERBOSE=1.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [major] = process.versions.node.split(".").map(Number);
if (major < 20) {
  console.error(`authbridge needs Node.js 20 or newer (this is ${process.version}).`);
  process.exit(1);
}

const lock = path.join(root, "package-lock.json");
const stamp = path.join(root, "node_modules", ".authbridge-lock-sha256");
const want = createHash("sha256").update(fs.readFileSync(lock)).digest("hex");
const have = fs.existsSync(stamp) ? fs.readFileSync(stamp, "utf8").trim() : "";
if (want !== have) {
  const verbose = Boolean(process.env.AUTHBRIDGE_VERBOSE);
  const t0 = Date.now();
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const res = spawnSync(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: root,
    stdio: verbose ? "inherit" : ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = `setup (npm ci) ${((Date.now() - t0) / 1000).toFixed(1)}s`;
  if (!verbose) {
    const log = path.join(root, ".dev", "logs", "npm-ci.log");
    fs.mkdirSync(path.dirname(log), { recursive: true });
    fs.writeFileSync(log, `${res.stdout ?? ""}${res.stderr ?? ""}`);
    if (res.status !== 0) process.stderr.write(`${res.stdout ?? ""}${res.stderr ?? ""}${res.error ? `${res.error.message}\n` : ""}`);
  }
  if (res.status !== 0) {
    console.error(`✗ ${line}: npm ci failed (exit ${res.status ?? "none"})`);
    process.exit(res.status || 1);
  }
  console.log(`✓ ${line}`);
  fs.writeFileSync(stamp, want);
}

const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "dev", "src", "main.ts"), ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
// Ctrl-C reaches the launcher too (same process group): this wrapper just waits for its clean shutdown.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
