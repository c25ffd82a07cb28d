#!/usr/bin/env node
// Entry point of every root npm script. Plain Node with no dependencies, so it runs on a fresh clone:
// it installs the Node workspaces when package-lock.json changed (or nothing is installed yet), then
// hands over to the TypeScript launcher in dev/src/main.ts.
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
  console.log("[setup] installing Node dependencies (npm ci)…");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const res = spawnSync(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: root, stdio: "inherit" });
  if (res.status !== 0) process.exit(res.status ?? 1);
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
