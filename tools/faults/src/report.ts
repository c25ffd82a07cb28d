// Pass/fail with figures, one line per check, and the closing `faults: N passed, M failed` line.
export interface CheckResult {
  scenario: string;
  check: string;
  ok: boolean;
  figure: string;
}

/** Records one check of a scenario and prints it; returns `ok`. */
export type Check = (check: string, ok: boolean, figure: string) => boolean;

export class Report {
  readonly results: CheckResult[] = [];

  scenario(name: string): Check {
    console.log(`\n── ${name}`);
    return (check, ok, figure) => {
      this.results.push({ scenario: name, check, ok, figure });
      console.log(`  ${ok ? "✓ pass" : "✗ FAIL"}  ${check}: ${figure}`);
      return ok;
    };
  }

  /** A scenario that threw before finishing counts as one failed check. */
  crashed(name: string, err: unknown): void {
    const figure = (err as Error).message?.split("\n")[0] ?? String(err);
    this.results.push({ scenario: name, check: "scenario ran to the end", ok: false, figure });
    console.log(`  ✗ FAIL  scenario ran to the end: ${figure}`);
  }

  get failed(): number {
    return this.results.filter((r) => !r.ok).length;
  }

  close(): number {
    const passed = this.results.length - this.failed;
    console.log(`\nfaults: ${passed} passed, ${this.failed} failed`);
    return this.failed ? 1 : 0;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function histogram(statuses: number[]): string {
  const h: Record<string, number> = {};
  for (const s of statuses) h[s] = (h[s] ?? 0) + 1;
  return Object.entries(h).map(([s, n]) => `${s === "0" ? "no answer" : s}×${n}`).join(" ") || "none";
}

/** The `code` of a JSON error body, or null when the body is not one. */
export function errorCode(body: string): string | null {
  try {
    const v = JSON.parse(body) as { code?: unknown };
    return typeof v.code === "string" ? v.code : null;
  } catch {
    return null;
  }
}
