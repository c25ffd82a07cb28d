// Figures as text: numbers with a fixed precision and aligned Markdown tables (the bench and fault
// reports print them; docs/benchmarks.md quotes them).

/** Several rows in one aligned text table. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => String(c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(cells[0]), sep, ...cells.slice(1).map(line)].join("\n");
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

/** A fraction as a percentage with one decimal. */
export const pct = (x: number) => `${fmt(x * 100, 1)}%`;

/** Terminal colour and cursor codes, which some tools print even into a pipe. */
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Playwright (list reporter): the closing `  1 failed`, `  2 flaky`, `  25 passed (1.2m)` lines. */
export function playwrightCounts(log: string): string | null {
  const lines = [...log.replace(ANSI, "").replace(/\r/g, "").matchAll(/^ {2}(\d+ (?:failed|flaky|skipped|interrupted|did not run|passed))\b/gm)].map((m) => m[1]);
  return lines.length ? lines.join(", ") : null;
}
