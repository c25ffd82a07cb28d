// The workspace packages the app consumes as built: packages/better-auth/ is imported from its dist/
// (what its npm tarball holds), which `npm ci` builds once (the package's `prepare`). The launcher rebuilds it
// before every command when a source is newer than the build, so `npm run dev`, `npm test` and `npm run prod`
// never run the app against a stale dist/.
import fs from "node:fs";
import path from "node:path";
import { ROOT, run } from "@authbridge/harness";

export const BETTER_AUTH_PACKAGE = path.join(ROOT, "packages", "better-auth");

/** The newest modification time (ms) of the files under `dir` (recursively), 0 when there are none. */
function newestMtime(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : entry.isFile() ? fs.statSync(full).mtimeMs : 0);
  }
  return newest;
}

/** Whether packages/better-auth/dist/ is missing or older than a source or build setting. */
export function betterAuthBuildIsStale(dir = BETTER_AUTH_PACKAGE): boolean {
  const built = path.join(dir, "dist", "index.js");
  if (!fs.existsSync(built)) return true;
  const inputs = [newestMtime(path.join(dir, "src")), ...["package.json", "tsconfig.build.json"].map((f) => fs.statSync(path.join(dir, f)).mtimeMs)];
  return Math.max(...inputs) > newestMtime(path.join(dir, "dist"));
}

/** Builds packages/better-auth/ when stale (about 5 s); one line when it does. */
export function ensurePackagesBuilt(): void {
  if (!betterAuthBuildIsStale()) return;
  const t0 = performance.now();
  fs.rmSync(path.join(BETTER_AUTH_PACKAGE, "dist"), { recursive: true, force: true });
  const status = run("npm", ["run", "build", "--workspace", "packages/better-auth", "--silent"], { cwd: ROOT });
  if (status !== 0) throw new Error("building packages/better-auth failed (npm run build --workspace packages/better-auth)");
  console.log(`✓ build packages/better-auth ${((performance.now() - t0) / 1000).toFixed(1)}s`);
}
