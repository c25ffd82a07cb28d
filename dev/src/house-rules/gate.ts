// The size gate of `npm test` ("house rules"): no source file over 300 lines and no function over 60, except
// what ALLOWED names. Each allowance has a ceiling (`max`), so an allowed piece cannot grow unseen, and a reason.
import { MAX_FILE_LINES, MAX_FUNCTION_LINES, type Measures, type Sized } from "./measure.ts";
import { ALLOWED, type Allowance } from "./allowed.ts";

export interface GateResult {
  offenders: string[];
  allowed: number;
  /** Allowances nothing needs any more (said, not failed: they go in the next clean-up). */
  unused: Allowance[];
}

const fileOf = (where: string) => where.replace(/:\d+ .*$/, "");
const nameOf = (where: string) => where.replace(/^[^ ]*:\d+ /, "");

export function gate(m: Measures, allowed: Allowance[] = ALLOWED): GateResult {
  const used = new Set<Allowance>();
  const offenders: string[] = [];
  const check = (piece: Sized, limit: number, match: (a: Allowance) => boolean) => {
    const allowance = allowed.find(match);
    if (allowance && piece.lines <= allowance.max) used.add(allowance);
    else if (allowance) offenders.push(`${piece.where}: ${piece.lines} lines, over its allowance of ${allowance.max} (${allowance.reason})`);
    else offenders.push(`${piece.where}: ${piece.lines} lines (limit ${limit})`);
  };
  for (const f of m.longFiles) check(f, MAX_FILE_LINES, (a) => a.fn === undefined && a.path === f.where);
  for (const f of m.longFunctions) check(f, MAX_FUNCTION_LINES, (a) => a.path === fileOf(f.where) && a.fn === nameOf(f.where));
  return { offenders, allowed: used.size, unused: allowed.filter((a) => !used.has(a)) };
}
