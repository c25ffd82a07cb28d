// The house's figures and its size gate, by hand (docs/layout.md "Measuring the house"):
//   node --import tsx dev/src/house-rules/main.ts [--root DIR] [--duplicates] [--list]
// prints the table (lines per top folder, files over 300, functions over 60, and with --duplicates the
// `duplicates` pairs, ~2 min); `npm test` runs houseRules() as its "house rules (sizes)" suite.
import path from "node:path";
import { BY_DESIGN, duplicatePairs } from "./duplicates.ts";
import { gate } from "./gate.ts";
import { crossings } from "./crossings.ts";
import { MAX_FILE_LINES, MAX_FUNCTION_LINES, type Measures, measure, sourceFiles } from "./measure.ts";

export function figures(m: Measures): string[] {
  const rows = [...m.linesPerFolder].sort(([a], [b]) => a.localeCompare(b));
  const total = rows.reduce((sum, [, n]) => sum + n, 0);
  return [
    `source files ${m.files}, lines ${total}`,
    ...rows.map(([folder, n]) => `  ${folder.padEnd(12)} ${String(n).padStart(6)}`),
    `files over ${MAX_FILE_LINES} lines: ${m.longFiles.length}`,
    `functions over ${MAX_FUNCTION_LINES} lines: ${m.longFunctions.length}`,
  ];
}

/**
 * The gate: one line per offender (a piece over its limit or allowance, an import across the tooling's workspaces),
 * then a summary; 0 when there is none.
 */
export function houseRules(root: string): number {
  const m = measure(root);
  const g = gate(m);
  const crossed = crossings(root, sourceFiles(root));
  for (const line of figures(m)) console.log(line);
  for (const o of [...g.offenders, ...crossed]) console.log(`✗ ${o}`);
  for (const a of g.unused) console.log(`allowance no longer needed: ${a.path}${a.fn ? ` ${a.fn}` : ""}`);
  const across = crossed.length ? `, ${crossed.length} imports across workspaces` : "";
  console.log(`house rules: ${g.offenders.length} over the limits, ${g.allowed} allowed${across}`);
  return g.offenders.length || crossed.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--root");
  const root = path.resolve(at >= 0 ? args[at + 1]! : process.cwd());
  const m = measure(root);
  for (const line of figures(m)) console.log(line);
  if (args.includes("--list")) {
    for (const f of m.longFiles) console.log(`  file ${f.lines} ${f.where}`);
    for (const f of m.longFunctions) console.log(`  function ${f.lines} ${f.where}`);
  }
  if (args.includes("--duplicates")) {
    const d = duplicatePairs(root);
    if (!d) console.log("duplicates: the tool is not on PATH");
    else {
      const kinds = `generated ${d.generated.length}, migrations ${d.migrations.length}`;
      const unlisted = d.unlisted ? `, not listed ${d.unlisted}` : "";
      console.log(`duplicates pairs: ${d.total} (boilerplate ${d.boilerplate}, tests only ${d.tests}, ${kinds}, product ${d.product.length}${unlisted})`);
      for (const line of d.incomplete) console.log(`  ${line}`);
      if (d.generated.length) console.log(`  generated: ${BY_DESIGN.generated}`);
      for (const row of d.generated) console.log(`    ${row}`);
      if (d.migrations.length) console.log(`  migrations: ${BY_DESIGN.migration}`);
      for (const row of d.migrations) console.log(`    ${row}`);
      if (d.product.length) console.log("  product:");
      for (const row of d.product) console.log(`    ${row}`);
    }
  }
}
