import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { captureOutput, run } from "./proc.ts";

const logFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "authbridge-capture-")), "sub", "suite.log");

test("a capture takes our own output and the commands' output, in order, into the log", async () => {
  const file = logFile();
  const realWrite = process.stdout.write;
  const got = await captureOutput(file, () => {
    console.log("before");
    const status = run("sh", ["-c", "echo from-child; echo to-stderr >&2; exit 3"]);
    console.error(`after ${status}`);
    return status;
  });
  assert.equal(got.ok, true);
  assert.equal(got.value, 3);
  assert.equal(got.output, "before\nfrom-child\nto-stderr\nafter 3\n");
  assert.equal(fs.readFileSync(file, "utf8"), got.output);
  assert.equal(process.stdout.write, realWrite, "stdout is restored");
});

test("an exception comes back as the result, output kept, terminal restored", async () => {
  const realWrite = process.stderr.write;
  const got = await captureOutput(logFile(), async () => {
    process.stdout.write("partial output\n");
    throw new Error("setup broke");
  });
  assert.equal(got.ok, false);
  assert.equal(got.error?.message, "setup broke");
  assert.equal(got.output, "partial output\n");
  assert.equal(process.stderr.write, realWrite);
});

test("captures do not nest", async () => {
  const got = await captureOutput(logFile(), () => captureOutput(logFile(), () => 1));
  assert.equal(got.ok, false);
  assert.match(got.error!.message, /does not nest/);
});
