// The suite `python package (authbridge)` of `npm test`: packages/python's ruff, mypy (strict) and its own tests
// with their coverage gate (scripts/coverage_gate.py: every module at 100% of lines), on the test database's
// server (each run makes and drops a throwaway database). docs/development.md "Coverage".
import path from "node:path";
import { ROOT, run, uv, UV_ENV } from "@authbridge/harness";
import { pytestCounts } from "./test-report.ts";

const PYTHON_PACKAGE_DIR = path.join(ROOT, "packages", "python");

function uvIn(args: string[], env: Record<string, string>, timeoutMs = 300_000): number {
  const [cmd, ...pre] = uv();
  return run(cmd, [...pre, ...args], { cwd: PYTHON_PACKAGE_DIR, env: { ...UV_ENV, ...env }, timeoutMs });
}

export function pythonPackageTests(env: Record<string, string>): number {
  const steps: [string[], number?][] = [
    [["sync", "--frozen", "--quiet"]],
    [["run", "--frozen", "ruff", "check", "."]],
    [["run", "--frozen", "ruff", "format", "--check", "."]],
    [["run", "--frozen", "mypy"]],
    [["run", "--frozen", "python", "scripts/coverage_gate.py"], 600_000],
  ];
  return steps.reduce((status, [args, timeoutMs]) => status || uvIn(args, env, timeoutMs), 0);
}

/** `347 passed; lines 100.0%, branches 96.9% (10 modules, each held at 100% of lines)`, plus the modules below. */
export function pythonPackageCounts(log: string): string | null {
  const clean = log.replace(/\u001b\[[0-9;]*m/g, "");
  const coverage = [...clean.matchAll(/^coverage authbridge: (lines .+)$/gm)].pop()?.[1];
  const below = [...clean.matchAll(/^coverage authbridge: (\S+) (?:is below 100% of lines|: never imported)/gm)].map((m) => m[1]);
  return [pytestCounts(log), coverage, below.length ? `below 100%: ${below.join(", ")}` : null].filter(Boolean).join("; ") || null;
}
