// The suite "dead code (knip, vulture)" of `npm test` (docs/development.md "Dead code"): knip over the Node
// workspaces (knip.config.ts: what it cannot see by itself, each with its reason) and vulture over the backend and
// packages/python (their pyproject.toml [tool.vulture]: paths, confidence and the names frameworks call). One line
// per finding, then `dead code: knip N, vulture backend N, vulture authbridge N`; any finding fails the suite.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { BACKEND_DIR, ROOT, uv, UV_ENV } from "@authbridge/harness";

interface KnipIssue {
  file: string;
  [kind: string]: unknown;
}

/** knip's JSON report as one line per finding: `file:line kind name`. */
export function knipFindings(report: { issues: KnipIssue[] }): string[] {
  const lines: string[] = [];
  for (const issue of report.issues) {
    for (const [kind, items] of Object.entries(issue)) {
      if (kind === "file" || !Array.isArray(items)) continue;
      for (const item of items as { name: string; line?: number }[]) {
        lines.push(`${issue.file}${item.line ? `:${item.line}` : ""} ${kind === "files" ? "unused file" : kind} ${kind === "files" ? "" : item.name}`.trimEnd());
      }
    }
  }
  return lines;
}

function knip(): string[] {
  const res = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "knip", "bin", "knip.js"), "--no-progress", "--reporter", "json"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
  try {
    return knipFindings(JSON.parse(res.stdout) as { issues: KnipIssue[] });
  } catch {
    return [`knip did not report (exit ${res.status ?? "none"}): ${(res.stderr || res.stdout).trim().split("\n").slice(-3).join(" / ")}`];
  }
}

/** vulture in a uv project: one line per finding (exit 3 means findings; any other failure is one line too). */
function vulture(dir: string): string[] {
  const [cmd, ...pre] = uv();
  const res = spawnSync(cmd!, [...pre, "run", "--frozen", "vulture"], { cwd: dir, env: { ...process.env, ...UV_ENV }, encoding: "utf8", timeout: 300_000 });
  const out = `${res.stdout}${res.stderr}`.trim();
  if (res.status === 0) return [];
  if (res.status === 3) return out.split("\n").filter(Boolean);
  return [`vulture failed in ${path.relative(ROOT, dir)} (exit ${res.status ?? "none"}): ${out.split("\n").slice(-2).join(" / ")}`];
}

export function deadCode(): number {
  const found = {
    knip: knip(),
    "vulture backend": vulture(BACKEND_DIR),
    "vulture authbridge": vulture(path.join(ROOT, "packages", "python")),
  };
  for (const lines of Object.values(found)) for (const line of lines) console.log(line);
  console.log(`dead code: ${Object.entries(found).map(([tool, lines]) => `${tool} ${lines.length}`).join(", ")}`);
  return Object.values(found).some((lines) => lines.length) ? 1 : 0;
}

/** The suite's line: `none found`, or the counts of the tools that found something. */
export function deadCodeCounts(log: string): string | null {
  const m = [...log.matchAll(/^dead code: (.+)$/gm)].pop();
  if (!m) return null;
  const found = m[1]!.split(", ").filter((part) => !part.endsWith(" 0"));
  return found.length ? found.join(", ") : "none found";
}
