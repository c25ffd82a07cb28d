import assert from "node:assert/strict";
import { test } from "node:test";
import { Report } from "./report.ts";
import { runInWorld } from "./runner.ts";

const world = () => {
  const w = { stopped: 0, stop: async () => void w.stopped++ };
  return w;
};

test("a scenario that throws is one failed check, the next still runs, the world is stopped", async () => {
  const report = new Report();
  const w = world();
  const ran: string[] = [];
  await runInWorld(report, async () => w, [
    { name: "breaks", run: async () => { ran.push("breaks"); throw new Error("boom\nstack"); } },
    { name: "passes", run: async (_w, r) => { ran.push("passes"); r.scenario("passes")("works", true, "1 s"); } },
  ]);
  assert.deepEqual(ran, ["breaks", "passes"]);
  assert.equal(w.stopped, 1);
  assert.deepEqual(report.results.map((r) => [r.scenario, r.ok, r.figure]), [["breaks", false, "boom"], ["passes", true, "1 s"]]);
});

test("a world that does not start: a failed check under its name, or the error to the caller", async () => {
  const report = new Report();
  await runInWorld(report, () => Promise.reject(new Error("no cluster")), [{ name: "never", run: async () => assert.fail("ran") }], "topology (direct)");
  assert.deepEqual(report.results.map((r) => [r.scenario, r.ok, r.figure]), [["topology (direct)", false, "no cluster"]]);
  await assert.rejects(runInWorld(new Report(), () => Promise.reject(new Error("no cluster")), []), /no cluster/);
});
