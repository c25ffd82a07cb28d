// `npm test`: every suite, against real parts. Always the local TLS PostgreSQL (never the DATABASE_URL
// in .env), a fresh test database migrated to head, then: reference lint, house rules (sizes), dead code,
// the tooling's tests, backend lint + pytest, the packages, frontend lint + types + unit tests, the packages'
// artifacts, browser tests, fast fault scenarios.
// Quiet by default: one line per suite; each suite's output goes to .dev/logs/test/<suite>.log and is
// printed only when the suite fails, after the last suite and before the summary. AUTHBRIDGE_VERBOSE=1
// streams everything instead. The last line is always `suites: N passed, M failed`.
import fs from "node:fs";
import path from "node:path";
import { buildFrontend, captureOutput, ensureChromium, type LocalIdp, type LocalPostgres, LOG_DIR, type MailCatcher, migrate, MISMATCH_TEST_FRONTEND_PORT, prepareTestDatabases, ROOT, run, runAsync, type Stack, startFrontendOnly, startLocalIdp, startMailCatcher, startStack, STRICT_TEST_PORTS, syncPython, TEST_IDP_CLIENT_ID, TEST_IDP_CLIENT_SECRET, TEST_IDP_PORT, TEST_MAIL_PORTS, TEST_PORTS, uvRun, VERBOSE } from "@authbridge/harness";
import { runFastFaults } from "@authbridge/faults";
import { deadCode, deadCodeCounts } from "./dead-code.ts";
import { TOOLING_WORKSPACES } from "./house-rules/crossings.ts";
import { houseRules } from "./house-rules/main.ts";
import { artifactCounts, packageArtifacts } from "./package-artifacts.ts";
import { pythonPackageCounts, pythonPackageTests } from "./python-package.ts";
import { referenceLint } from "./reference-lint/lint.ts";
import * as counts from "./test-report.ts";
import { outputTail, suiteLine } from "./test-report.ts";

interface Suite {
  name: string;
  run: (env: Record<string, string>) => number | Promise<number>;
  /** The pass/fail counts in the suite's output, for its line. */
  counts?: (output: string) => string | null;
}

interface Result {
  name: string;
  ok: boolean;
  seconds: number;
  detail?: string | null;
  /** The message of the exception that ended the step, if one did. */
  error?: string;
  /** Captured output and its log file (quiet mode only). */
  output?: string;
  logFile?: string;
}

const TEST_LOG_DIR = path.join(LOG_DIR, "test");
/** How much of a failed suite's output is printed; the rest stays in its log file. */
const FAILURE_TAIL_LINES = 400;

const npmWs = (ws: string, script: string, timeoutMs = 600_000) => (env: Record<string, string>) =>
  run("npm", ["run", script, "--workspace", ws], { cwd: ROOT, env, timeoutMs });

/** Every tooling workspace's src/*.test.ts (docs/layout.md) in one node:test run, so that its closing counts cover them all. */
function toolingTests(env: Record<string, string>): number {
  const files = TOOLING_WORKSPACES.flatMap((ws) =>
    fs
      .readdirSync(path.join(ROOT, ws, "src"))
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => path.join(ws, "src", f)),
  );
  return run(process.execPath, ["--import", "tsx", "--test", ...files], { cwd: ROOT, env, timeoutMs: 600_000 });
}

const SUITES: Suite[] = [
  { name: "reference lint", run: () => referenceLint(ROOT), counts: counts.referenceLintCounts },
  // No file over 300 lines, no function over 60, but the allowances of dev/src/house-rules/allowed.ts.
  { name: "house rules (sizes)", run: () => houseRules(ROOT), counts: counts.houseRulesCounts },
  { name: "dead code (knip, vulture)", run: deadCode, counts: deadCodeCounts },
  { name: "tooling tests (node:test)", run: toolingTests, counts: counts.nodeTestCounts },
  {
    name: "backend lint (ruff)",
    run: (env) => uvRun(["run", "--frozen", "ruff", "check", "."], env) || uvRun(["run", "--frozen", "ruff", "format", "--check", "."], env),
    counts: counts.ruffCounts,
  },
  // pytest with coverage; fails when an auth module is below 100% of lines (docs/development.md "Coverage").
  { name: "backend tests (pytest)", run: (env) => uvRun(["run", "--frozen", "python", "scripts/coverage_gate.py"], env, 900_000), counts: counts.pytestCoverageCounts },
  // packages/python: ruff, mypy, then its tests with every module at 100% of lines (packages/python/scripts/coverage_gate.py).
  { name: "python package (authbridge)", run: pythonPackageTests, counts: pythonPackageCounts },
  // packages/better-auth: ESLint, types (its build, its tests, examples/nextjs), then Vitest with its own threshold,
  // 100% of lines per file (packages/better-auth/vitest.config.ts).
  {
    name: "package better-auth (eslint, tsc, vitest)",
    run: (env) => ["lint", "typecheck", "test"].reduce((status, script) => status || npmWs("packages/better-auth", script)(env), 0),
    counts: counts.vitestCounts,
  },
  { name: "frontend lint (eslint)", run: npmWs("frontend", "lint") },
  { name: "frontend types (tsc)", run: npmWs("frontend", "typecheck") },
  // Vitest with V8 coverage (frontend/vitest.config.ts), then the coverage line from its json-summary; fails
  // when an auth module is below 100% of lines, naming it (docs/development.md "Coverage").
  {
    name: "frontend tests (vitest)",
    run: (env) =>
      counts.frontendCoverageGate(() => npmWs("frontend", "test:coverage")(env), {
        frontendDir: path.join(ROOT, "frontend"),
        reportDir: path.join(ROOT, ".dev", "coverage", "frontend"), // vitest.config.ts coverage.reportsDirectory
        modulesFile: path.join(ROOT, "frontend", "src", "test", "coverage-auth-modules.json"),
      }),
    counts: counts.vitestCoverageCounts,
  },
  // The npm tarball, the wheel and the sdist installed outside the repository; examples/fastapi from the wheel
  // answers a token the packed plugin minted, then refuses it once the session ends (dev/src/package-artifacts.ts).
  { name: "packages (artifacts)", run: packageArtifacts, counts: artifactCounts },
  { name: "browser tests (playwright)", run: browserTests, counts: counts.playwrightCounts },
  // After the browser tests: reuses their production build. Provisions its own crashable cluster.
  { name: "fault scenarios (fast)", run: runFastFaults, counts: counts.faultCounts },
];

/**
 * Production build, then three stacks on the test ports, and Playwright in Debian's Chromium: the
 * product's default (sign-up signs in), strict mode (REQUIRE_EMAIL_VERIFICATION=true on both sides),
 * and a default-mode frontend in front of the strict backend (the policies disagreeing). Each
 * Playwright project (e2e/playwright.config.ts) runs against its own. All three sign in through the test
 * OpenID provider (OIDC_* in `env`, started in setup); the strict one offers GitHub and Google too.
 */
async function browserTests(env: Record<string, string>): Promise<number> {
  const chromium = ensureChromium();
  // No limit to lift: every browser user signs up from 127.0.0.1, and without a trusted address header the
  // throttle counts per account, email and user only (docs/security.md "Rate limiting").
  buildFrontend(env);
  const quiet = !process.env.E2E_VERBOSE;
  const strictEnv = {
    ...env,
    REQUIRE_EMAIL_VERIFICATION: "true",
    BETTER_AUTH_URL: `http://localhost:${STRICT_TEST_PORTS.frontend}`,
    BACKEND_URL: `http://localhost:${STRICT_TEST_PORTS.backend}`,
    // GitHub and Google buttons too (test credentials: the specs check what the browser is sent there, offline).
    GITHUB_CLIENT_ID: "e2e-github-client",
    GITHUB_CLIENT_SECRET: "e2e-github-secret",
    GOOGLE_CLIENT_ID: "e2e-google-client.apps.googleusercontent.com",
    GOOGLE_CLIENT_SECRET: "e2e-google-secret",
  };
  const mismatchEnv = { ...strictEnv, REQUIRE_EMAIL_VERIFICATION: "false", BETTER_AUTH_URL: `http://localhost:${MISMATCH_TEST_FRONTEND_PORT}` };
  const stacks: Stack[] = [];
  try {
    stacks.push(await startStack(env, { quiet }), await startStack(strictEnv, { quiet }), await startFrontendOnly(mismatchEnv, { quiet }));
    const [main, strict, mismatch] = stacks as [Stack, Stack, Stack];
    // Not `run`: the stacks' output pipes must keep draining while Playwright runs (proc.ts runAsync).
    return await runAsync("npx", ["playwright", "test"], {
      cwd: `${ROOT}/e2e`,
      env: {
        ...env,
        CHROMIUM_PATH: chromium,
        E2E_FRONTEND_URL: main.frontendUrl,
        E2E_BACKEND_URL: main.backendUrl,
        E2E_STRICT_FRONTEND_URL: strict.frontendUrl,
        E2E_STRICT_BACKEND_URL: strict.backendUrl,
        E2E_MISMATCH_FRONTEND_URL: mismatch.frontendUrl,
      },
      timeoutMs: 900_000,
    });
  } finally {
    await Promise.all(stacks.map((s) => s.stop()));
  }
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const since = (t0: number) => (performance.now() - t0) / 1000;

/**
 * Runs one step: streamed under a `━━ name` header when verbose, else captured into its log file.
 * An exception is a failure with its message as the detail.
 */
async function runStep<T>(name: string, fn: () => T | Promise<T>): Promise<{ value?: T; result: Result }> {
  const t0 = performance.now();
  if (VERBOSE) {
    console.log(`\n━━ ${name}`);
    try {
      const value = await fn();
      return { value, result: { name, ok: true, seconds: since(t0) } };
    } catch (err) {
      const error = (err as Error).message;
      return { result: { name, ok: false, seconds: since(t0), detail: error, error } };
    }
  }
  const logFile = path.join(TEST_LOG_DIR, `${slug(name)}.log`);
  const got = await captureOutput(logFile, fn);
  const result: Result = { name, ok: got.ok, seconds: since(t0), output: got.output, logFile: path.relative(ROOT, logFile) };
  if (got.error) result.detail = result.error = got.error.message;
  return { value: got.value, result };
}

async function runSuite(suite: Suite, env: Record<string, string>): Promise<Result> {
  const { value, result } = await runStep(suite.name, () => suite.run({ ...env, CI: process.env.CI ?? "" }));
  if (result.ok && value !== 0) result.ok = false;
  if (result.detail === undefined && result.output !== undefined) result.detail = suite.counts?.(result.output) ?? null;
  return result;
}

/** A failed step's captured output, under a header naming its log file. */
function printFailure(r: Result): void {
  if (r.output === undefined) return;
  console.log(`\n━━ ${r.name} failed — output (${r.logFile}):`);
  console.log(outputTail(r.output, r.logFile!, FAILURE_TAIL_LINES));
  if (r.error) console.log(`✗ ${r.error}`);
}

export async function testCommand(args: string[]): Promise<number> {
  const only = args.length ? args : null;
  const t0 = performance.now();
  const suites = SUITES.filter((s) => !only || only.some((o) => s.name.includes(o)));
  const started: LocalPostgres[] = [];
  let mail: MailCatcher | null = null;
  let idp: LocalIdp | null = null;
  const results: Result[] = [];
  try {
    const setup = await runStep("setup (uv sync, test databases, migrations)", async () => {
      syncPython();
      const dbs = await prepareTestDatabases();
      started.push(...dbs.started);
      migrate(dbs.env);
      // Every suite's mail lands here; tests read it through the catcher's JSON API.
      mail = await startMailCatcher("test", TEST_MAIL_PORTS, { quiet: !VERBOSE });
      // The OpenID provider of every app the suites start (OIDC_* in the env): the three browser stacks' callbacks.
      const appUrls = [TEST_PORTS.frontend, STRICT_TEST_PORTS.frontend, MISMATCH_TEST_FRONTEND_PORT].map((p) => `http://localhost:${p}`);
      idp = await startLocalIdp(TEST_IDP_PORT, { clientId: TEST_IDP_CLIENT_ID, clientSecret: TEST_IDP_CLIENT_SECRET, appUrls }, { quiet: !VERBOSE });
      return dbs.env;
    });
    console.log(suiteLine(setup.result));
    if (!setup.result.ok) {
      printFailure(setup.result);
      throw new Error(`test setup failed: ${setup.result.detail}`);
    }
    for (const suite of suites) {
      const r = await runSuite(suite, setup.value!);
      results.push(r);
      console.log(suiteLine(r));
    }
  } finally {
    for (const cluster of started) cluster.stop();
    await (mail as MailCatcher | null)?.service?.stop();
    await (idp as LocalIdp | null)?.service?.stop();
  }
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) printFailure(r);
  console.log(`\n━━ summary`);
  if (failed.length) console.log(`failed: ${failed.map((r) => r.name).join(", ")}`);
  console.log(`total ${since(t0).toFixed(0)}s`);
  console.log(`suites: ${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length ? 1 : 0;
}
