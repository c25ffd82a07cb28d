// `npm run compat`: @authbridge/better-auth against the Better Auth versions it claims. Packs the package
// (`npm pack`, what a user installs), then for the oldest version of its peer range and the newest one in
// package-lock.json makes a throwaway project in the system's temp folder (nothing of the repository in
// reach), installs the tarball with that Better Auth from the registry, type-checks and runs the package's
// portable tests there (test/issuer.test.ts, test/plugin.test.ts), and prints one line per version.
// `npm run compat -- 1.2.12 1.4.0` tries other versions instead (installed even outside the peer range).
// Not part of `npm test`: it downloads. docs/publishing.md "Compatibility".
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "@authbridge/harness";

const PACKAGE_DIR = path.join(ROOT, "packages", "better-auth");
/** The tests that need nothing but the package, Better Auth and the vectors file. */
const PORTABLE_TESTS = ["issuer.test.ts", "plugin.test.ts", "vectors.ts"];
/** What the throwaway project installs besides the tarball and Better Auth: the package's own test tools. */
const TEST_TOOLS = ["vitest", "jose", "typescript", "@types/node"];

interface Step {
  ok: boolean;
  output: string;
}

function step(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Step {
  const res = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { ok: res.status === 0, output: `${res.stdout ?? ""}${res.stderr ?? ""}${res.error ? res.error.message : ""}` };
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;

/** The lower bound of a peer range such as ">=1.3.0 <2": the oldest version the package claims. */
export function oldestClaimed(range: string): string {
  const match = /^>=\s*(\d+\.\d+\.\d+)(\s|$)/.exec(range.trim());
  if (!match?.[1]) throw new Error(`compat: the better-auth peer range "${range}" does not start with ">=X.Y.Z"`);
  return match[1];
}

/** The Better Auth version package-lock.json installs. */
export function newestLocked(lock: { packages?: Record<string, { version?: string }> }): string {
  const version = lock.packages?.["node_modules/better-auth"]?.version;
  if (!version) throw new Error("compat: package-lock.json installs no better-auth");
  return version;
}

/** The last lines of a failed step's output, for the terminal. */
const tail = (output: string, lines = 40) => output.trimEnd().split("\n").slice(-lines).join("\n");

/** "Tests  25 passed (25)" from Vitest's summary. */
const testCount = (output: string) => /Tests\s+(\d+ passed[^\n]*)/.exec(output.replace(/\u001b\[[0-9;]*m/g, ""))?.[1]?.trim() ?? "?";

function writeProject(dir: string, vectors: string): void {
  fs.mkdirSync(path.join(dir, "test"), { recursive: true });
  for (const file of PORTABLE_TESTS) fs.copyFileSync(path.join(PACKAGE_DIR, "test", file), path.join(dir, "test", file));
  fs.copyFileSync(vectors, path.join(dir, "vectors.json"));
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "authbridge-compat", private: true, type: "module" }, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, "vitest.config.mjs"), 'export default { test: { include: ["test/*.test.ts"], testTimeout: 20000 } };\n');
  const compilerOptions = {
    target: "ES2022", lib: ["ES2022", "DOM"], module: "ESNext", moduleResolution: "Bundler", strict: true,
    noUncheckedIndexedAccess: true, noEmit: true, skipLibCheck: true, types: ["node"],
  };
  fs.writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify({ compilerOptions, include: ["test/*.ts"] }, null, 2)}\n`);
}

export async function compatCommand(args: string[]): Promise<number> {
  const pkg = readJson(path.join(PACKAGE_DIR, "package.json")) as {
    version: string;
    peerDependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const range = pkg.peerDependencies["better-auth"]!;
  const claimed = [oldestClaimed(range), newestLocked(readJson(path.join(ROOT, "package-lock.json")))];
  const versions = [...new Set(args.length ? args : claimed)];
  const probing = args.length > 0;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "authbridge-compat-"));
  const t0 = performance.now();
  console.log(`compat: @authbridge/better-auth (peer better-auth "${range}") in ${work}`);

  const packed = step("npm", ["pack", "--workspace", "packages/better-auth", "--pack-destination", work, "--loglevel=error"], ROOT);
  // npm names a scoped package's tarball scope-name-version.tgz.
  const tarball = path.join(work, `authbridge-better-auth-${pkg.version}.tgz`);
  if (!packed.ok || !fs.existsSync(tarball)) {
    console.log(`✗ npm pack failed\n${tail(packed.output)}`);
    return 1;
  }
  const tools = TEST_TOOLS.map((name) => `${name}@${pkg.devDependencies[name]!}`);

  let failed = 0;
  for (const version of versions) {
    const t1 = performance.now();
    const dir = path.join(work, `better-auth-${version}`);
    writeProject(dir, path.join(ROOT, "contracts", "jwt", "vectors.json"));
    const installArgs = ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball, `better-auth@${version}`, ...tools];
    // A version named on the command line is a probe: installed even where the peer range says no.
    if (probing) installArgs.push("--legacy-peer-deps");
    const steps: [string, () => Step][] = [
      ["npm install", () => step("npm", installArgs, dir)],
      ["tsc", () => step("npx", ["--no-install", "tsc", "-p", "."], dir)],
      ["vitest", () => step("npx", ["--no-install", "vitest", "run"], dir, { AUTHBRIDGE_VECTORS: path.join(dir, "vectors.json") })],
    ];
    let failure: { name: string; output: string } | null = null;
    let tests = "";
    for (const [name, fn] of steps) {
      const result = fn();
      if (name === "vitest") tests = testCount(result.output);
      if (!result.ok) {
        failure = { name, output: result.output };
        break;
      }
    }
    const seconds = ((performance.now() - t1) / 1000).toFixed(1);
    if (failure) {
      failed += 1;
      console.log(`✗ better-auth ${version}: ${failure.name} failed (${seconds}s)\n${tail(failure.output)}`);
    } else {
      console.log(`✓ better-auth ${version}: types ok, ${tests} (${seconds}s)`);
    }
  }
  if (failed === 0) fs.rmSync(work, { recursive: true, force: true });
  else console.log(`the failed projects stay in ${work}`);
  console.log(`compat: ${String(versions.length - failed)} of ${String(versions.length)} versions passed in ${((performance.now() - t0) / 1000).toFixed(0)}s`);
  return failed ? 1 : 0;
}
