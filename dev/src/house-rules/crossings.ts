// The tooling's workspaces meet only through each other's public index (docs/layout.md "The tooling's
// workspaces"): a relative import from one workspace's file into another workspace is a crossing. Imports by
// package name are held to the index by each package's "exports"; this catches the paths that go around it.
import fs from "node:fs";
import path from "node:path";

export const TOOLING_WORKSPACES = ["dev", "tools/mail-client", "tools/harness", "tools/prod", "tools/bench", "tools/faults"];

const IMPORT = /^\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"|^\s*import\s+"(\.{1,2}\/[^"]+)"/gm;

const workspaceOf = (file: string) => TOOLING_WORKSPACES.find((ws) => file === ws || file.startsWith(`${ws}/`));

/** `file:line → target` for each relative import of `text` (at `file`) that lands in another tooling workspace. */
export function crossingsIn(file: string, text: string): string[] {
  const from = workspaceOf(file);
  const found: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1] ?? m[2]!));
    const to = workspaceOf(target);
    if (to && to !== from) found.push(`${file}:${text.slice(0, m.index).split("\n").length} imports ${target}: use "@authbridge/${path.posix.basename(to)}"`);
  }
  return found;
}

/** Every crossing among the source files (repository-relative) of the tooling's workspaces. */
export function crossings(root: string, files: string[]): string[] {
  return files.filter((f) => /\.(ts|mjs)$/.test(f) && workspaceOf(f)).flatMap((f) => crossingsIn(f, fs.readFileSync(path.join(root, f), "utf8")));
}
