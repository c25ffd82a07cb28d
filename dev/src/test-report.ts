// What `npm test` prints: one line per suite with its counts, and for a failed suite the end of its
// captured output. The counts come from each tool's own summary line.

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

/** node:test (TAP): `# pass 12` and `# fail 0` → `12 passed`. */
export function nodeTestCounts(log: string): string | null {
  const pass = lastMatch(log, /^# pass (\d+)$/gm);
  const fail = lastMatch(log, /^# fail (\d+)$/gm);
  if (!pass) return null;
  return fail && fail[1] !== "0" ? `${fail[1]} failed, ${pass[1]} passed` : `${pass[1]} passed`;
}

/** Vitest: `Tests  2 failed | 118 passed (120)` → `2 failed, 118 passed`. */
export function vitestCounts(log: string): string | null {
  const m = lastMatch(log, /^\s*Tests\s+(.+?)\s+\(\d+\)\s*$/gm);
  return m ? m[1].split("|").map((s) => s.trim()).join(", ") : null;
}

/** Playwright (list reporter): the closing `  1 failed`, `  2 flaky`, `  25 passed (1.2m)` lines. */
export function playwrightCounts(log: string): string | null {
  const lines = [...clean(log).matchAll(/^ {2}(\d+ (?:failed|flaky|skipped|interrupted|did not run|passed))\b/gm)].map((m) => m[1]);
  return lines.length ? lines.join(", ") : null;
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
