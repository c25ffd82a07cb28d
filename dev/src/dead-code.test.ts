import assert from "node:assert/strict";
import { test } from "node:test";
import { deadCodeCounts, knipFindings } from "./dead-code.ts";

test("knip's JSON report becomes one line per finding, files without a name", () => {
  const report = {
    issues: [
      { file: "kit/a.ts", exports: [{ name: "unused", line: 3 }], files: [], dependencies: [] },
      { file: "kit/x/package.json", dependencies: [{ name: "left-pad", line: 12 }] },
      { file: "kit/gone.ts", files: [{ name: "kit/gone.ts" }] },
    ],
  };
  assert.deepEqual(knipFindings(report), ["kit/a.ts:3 exports unused", "kit/x/package.json:12 dependencies left-pad", "kit/gone.ts unused file"]);
});

test("the suite's line: none found, or only the tools that found something", () => {
  assert.equal(deadCodeCounts("dead code: knip 0, vulture backend 0, vulture authbridge 0"), "none found");
  assert.equal(deadCodeCounts("x\ndead code: knip 2, vulture backend 0, vulture authbridge 1\n"), "knip 2, vulture authbridge 1");
  assert.equal(deadCodeCounts("knip crashed"), null);
});
