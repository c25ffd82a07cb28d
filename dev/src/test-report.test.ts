import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import {
  type CoverageSummary,
  faultCounts,
  type FileCoverage,
  frontendCoverageGate,
  frontendCoverageLines,
  nodeTestCounts,
  outputTail,
  playwrightCounts,
  pytestCounts,
  pytestCoverageCounts,
  referenceLintCounts,
  ruffCounts,
  suiteLine,
  uncoveredLines,
  vitestCounts,
  vitestCoverageCounts,
} from "./test-report.ts";

test("pytest's closing line, warnings left out", () => {
  assert.equal(pytestCounts("....\n489 passed, 3 warnings in 45.67s\n"), "489 passed");
  assert.equal(pytestCounts("FAILED tests/x.py::t - boom\n2 failed, 487 passed, 1 skipped in 50.10s (0:00:50)\n"), "2 failed, 487 passed, 1 skipped");
  assert.equal(pytestCounts("========= 1 error in 0.31s =========\n"), "1 error");
  assert.equal(pytestCounts("no summary here\n"), null);
});

test("the backend suite's pytest counts with the coverage gate's line", () => {
  const line = "coverage backend: lines 91.2%, branches 85.0%; auth modules 100.0% lines (5 files)";
  assert.equal(pytestCoverageCounts(`....\n601 passed in 70.12s (0:01:10)\n${line}\n`), `601 passed; ${line.slice(18)}`);
  const below = "coverage backend: app/api/deps.py is below 100% of lines (97.0%); missing lines 67, 68";
  assert.equal(
    pytestCoverageCounts(`2 failed, 599 passed in 70.12s\n${below}\n${line.replace("100.0%", "99.1%")}\n`),
    "2 failed, 599 passed; lines 91.2%, branches 85.0%; auth modules 99.1% lines (5 files)",
  );
  assert.equal(pytestCoverageCounts("========= 1 error in 0.31s =========\n"), "1 error");
  assert.equal(pytestCoverageCounts("no summary here\n"), null);
});

test("node:test TAP totals", () => {
  assert.equal(nodeTestCounts("ok 1 - a\n# tests 12\n# pass 12\n# fail 0\n"), "12 passed");
  assert.equal(nodeTestCounts("# pass 10\n# fail 2\n"), "2 failed, 10 passed");
});

test("Vitest's Tests line, colours and all", () => {
  const green = "\x1b[2m Test Files \x1b[22m \x1b[1m\x1b[32m9 passed\x1b[39m\x1b[22m\x1b[90m (9)\x1b[39m\n\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m120 passed\x1b[39m\x1b[22m\x1b[90m (120)\x1b[39m\n";
  assert.equal(vitestCounts(green), "120 passed");
  assert.equal(vitestCounts("      Tests  2 failed | 118 passed (120)\n"), "2 failed, 118 passed");
});

test("the frontend suite's Vitest counts with the coverage gate's line, and the modules below", () => {
  const line = "coverage frontend: lines 44.5%, branches 40.7%; auth modules 100.0% lines (17 files)";
  assert.equal(vitestCoverageCounts(`      Tests  278 passed (278)\n${line}\n`), "278 passed; lines 44.5%, branches 40.7%; auth modules 100.0% lines (17 files)");
  const below = "coverage frontend: src/server/throttle.ts is below 100% of lines (96.3%); missing lines 114, 128-129";
  assert.equal(
    vitestCoverageCounts(`      Tests  278 passed (278)\n${below}\n${line.replace("100.0%", "99.6%")}\n`),
    "278 passed; lines 44.5%, branches 40.7%; auth modules 99.6% lines (17 files); below 100%: src/server/throttle.ts",
  );
  assert.equal(vitestCoverageCounts("coverage frontend: no report (vitest exited 1 before writing coverage-summary.json)\n"), null);
});

/** A file of `lines` lines, one statement each, run `hits[i]` times (istanbul's coverage-final.json shape). */
const fileCoverage = (hits: number[]): FileCoverage => ({
  statementMap: Object.fromEntries(hits.map((_, i) => [String(i), { start: { line: i + 1 } }])),
  s: Object.fromEntries(hits.map((n, i) => [String(i), n])),
});
const figures = (covered: number, total: number) => ({ lines: { covered, total }, branches: { covered, total } });

test("the lines no test ran, as ranges; a line ran when any statement on it did", () => {
  assert.equal(uncoveredLines(fileCoverage([1, 0, 3, 0, 0, 0, 2, 0])), "2, 4-6, 8");
  assert.equal(uncoveredLines(fileCoverage([1, 1])), "");
  const twoOnOneLine: FileCoverage = { statementMap: { 0: { start: { line: 7 } }, 1: { start: { line: 7 } } }, s: { 0: 0, 1: 4 } };
  assert.equal(uncoveredLines(twoOnOneLine), "");
});

test("the frontend coverage lines: every auth module below 100% named with its missing lines, then the totals", () => {
  const dir = "/repo/frontend";
  const summary: CoverageSummary = {
    total: { lines: { covered: 445, total: 1000 }, branches: { covered: 407, total: 1000 } },
    [`${dir}/src/server/a.ts`]: figures(10, 10),
    [`${dir}/src/server/b.ts`]: figures(27, 30),
  };
  const b = fileCoverage([...Array(27).fill(1), 0, 0, 0]);
  let reads = 0;
  const final = () => (reads++, { [`${dir}/src/server/b.ts`]: b });
  assert.deepEqual(frontendCoverageLines(summary, final, dir, ["src/server/a.ts"]), {
    lines: ["coverage frontend: lines 44.5%, branches 40.7%; auth modules 100.0% lines (1 files)"],
    ok: true,
  });
  assert.equal(reads, 0); // the big file is read only for a module below
  assert.deepEqual(frontendCoverageLines(summary, final, dir, ["src/server/a.ts", "src/server/b.ts", "src/server/gone.ts"]), {
    lines: [
      "coverage frontend: src/server/b.ts is below 100% of lines (90.0%); missing lines 28-30",
      "coverage frontend: src/server/gone.ts is not in the report (moved or removed? fix frontend/src/test/coverage-auth-modules.json)",
      "coverage frontend: lines 44.5%, branches 40.7%; auth modules 92.5% lines (3 files)",
    ],
    ok: false,
  });
});

test("the frontend coverage gate: fails on failed tests, on a module below, and on a run that wrote no report", async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "coverage-gate-"));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const dirs = { frontendDir: path.join(root, "frontend"), reportDir: path.join(root, "report"), modulesFile: path.join(root, "modules.json") };
  fs.mkdirSync(dirs.reportDir);
  fs.writeFileSync(dirs.modulesFile, JSON.stringify({ "the group": ["src/a.ts"] }));
  const file = path.join(dirs.frontendDir, "src/a.ts");
  const writeReport = (covered: number) => {
    const summary = { total: figures(covered, 4), [file]: figures(covered, 4) };
    fs.writeFileSync(path.join(dirs.reportDir, "coverage-summary.json"), JSON.stringify(summary));
    fs.writeFileSync(path.join(dirs.reportDir, "coverage-final.json"), JSON.stringify({ [file]: fileCoverage([1, 1, 1, covered === 4 ? 1 : 0]) }));
  };
  const printed = t.mock.method(console, "log", () => undefined);
  const lastPrinted = () => String(printed.mock.calls.at(-1)?.arguments[0]);

  assert.equal(await frontendCoverageGate(() => (writeReport(4), 0), dirs), 0);
  assert.equal(lastPrinted(), "coverage frontend: lines 100.0%, branches 100.0%; auth modules 100.0% lines (1 files)");
  assert.equal(await frontendCoverageGate(() => (writeReport(4), 1), dirs), 1); // a failed test fails the suite

  assert.equal(await frontendCoverageGate(() => (writeReport(3), 0), dirs), 1);
  assert.equal(
    lastPrinted(),
    "coverage frontend: src/a.ts is below 100% of lines (75.0%); missing lines 4\ncoverage frontend: lines 75.0%, branches 75.0%; auth modules 75.0% lines (1 files)",
  );

  // The last run's report is still there: a run that writes none must not pass on it.
  assert.equal(await frontendCoverageGate(() => 0, dirs), 1);
  assert.equal(lastPrinted(), "coverage frontend: no report (vitest exited 0 before writing coverage-summary.json)");
  assert.equal(await frontendCoverageGate(() => 2, dirs), 2);
});

test("Playwright's closing lines", () => {
  assert.equal(playwrightCounts("  ✓  1 [chromium] › a.spec.ts:3:1 › x (2.1s)\n\n  25 passed (1.2m)\n"), "25 passed");
  assert.equal(
    playwrightCounts("  1 failed\n    [chromium] › tests/a.spec.ts:10:5 › signs in\n  1 flaky\n  23 passed (1.3m)\n"),
    "1 failed, 1 flaky, 23 passed",
  );
});

test("fault checks, ruff and the reference lint", () => {
  assert.equal(faultCounts("  ✓ pass  x: y\n\nfaults: 11 passed, 0 failed\n"), "11 checks passed");
  assert.equal(faultCounts("faults: 9 passed, 2 failed\n"), "2 of 11 checks failed");
  assert.equal(ruffCounts("All checks passed!\n45 files already formatted\n"), "45 files already formatted");
  assert.equal(referenceLintCounts("a.md:1: b — c\n1 broken reference(s)\n"), "1 broken reference(s)");
});

test("one line per suite", () => {
  assert.equal(suiteLine({ name: "backend tests (pytest)", ok: true, seconds: 12.34, detail: "489 passed" }), "✓ backend tests (pytest) 12.3s  489 passed");
  assert.equal(suiteLine({ name: "frontend types (tsc)", ok: false, seconds: 3, detail: null }), "✗ frontend types (tsc) 3.0s");
});

test("a long output is cut to its end, pointing at the log", () => {
  const output = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
  assert.equal(outputTail(output, ".dev/logs/test/x.log", 3), "… 7 earlier lines in .dev/logs/test/x.log\nline 8\nline 9\nline 10");
  assert.equal(outputTail("a\nb\n", "x.log", 3), "a\nb");
});
