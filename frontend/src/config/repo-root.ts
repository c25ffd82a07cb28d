// Where the repo root is: the parent of frontend/. Next, vitest and tsx all run with
// cwd = frontend/, but we walk up so a run from the repo root works too.
import { existsSync } from "node:fs";
import path from "node:path";

export function findRepoRoot(start: string = process.cwd()): string {
  let dir = path.resolve(/*turbopackIgnore: true*/ start);
  for (;;) {
    if (existsSync(path.join(/*turbopackIgnore: true*/ dir, "frontend", "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(/*turbopackIgnore: true*/ start, "..");
    dir = parent;
  }
}

/** Relative paths in .env (DATABASE_CA_CERT) resolve against the repo root. */
export function resolveFromRepoRoot(p: string, root: string = findRepoRoot()): string {
  return path.isAbsolute(p) ? p : path.join(/*turbopackIgnore: true*/ root, p);
}
