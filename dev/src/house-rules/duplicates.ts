// The `duplicates` tool's pair count for a checkout (`duplicates --most 200 --seconds 300`, on PATH where the
// house measures itself), split into boilerplate, generated, migration, test-only and product pairs. Optional: a
// machine without the tool gets `null`, and the figures table says so.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface DuplicatePairs {
  /** Every pair the tool found (its first line), listed or not. */
  total: number;
  /** Found but not listed (`--most` cut them), so not classified. */
  unlisted: number;
  /** The tool's `incomplete: …` lines: what it did not read or pair in its time. */
  incomplete: string[];
  boilerplate: number;
  /** Not boilerplate, one side written by a generator (its reason: BY_DESIGN.generated). */
  generated: string[];
  /** Not boilerplate, one side an Alembic revision (its reason: BY_DESIGN.migration). */
  migrations: string[];
  /** Not boilerplate, both sides in tests or test helpers. */
  tests: number;
  /** Not boilerplate, at least one side in product code. */
  product: string[];
}

/** Why a likeness of these kinds is left as it is: shown with the rows, never counted as product. */
export const BY_DESIGN = {
  generated: "written by a tool from a source of truth (its header says so): regenerated, never edited by hand",
  migration: "an Alembic revision freezes the statements of its day on purpose: history is not rewritten",
} as const;

const TEST_PATH = /(^|\/)(tests?|e2e|test-support)\/|\.(test|spec|integration\.test)\.[a-z]+$|(^|\/)test_[^/]*\.py$|(^|\/)conftest\.py$/;
const MIGRATION_PATH = /(^|\/)alembic\/versions\/[^/]+\.py$/;
/** The header a generator writes at a file's top (openapi-typescript's "auto-generated", the usual "@generated"). */
const GENERATED_HEADER = /auto-generated|@generated\b/i;

export function duplicatePairs(root: string, seconds = 300): DuplicatePairs | null {
  const res = spawnSync("duplicates", ["--most", "200", "--seconds", String(seconds)], { cwd: root, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (res.error || res.status !== 0) return null;
  return classifyPairs(res.stdout, (file) => fileHead(path.join(root, file)));
}

/** A file's first 400 characters, where a generator's header stands ("" if it cannot be read). */
function fileHead(file: string): string {
  try {
    const fd = fs.openSync(file, "r");
    const buf = Buffer.alloc(400);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    return buf.subarray(0, n).toString("utf8");
  } catch {
    return "";
  }
}

/** The pairs of one `duplicates` listing, classified; `head(file)` gives a file's first lines. */
export function classifyPairs(listing: string, head: (file: string) => string): DuplicatePairs {
  const lines = listing.split("\n");
  const rows = lines.filter((l) => /^D\d+ /.test(l));
  const found = Number(/^(\d+) pairs? of places/.exec(lines[0] ?? "")?.[1] ?? rows.length);
  const incomplete = lines.filter((l) => l.startsWith("incomplete:"));
  const pairs: DuplicatePairs = { total: found, unlisted: found - rows.length, incomplete, boilerplate: 0, generated: [], migrations: [], tests: 0, product: [] };
  for (const row of rows) {
    if (/ boilerplate\b/.test(row)) {
      pairs.boilerplate++;
      continue;
    }
    const [, a = "", , b = ""] = row.split(" ");
    const files = [a, b].map((side) => side.replace(/:\d+-\d+$/, ""));
    if (files.some((f) => GENERATED_HEADER.test(head(f)))) pairs.generated.push(row);
    else if (files.some((f) => MIGRATION_PATH.test(f))) pairs.migrations.push(row);
    else if (files.every((f) => TEST_PATH.test(f))) pairs.tests++;
    else pairs.product.push(row);
  }
  return pairs;
}
