// `npm test`: every suite, against real parts. Always the local TLS PostgreSQL (never the DATABASE_URL
// in .env), a fresh test database migrated to head, then: launcher tests, backend lint + pytest,
// frontend lint + types + unit tests, browser tests. Ends with one summary line.
import { migrate } from "./database.ts";
import { runFastFaults } from "./faults/command.ts";
import { ROOT } from "./paths.ts";
import { run } from "./proc.ts";
import { prepareTestDatabases } from "./test-db.ts";
import { buildFrontend, startStack } from "./stack.ts";
import { ensureChromium, syncPython, uvRun } from "./toolchain.ts";

interface Suite {
  name: string;
  run: (env: Record<string, string>) => number | Promise<number>;
}

const npmWs = (ws: string, script: string, timeoutMs = 600_000) => (env: Record<string, string>) =>
  run("npm", ["run", script, "--workspace", ws], { cwd: ROOT, env, timeoutMs });

const SUITES: Suite[] = [
  { name: "dev launcher (node:test)", run: npmWs("dev", "test") },
  {
    name: "backend lint (ruff)",
    run: (env) => uvRun(["run", "--frozen", "ruff", "check", "."], env) || uvRun(["run", "--frozen", "ruff", "format", "--check", "."], env),
  },
  { name: "backend tests (pytest)", run: (env) => uvRun(["run", "--frozen", "pytest", "-q"], env, 900_000) },
  { name: "frontend lint (eslint)", run: npmWs("frontend", "lint") },
  { name: "frontend types (tsc)", run: npmWs("frontend", "typecheck") },
  { name: "frontend tests (vitest)", run: npmWs("frontend", "test") },
  { name: "browser tests (playwright)", run: browserTests },
  // After the browser tests: reuses their production build. Provisions its own crashable cluster.
  { name: "fault scenarios (fast)", run: runFastFaults },
];

/** Production build + both services on the test ports, then Playwright in Debian's Chromium. */
async function browserTests(env: Record<string, string>): Promise<number> {
  const chromium = ensureChromium();
  // Every browser user signs up from 127.0.0.1 within a minute: lift the per-address limits for this run only.
  env = { ...env, AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE: "1000", AUTH_RATE_LIMIT_SIGN_UP_PER_MINUTE: "1000" };
  buildFrontend(env);
  const stack = await startStack(env, { quiet: !process.env.E2E_VERBOSE });
  try {
    return run("npx", ["playwright", "test"], {
      cwd: `${ROOT}/e2e`,
      env: { ...env, CHROMIUM_PATH: chromium, E2E_FRONTEND_URL: stack.frontendUrl, E2E_BACKEND_URL: stack.backendUrl },
      timeoutMs: 900_000,
    });
  } finally {
    await stack.stop();
  }
}

export async function testCommand(args: string[]): Promise<number> {
  const only = args.length ? args : null;
  const t0 = performance.now();
  syncPython();
  const { env, started } = await prepareTestDatabases();
  const results: { name: string; ok: boolean; seconds: number }[] = [];
  try {
    migrate(env);
    for (const suite of SUITES) {
      if (only && !only.some((o) => suite.name.includes(o))) continue;
      console.log(`\n━━ ${suite.name}`);
      const s0 = performance.now();
      let ok = false;
      try {
        ok = (await suite.run({ ...env, CI: process.env.CI ?? "" })) === 0;
      } catch (err) {
        console.error(`✗ ${suite.name}: ${(err as Error).message}`);
      }
      results.push({ name: suite.name, ok, seconds: (performance.now() - s0) / 1000 });
    }
  } finally {
    for (const cluster of started) cluster.stop();
  }
  console.log("\n━━ summary");
  for (const r of results) console.log(`${r.ok ? "✓" : "✗"} ${r.name} (${r.seconds.toFixed(1)}s)`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)}s`);
  console.log(`suites: ${results.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

