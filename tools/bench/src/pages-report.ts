// Prints i. Pages (pages.ts): one table per measure, one row per frontend measured (before / after
// when `--pages-compare` names another checkout).
import { fmt, table } from "@authbridge/harness";
import type { PagesSide } from "./pages.ts";

export function printPages(sides: PagesSide[]): void {
  console.log("\ni. Pages, production builds (next start; uvicorn 2 workers)");
  for (const s of sides) {
    console.log(`${s.label}: ${fmt(s.statements.perRender, 2)} statements per dashboard render (${s.statements.total} over ${s.statements.renders}, PostgreSQL's log):`);
    for (const [text, count] of Object.entries(s.statements.texts)) console.log(`  ${count}× ${text}`);
  }
  console.log(
    table(
      ["frontend", "page", "status", "renders", "server CPU ms/render", "p50 ms", "p99 ms"],
      sides.flatMap((s) => s.costs.map((c) => [s.label, c.page, c.status, c.renders, fmt(c.cpuMs, 2), fmt(c.p50, 1), fmt(c.p99, 1)])),
    ),
  );
  console.log(
    table(
      ["frontend", "dashboard, concurrency", "pages/s", "p50 ms", "p99 ms", "errors", "requests"],
      sides.flatMap((s) => s.load.map((r) => [s.label, r.concurrency, fmt(r.rps, 1), fmt(r.p50, 0), fmt(r.p99, 0), r.errors, r.requests])),
    ),
  );
  console.log(
    table(
      ["frontend", 'click "Add task" → in the list, p50 ms', "→ next frame, p50 ms", "each (ms, in the DOM)"],
      sides.map((s) => [s.label, fmt(s.add?.p50Dom ?? Number.NaN, 1), fmt(s.add?.p50Frame ?? Number.NaN, 1), (s.add?.domMs ?? []).map((x) => fmt(x, 0)).join(" ")]),
    ),
  );
}
