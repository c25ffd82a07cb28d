import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { newestLocked, oldestClaimed } from "./compat-command.ts";
import { BETTER_AUTH_PACKAGE, betterAuthBuildIsStale } from "./packages.ts";
import { ROOT } from "@authbridge/harness";

/** A package folder with a source and settings written `age` seconds ago. */
function fakePackage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "authbridge-pkg-"));
  fs.mkdirSync(path.join(dir, "src", "deep"), { recursive: true });
  for (const f of ["src/index.ts", "src/deep/more.ts", "package.json", "tsconfig.build.json"]) fs.writeFileSync(path.join(dir, f), "");
  return dir;
}
const setAge = (file: string, secondsAgo: number) => {
  const t = new Date(Date.now() - secondsAgo * 1000);
  fs.utimesSync(file, t, t);
};

test("the package build is stale without dist/, fresh after it, stale again once a source or a setting is newer", () => {
  const dir = fakePackage();
  for (const f of ["src/index.ts", "src/deep/more.ts", "package.json", "tsconfig.build.json"]) setAge(path.join(dir, f), 60);
  assert.equal(betterAuthBuildIsStale(dir), true, "no dist/");
  fs.mkdirSync(path.join(dir, "dist"));
  fs.writeFileSync(path.join(dir, "dist", "index.js"), "");
  assert.equal(betterAuthBuildIsStale(dir), false, "dist/ newer than every input");
  setAge(path.join(dir, "src", "deep", "more.ts"), 0);
  setAge(path.join(dir, "dist", "index.js"), 30);
  assert.equal(betterAuthBuildIsStale(dir), true, "a nested source changed after the build");
  setAge(path.join(dir, "src", "deep", "more.ts"), 60);
  assert.equal(betterAuthBuildIsStale(dir), false);
  setAge(path.join(dir, "tsconfig.build.json"), 0);
  assert.equal(betterAuthBuildIsStale(dir), true, "a build setting changed after the build");
});

test("compat reads the oldest claimed Better Auth from the peer range and the newest from the lockfile", () => {
  assert.equal(oldestClaimed(">=1.2.0 <2"), "1.2.0");
  assert.equal(oldestClaimed(" >= 1.10.3"), "1.10.3");
  assert.throws(() => oldestClaimed("^1.2.0"), /does not start with ">=X.Y.Z"/);
  assert.throws(() => oldestClaimed(">=1.2"), /does not start with ">=X.Y.Z"/);
  assert.equal(newestLocked({ packages: { "node_modules/better-auth": { version: "1.7.25" } } }), "1.7.25");
  assert.throws(() => newestLocked({ packages: {} }), /installs no better-auth/);
});

test("the repository's package claims a range compat can read, and the lockfile installs a version inside it", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(BETTER_AUTH_PACKAGE, "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
  const oldest = oldestClaimed(pkg.peerDependencies["better-auth"]!).split(".").map(Number);
  const newest = newestLocked(JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"))).split(".").map(Number);
  const cmp = oldest.map((n, i) => n - newest[i]!).find((d) => d !== 0) ?? 0;
  assert.ok(cmp <= 0, "the lockfile's Better Auth is older than the oldest the package claims");
});
