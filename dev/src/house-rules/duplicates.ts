// The `duplicates` tool's pair count for a checkout (`duplicates --most 200 --seconds 300`, on PATH where the
// house measures itself), split into boilerplate, test-only and product pairs. Optional: a machine without
// the tool gets `null`, and the figures table says so.
import { spawnSync } from "node:child_process";

export interface DuplicatePairs {
  total: number;
  boilerplate: number;
  /** Not boilerplate, both sides in tests or test helpers. */
  tests: number;
  /** Not boilerplate, at least one side in product code. */
  product: string[];
}

const TEST_PATH = /(^|\/)(tests?|e2e|test-support)\/|\.(test|spec|integration\.test)\.[a-z]+$|(^|\/)test_[^/]*\.py$|(^|\/)conftest\.py$/;

export function duplicatePairs(root: string, seconds = 300): DuplicatePairs | null {
  const res = spawnSync("duplicates", ["--most", "200", "--seconds", String(seconds)], { cwd: root, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (res.error || res.status !== 0) return null;
  return classifyPairs(res.stdout);
}

/** The pairs of one `duplicates` listing, classified. */
function classifyPairs(listing: string): DuplicatePairs {
  const rows = listing.split("\n").filter((l) => /^D\d+ /.test(l));
  const pairs: DuplicatePairs = { total: rows.length, boilerplate: 0, tests: 0, product: [] };
  for (const row of rows) {
    if (/ boilerplate\b/.test(row)) pairs.boilerplate++;
    else {
      const [, a = "", , b = ""] = row.split(" ");
      const files = [a, b].map((side) => side.replace(/:\d+-\d+$/, ""));
      if (files.every((f) => TEST_PATH.test(f))) pairs.tests++;
      else pairs.product.push(row);
    }
  }
  return pairs;
}
