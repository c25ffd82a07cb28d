// What the project installs for itself on a fresh machine beyond npm: uv + the backend's Python
// dependencies, and from Debian: Chromium (browser tests), Caddy and PgBouncer (`npm run prod`).
import fs from "node:fs";
import { BACKEND_DIR } from "./paths.ts";
import { capture, run } from "./proc.ts";

/** uv never downloads a Python build here: the machine's Python 3.11+ is used. */
export const UV_ENV = { UV_PYTHON_DOWNLOADS: "never", UV_NO_PROGRESS: "1" };

let uvCmd: string[] | null = null;

/** The command that runs uv: `uv` on PATH, else `python3 -m uv`, installing it with pip if needed. */
export function uv(): string[] {
  if (uvCmd) return uvCmd;
  if (capture("uv", ["--version"]) !== null) return (uvCmd = ["uv"]);
  const viaPython = ["python3", "-m", "uv"];
  if (capture(viaPython[0], [...viaPython.slice(1), "--version"]) === null) {
    console.log("[setup] installing uv with pip…");
    const base = ["-m", "pip", "install", "--quiet", "--user", "uv"];
    if (run("python3", base) !== 0 && run("python3", [...base, "--break-system-packages"]) !== 0) {
      throw new Error("could not install uv; install it yourself (https://docs.astral.sh/uv/) and run again");
    }
  }
  return (uvCmd = viaPython);
}

/** Runs uv inside backend/ (its project), returning the exit status. */
export function uvRun(args: string[], env: Record<string, string> = {}, timeoutMs?: number): number {
  const [cmd, ...pre] = uv();
  return run(cmd, [...pre, ...args], { cwd: BACKEND_DIR, env: { ...UV_ENV, ...env }, timeoutMs });
}

/** Creates/updates backend/.venv from uv.lock (a no-op when nothing changed). */
export function syncPython(): void {
  if (uvRun(["sync", "--frozen", "--quiet"]) !== 0) throw new Error("uv sync failed for backend/");
}

const CHROMIUM = "/usr/bin/chromium";

/** Debian's Chromium for Playwright (browser downloads are not possible here). */
export function ensureChromium(): string {
  return ensureDebianPackage(CHROMIUM, "chromium", "the browser tests");
}

/** Debian's Caddy, the reverse proxy of `npm run prod` (tools/prod/src/caddy.ts). */
export function ensureCaddy(): string {
  return ensureDebianPackage("/usr/bin/caddy", "caddy", "npm run prod (its HTTPS proxy)");
}

/** Debian's PgBouncer, the transaction-mode pooler of `npm run prod -- --pooler` (tools/prod/src/pgbouncer.ts). */
export function ensurePgBouncer(): string {
  return ensureDebianPackage("/usr/sbin/pgbouncer", "pgbouncer", "npm run prod --pooler");
}

/** NSS's certutil, to make a throwaway browser profile trust the local CA (tools/faults/src/prod-e2e.ts). */
export function ensureCertutil(): string {
  return ensureDebianPackage("/usr/bin/certutil", "libnss3-tools", "the browser tests through the HTTPS proxy");
}

/** `binary` from Debian package `pkg`, installed with apt-get when we are root and it is missing. */
function ensureDebianPackage(binary: string, pkg: string, neededBy: string): string {
  if (fs.existsSync(binary)) return binary;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && fs.existsSync("/usr/bin/apt-get")) {
    console.log(`[setup] installing Debian's ${pkg} for ${neededBy}…`);
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    if (run("apt-get", ["update", "-qq"], { env }) === 0) run("apt-get", ["install", "-y", "-qq", pkg], { env });
    if (fs.existsSync(binary)) return binary;
  }
  throw new Error(`${neededBy} needs ${binary}: run \`sudo apt-get install -y ${pkg}\``);
}
