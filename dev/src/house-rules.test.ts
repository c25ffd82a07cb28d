import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { crossingsIn } from "./house-rules/crossings.ts";
import { gate } from "./house-rules/gate.ts";
import { type Measures, pythonFunctions, typescriptFunctions } from "./house-rules/measure.ts";

test("a relative import into another tooling workspace is a crossing; within one, or by package name, it is not", () => {
  const text = [
    'import { send } from "../../harness/src/http-client.ts";',
    'import { caddyfile } from "./caddy.ts";',
    'import { TlsClient } from "@authbridge/harness";',
    'import { keyCheckValue } from "../../../frontend/src/config/key-check-value.ts";',
    'export { x } from "../../../dev/src/main.ts";',
  ].join("\n");
  assert.deepEqual(crossingsIn("tools/prod/src/doctor.ts", text), [
    'tools/prod/src/doctor.ts:1 imports tools/harness/src/http-client.ts: use "@authbridge/harness"',
    'tools/prod/src/doctor.ts:5 imports dev/src/main.ts: use "@authbridge/dev"',
  ]);
  assert.deepEqual(crossingsIn("dev/src/house-rules/gate.ts", 'import { ALLOWED } from "./allowed.ts";\nimport { m } from "../measure.ts";'), []);
});

test("functions are measured from their first line to their last: declarations, methods, arrows, callbacks", () => {
  const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join("\n");
  const text = [
    `export function long() {\n${body(60)}\n}`,
    `class C {\n  method() {\n${body(3)}\n  }\n}`,
    `const arrow = () => {\n${body(1)}\n};`,
    `describe("x", () => {\n${body(2)}\n});`,
  ].join("\n");
  const found = typescriptFunctions("kit/a.ts", text).map((f) => `${f.where} ${f.lines}`);
  assert.deepEqual(found, ["kit/a.ts:1 long 62", "kit/a.ts:64 method 5", "kit/a.ts:70 arrow 3", "kit/a.ts:73 (callback of describe) 4"]);
});

test("Python functions through ast, decorators included", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "house-rules-"));
  fs.writeFileSync(path.join(dir, "m.py"), "import functools\n\n\n@functools.cache\ndef f():\n    return 1\n\n\nasync def g():\n    pass\n");
  assert.deepEqual(pythonFunctions(dir, ["m.py"]), [{ where: "m.py:4 f", lines: 3 }, { where: "m.py:9 g", lines: 2 }]);
  fs.rmSync(dir, { recursive: true });
});

test("the gate: an allowance covers up to its ceiling, a piece without one fails, an unneeded one is said", () => {
  const m: Measures = {
    files: 3,
    linesPerFolder: new Map(),
    longFiles: [{ where: "kit/big.ts", lines: 320 }],
    longFunctions: [
      { where: "kit/a.ts:3 allowed", lines: 70 },
      { where: "kit/a.ts:90 grown", lines: 81 },
      { where: "kit/b.ts:1 fresh", lines: 61 },
    ],
  };
  const allowances = [
    { path: "kit/big.ts", max: 320, reason: "generated" },
    { path: "kit/a.ts", fn: "allowed", max: 70, reason: "a page's JSX" },
    { path: "kit/a.ts", fn: "grown", max: 80, reason: "a page's JSX" },
    { path: "kit/gone.ts", max: 400, reason: "split since" },
  ];
  const g = gate(m, allowances);
  assert.deepEqual(g.offenders, ["kit/a.ts:90 grown: 81 lines, over its allowance of 80 (a page's JSX)", "kit/b.ts:1 fresh: 61 lines (limit 60)"]);
  assert.equal(g.allowed, 2);
  assert.deepEqual(g.unused.map((a) => a.path), ["kit/a.ts", "kit/gone.ts"]);
});
