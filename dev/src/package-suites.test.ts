import assert from "node:assert/strict";
import { test } from "node:test";
import { artifactCounts } from "./package-artifacts.ts";
import { pythonPackageCounts } from "./python-package.ts";

test("the python package suite's line: pytest's counts and the package's coverage line", () => {
  const log = [
    "347 passed in 18.96s",
    "coverage authbridge: lines 100.0%, branches 96.9% (10 modules, each held at 100% of lines)",
  ].join("\n");
  assert.equal(pythonPackageCounts(log), "347 passed; lines 100.0%, branches 96.9% (10 modules, each held at 100% of lines)");
});

test("the python package suite's line names a module below 100% of lines", () => {
  const log = [
    "339 passed, 8 deselected in 17.00s",
    "coverage authbridge: src/authbridge/session_check.py is below 100% of lines (92.1%); missing lines 133-140",
    "coverage authbridge: lines 95.7%, branches 88.5% (10 modules, each held at 100% of lines)",
  ].join("\n");
  assert.equal(
    pythonPackageCounts(log),
    "339 passed, 8 deselected; lines 95.7%, branches 88.5% (10 modules, each held at 100% of lines); below 100%: src/authbridge/session_check.py",
  );
  assert.equal(pythonPackageCounts("ruff: 1 error\n"), null);
});

test("the artifacts suite's line is its closing line", () => {
  const log = "✓ uv build (wheel, sdist) 2.6s\nartifacts: a.whl 24 KB; GET /me 200, then 401 TOKEN_REVOKED 10 ms after the sign-out (24s)\n-- examples/fastapi's output:\n";
  assert.equal(artifactCounts(log), "a.whl 24 KB; GET /me 200, then 401 TOKEN_REVOKED 10 ms after the sign-out (24s)");
  assert.equal(artifactCounts("✗ npm pack failed\n"), null);
});
