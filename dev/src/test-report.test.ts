import assert from "node:assert/strict";
import { test } from "node:test";
import {
  faultCounts,
  nodeTestCounts,
  outputTail,
  playwrightCounts,
  pytestCounts,
  pytestCoverageCounts,
  referenceLintCounts,
  ruffCounts,
  suiteLine,
  vitestCounts,
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
