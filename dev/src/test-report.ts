// What `npm test` prints: one line per suite with its counts, and for a failed suite the end of its
// captured output. The counts come from each tool's own summary line; the frontend's coverage line
// comes from Vitest's JSON reports (frontendCoverageGate).
import fs from "node:fs";
import path from "node:path";
import { playwrightCounts } from "@authbridge/harness";

export { playwrightCounts };

/** Terminal colour and cursor codes, which some tools print even into a pipe. */
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const clean = (log: string) => log.replace(ANSI, "").replace(/\r/g, "");

const lastMatch = (log: string, re: RegExp): RegExpMatchArray | null => [...clean(log).matchAll(re)].at(-1) ?? null;

/** pytest: `489 passed, 2 skipped, 3 warnings in 45.67s` → `489 passed, 2 skipped`. */
export function pytestCounts(log: string): string | null {
  const m = lastMatch(log, /^=*\s*((?:\d+ \w+(?: \w+)?,? ?)+) in [\d.]+s/gm);
  if (!m) return null;
  return m[1].split(",").map((s) => s.trim()).filter((s) => !/warning/.test(s)).join(", ") || null;
}

/** The backend suite (backend/scripts/coverage_gate.py): pytest's counts and the coverage line after them,
 * `601 passed; lines 91.2%, branches 85.0%; auth modules 100.0% lines (5 files)`. */
export function pytestCoverageCounts(log: string): string | null {
  const coverage = lastMatch(log, /^coverage backend: (lines .+)$/gm);
  return [pytestCounts(log), coverage?.[1]].filter(Boolean).join("; ") || null;
}

/** The frontend suite: Vitest's counts and the coverage line the gate prints after them (frontendCoverageGate),
 * `278 passed; lines 44.5%, branches 40.7%; auth modules 100.0% lines (17 files)`, plus the auth modules
 * below 100% of lines, if any. */
export function vitestCoverageCounts(log: string): string | null {
  const coverage = lastMatch(log, /^coverage frontend: (lines .+)$/gm);
  const below = [...clean(log).matchAll(/^coverage frontend: (\S+) (?:is below 100% of lines|is not in the report)/gm)].map((m) => m[1]);
  return [vitestCounts(log), coverage?.[1], below.length ? `below 100%: ${below.join(", ")}` : null].filter(Boolean).join("; ") || null;
}

/** A file's (or the total's) figures in Vitest's json-summary, istanbul's coverage-summary.json. */
export interface CoverageFigures {
  lines: { total: number; covered: number };
  branches: { total: number; covered: number };
}
/** coverage-summary.json: `total`, and each file by its absolute path. */
export type CoverageSummary = Record<string, CoverageFigures>;
/** One file in coverage-final.json (istanbul's format): where each statement starts, and its hit count. */
export interface FileCoverage {
  statementMap: Record<string, { start: { line: number } }>;
  s: Record<string, number>;
}

const percent = (covered: number, total: number) => (total ? (100 * covered) / total : 100);

/** `12, 40-42`: the lines no test ran, as istanbul counts lines (a line ran when a statement starting on it did). */
export function uncoveredLines(file: FileCoverage): string {
  const hits = new Map<number, number>();
  for (const [id, count] of Object.entries(file.s)) {
    const line = file.statementMap[id]?.start.line;
    if (line !== undefined) hits.set(line, Math.max(hits.get(line) ?? 0, count));
  }
  const missed = [...hits].filter(([, count]) => count === 0).map(([line]) => line).sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < missed.length; ) {
    let j = i;
    while (j + 1 < missed.length && missed[j + 1] === missed[j]! + 1) j++;
    ranges.push(i === j ? `${missed[i]}` : `${missed[i]}-${missed[j]}`);
    i = j + 1;
  }
  return ranges.join(", ");
}

/**
 * The frontend coverage gate's lines: one per auth module (path from `frontendDir`) below 100% of its
 * lines, naming the lines no test ran (from `final`, coverage-final.json), then the summary line
 * `coverage frontend: lines 44.5%, branches 40.7%; auth modules 100.0% lines (17 files)`.
 */
export function frontendCoverageLines(
  summary: CoverageSummary,
  final: () => Record<string, FileCoverage>,
  frontendDir: string,
  authModules: readonly string[],
): { lines: string[]; ok: boolean } {
  const lines: string[] = [];
  let covered = 0;
  let total = 0;
  for (const name of authModules) {
    const file = path.join(frontendDir, name);
    const figures = summary[file];
    if (!figures) {
      lines.push(`coverage frontend: ${name} is not in the report (moved or removed? fix frontend/src/test/coverage-auth-modules.json)`);
      continue;
    }
    covered += figures.lines.covered;
    total += figures.lines.total;
    if (figures.lines.covered < figures.lines.total) {
      const missing = final()[file];
      lines.push(
        `coverage frontend: ${name} is below 100% of lines (${percent(figures.lines.covered, figures.lines.total).toFixed(1)}%)` +
          (missing ? `; missing lines ${uncoveredLines(missing)}` : ""),
      );
    }
  }
  const ok = lines.length === 0;
  const all = summary.total;
  const overall = all
    ? `lines ${percent(all.lines.covered, all.lines.total).toFixed(1)}%, branches ${percent(all.branches.covered, all.branches.total).toFixed(1)}%`
    : "lines ?, branches ?";
  lines.push(`coverage frontend: ${overall}; auth modules ${percent(covered, total).toFixed(1)}% lines (${authModules.length} files)`);
  return { lines, ok };
}

/**
 * The frontend suite (docs/development.md "Coverage"): `runTests` (Vitest with coverage into
 * `reportDir`), then the coverage lines from its json-summary. Fails when the tests did, or when an
 * auth module (the list in `modulesFile`) is below 100% of its lines. A report from an earlier run is
 * removed first, so a run that wrote none cannot pass on it.
 */
export async function frontendCoverageGate(
  runTests: () => number | Promise<number>,
  dirs: { frontendDir: string; reportDir: string; modulesFile: string },
): Promise<number> {
  const summaryFile = path.join(dirs.reportDir, "coverage-summary.json");
  fs.rmSync(summaryFile, { force: true });
  const tests = await runTests();
  if (!fs.existsSync(summaryFile)) {
    console.log(`coverage frontend: no report (vitest exited ${tests} before writing ${path.basename(summaryFile)})`);
    return tests || 1;
  }
  const read = <T>(file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as T;
  const modules = Object.values(read<Record<string, string[]>>(dirs.modulesFile)).flat();
  let final: Record<string, FileCoverage> | undefined; // read only when a module is below, once
  const { lines, ok } = frontendCoverageLines(
    read<CoverageSummary>(summaryFile),
    () => (final ??= read<Record<string, FileCoverage>>(path.join(dirs.reportDir, "coverage-final.json"))),
    dirs.frontendDir,
    modules,
  );
  console.log(lines.join("\n"));
  return tests !== 0 ? tests : ok ? 0 : 1;
}

/** node:test (TAP): `# pass 12` and `# fail 0` → `12 passed`. */
export function nodeTestCounts(log: string): string | null {
  const pass = lastMatch(log, /^# pass (\d+)$/gm);
  const fail = lastMatch(log, /^# fail (\d+)$/gm);
  if (!pass) return null;
  return fail && fail[1] !== "0" ? `${fail[1]} failed, ${pass[1]} passed` : `${pass[1]} passed`;
}

/** The size gate: `house rules: 0 over the limits, 41 allowed` → `0 over the limits, 41 allowed`. */
export function houseRulesCounts(log: string): string | null {
  return lastMatch(log, /^house rules: (.+)$/gm)?.[1] ?? null;
}

/** Vitest: `Tests  2 failed | 118 passed (120)` → `2 failed, 118 passed`. */
export function vitestCounts(log: string): string | null {
  const m = lastMatch(log, /^\s*Tests\s+(.+?)\s+\(\d+\)\s*$/gm);
  return m ? m[1].split("|").map((s) => s.trim()).join(", ") : null;
}


/** The fault scenarios: `faults: 11 passed, 0 failed` → `11 checks passed`. */
export function faultCounts(log: string): string | null {
  const m = lastMatch(log, /^faults: (\d+) passed, (\d+) failed$/gm);
  if (!m) return null;
  return m[2] === "0" ? `${m[1]} checks passed` : `${m[2]} of ${Number(m[1]) + Number(m[2])} checks failed`;
}

/** ruff: `12 files already formatted` (the check's `All checks passed!` says nothing more). */
export function ruffCounts(log: string): string | null {
  const m = lastMatch(log, /^(\d+ files? (?:already formatted|would be reformatted))/gm);
  return m ? m[1] : null;
}

/** The reference lint's closing line. */
export function referenceLintCounts(log: string): string | null {
  const m = lastMatch(log, /^(no broken references|\d+ broken reference\(s\))$/gm);
  return m ? m[1] : null;
}

/** `✓ backend tests (pytest) 12.3s  489 passed` */
export function suiteLine(r: { name: string; ok: boolean; seconds: number; detail?: string | null }): string {
  return `${r.ok ? "✓" : "✗"} ${r.name} ${r.seconds.toFixed(1)}s${r.detail ? `  ${r.detail}` : ""}`;
}

/** The last `maxLines` lines of a captured output, saying how many earlier lines the log file holds. */
export function outputTail(output: string, logFile: string, maxLines: number): string {
  const lines = output.replace(/\n$/, "").split("\n");
  if (lines.length <= maxLines) return lines.join("\n");
  return [`… ${lines.length - maxLines} earlier lines in ${logFile}`, ...lines.slice(-maxLines)].join("\n");
}
