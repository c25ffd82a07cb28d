// The suite `packages (artifacts)` of `npm test`: the two packages proven from what a user installs, outside the
// repository. It builds the npm tarball of packages/better-auth (`npm pack`) and the wheel and sdist of
// packages/python (`uv build`), installs them into a throwaway Node project and fresh virtual environments in the
// system's temp folder (nothing of the repository in reach: no workspace, no path dependency, no PYTHONPATH), then
// runs examples/fastapi/main.py from the wheel on a free loopback port against the test database, with a .env of
// its own. A small Node script signs a user up with Better Auth and the installed plugin, on the same database, and
// gets the backend token: GET /me must answer 200 with that user; it signs out: GET /me must answer 401
// TOKEN_REVOKED within a second. Temp folders and processes are removed whatever happens.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { newestLocked } from "./compat-command.ts";
import { ensurePackagesBuilt } from "./packages.ts";
import { freePort, ROOT, uv, UV_ENV } from "@authbridge/harness";
import { LIST_ARTIFACTS, NODE_SCRIPT } from "./package-artifacts-scripts.ts";

const PYTHON_PACKAGE = path.join(ROOT, "packages", "python");
const EXAMPLE = path.join(ROOT, "examples", "fastapi", "main.py");
/** The test database's settings the example and the Node script get (through their own .env / environment). */
const PASSED = ["BETTER_AUTH_SECRET", "DATABASE_URL", "BACKEND_JWT_ISSUER", "BACKEND_JWT_AUDIENCE", "BACKEND_JWT_LIFETIME_SECONDS"];
const REVOKED_WITHIN_MS = 1_000;

interface Step {
  ok: boolean;
  output: string;
}

/** The launcher's environment without anything that points into the repository or carries the app's settings: a
 * shell outside it (its proxy and CA settings kept). */
let appSettings: Set<string> = new Set();
function outsideEnv(extra: Record<string, string> = {}): Record<string, string> {
  const repoPointers = ["PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "NODE_PATH", "INIT_CWD", "PWD", "OLDPWD"];
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || appSettings.has(name) || repoPointers.includes(name)) continue;
    if (name.startsWith("npm_package_") || name.startsWith("npm_lifecycle_") || name.startsWith("UV_PROJECT")) continue;
    // npm's run-script puts the repository's prefix and workspace into the environment: never the temp project's.
    if (/^npm_config_(local_prefix|prefix|workspaces?|include_workspace_root)$/i.test(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

function step(label: string, cmd: string, args: string[], cwd: string, env: Record<string, string>): Step {
  const t0 = performance.now();
  const res = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  const output = `${res.stdout ?? ""}${res.stderr ?? ""}${res.error ? res.error.message : ""}`;
  const ok = res.status === 0;
  console.log(`${ok ? "✓" : "✗"} ${label} ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  if (!ok) console.log(output.trimEnd().split("\n").slice(-40).join("\n"));
  return { ok, output };
}

/** The single file of `dir` whose name ends with `suffix`. */
function only(dir: string, suffix: string): string {
  const found = fs.readdirSync(dir).filter((f) => f.endsWith(suffix));
  if (found.length !== 1) throw new Error(`expected one *${suffix} in ${dir}, found ${found.join(", ") || "none"}`);
  return path.join(dir, found[0]!);
}

async function getMe(base: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/me`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid!, "SIGTERM");
  } catch {
    return Promise.resolve();
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      /* gone */
    }
  }, 5_000);
  return exited.finally(() => clearTimeout(timer));
}

interface Artifacts {
  wheel: string;
  sdist: string;
  tarball: string;
  /** Each artifact's name and size. */
  figures: string[];
}

/** The wheel and the sdist (uv build) and the plugin's tarball (npm pack) in `work`, their contents checked; null when a step failed. */
function buildArtifacts(work: string): Artifacts | null {
  const [uvCmd, ...uvPre] = uv();
  const dist = path.join(work, "dist");
  if (!step("uv build (wheel, sdist)", uvCmd!, [...uvPre, "build", "--out-dir", dist, "--quiet"], PYTHON_PACKAGE, { ...outsideEnv(), ...UV_ENV }).ok) return null;
  const wheel = only(dist, ".whl");
  const sdist = only(dist, ".tar.gz");
  ensurePackagesBuilt(); // dist/ current: the tarball is packed from it without running `prepare` again
  const packArgs = ["pack", "--workspace", "packages/better-auth", "--pack-destination", work, "--ignore-scripts", "--loglevel=error"];
  if (!step("npm pack packages/better-auth", "npm", packArgs, ROOT, outsideEnv()).ok) return null;
  const tarball = only(work, ".tgz");
  const kb = (file: string) => `${(fs.statSync(file).size / 1024).toFixed(0)} KB`;
  const figures = [wheel, sdist, tarball].map((file) => `${path.basename(file)} ${kb(file)}`);
  // What each artifact holds (docs/publishing.md "Python").
  if (!step("wheel and sdist contents", "python3", ["-c", LIST_ARTIFACTS, wheel, sdist], work, outsideEnv()).ok) return null;
  return { wheel, sdist, tarball, figures };
}

/**
 * A fresh virtual environment from the wheel (the example's, returned), another from the sdist (it builds), and a
 * throwaway Node project in work/node with the tarball, Better Auth and pg at the lockfile's versions; null when a
 * step failed.
 */
function installArtifacts(work: string, a: Artifacts): { venv: string; node: string } | null {
  const [uvCmd, ...uvPre] = uv();
  const uvStep = (label: string, args: string[]) => step(label, uvCmd!, [...uvPre, ...args, "--quiet"], work, { ...outsideEnv(), ...UV_ENV }).ok;
  const venv = path.join(work, "venv");
  const python = path.join(venv, "bin", "python");
  if (!uvStep("uv venv (for the wheel)", ["venv", venv])) return null;
  if (!uvStep("uv pip install wheel[fastapi] uvicorn", ["pip", "install", "--python", python, `${a.wheel}[fastapi]`, "uvicorn"])) return null;
  const sdistVenv = path.join(work, "venv-sdist");
  const sdistPython = path.join(sdistVenv, "bin", "python");
  if (!uvStep("uv venv (for the sdist)", ["venv", sdistVenv])) return null;
  if (!uvStep("uv pip install sdist (built from source)", ["pip", "install", "--python", sdistPython, a.sdist])) return null;
  const imports = "import authbridge, authbridge.schema, authbridge.session_check; assert authbridge.__version__ == '0.2.0'";
  if (!step("sdist install imports", sdistPython, ["-c", imports], work, outsideEnv()).ok) return null;

  const node = path.join(work, "node");
  fs.mkdirSync(node);
  fs.writeFileSync(path.join(node, "package.json"), `${JSON.stringify({ name: "authbridge-artifacts", private: true, type: "module" }, null, 2)}\n`);
  fs.writeFileSync(path.join(node, "mint.mjs"), NODE_SCRIPT);
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages?: Record<string, { version?: string }> };
  const pgVersion = lock.packages?.["node_modules/pg"]?.version ?? "8";
  const installed = step(
    `npm install tarball better-auth@${newestLocked(lock)} pg@${pgVersion}`,
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", a.tarball, `better-auth@${newestLocked(lock)}`, `pg@${pgVersion}`],
    node,
    outsideEnv(),
  );
  return installed.ok ? { venv, node } : null;
}

const check = (ok: boolean, label: string, detail: string) => {
  console.log(`${ok ? "✓" : "✗"} ${label}: ${detail}`);
  return ok;
};

/** examples/fastapi copied out to work/app with a .env of its own (and the database's CA beside it), started from `venv`. */
async function startExample(work: string, venv: string, env: Record<string, string>, serverLog: string[]): Promise<{ server: ChildProcess; base: string; app: string }> {
  const app = path.join(work, "app");
  fs.mkdirSync(app);
  fs.copyFileSync(EXAMPLE, path.join(app, "main.py"));
  fs.copyFileSync(env.DATABASE_CA_CERT!, path.join(app, "ca.crt"));
  const dotenv = [...PASSED.map((name) => `${name}=${env[name] ?? ""}`), "DATABASE_CA_CERT=ca.crt", "SESSION_CACHE=listen", "REQUIRE_EMAIL_VERIFICATION=false"];
  fs.writeFileSync(path.join(app, ".env"), `${dotenv.join("\n")}\n`, { mode: 0o600 });
  const port = await freePort();
  const server = spawn(path.join(venv, "bin", "uvicorn"), ["main:app", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: app,
    env: outsideEnv(), // the settings come from app/.env only
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  for (const stream of [server.stdout!, server.stderr!]) stream.on("data", (chunk: Buffer) => serverLog.push(chunk.toString()));
  return { server, base: `http://127.0.0.1:${port}`, app };
}

/** The example answers 401 without a token once it is up (bounded, 30 s) and says its session check mode. */
async function exampleStarted(server: ChildProcess, base: string, serverLog: string[]): Promise<boolean> {
  const t1 = performance.now();
  let anonymous: { status: number; body: Record<string, unknown> } | null = null;
  while (performance.now() - t1 < 30_000 && server.exitCode === null) {
    anonymous = await getMe(base).catch(() => null);
    if (anonymous) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const started = `GET /me without a token → ${anonymous?.status ?? "no answer"} ${String(anonymous?.body.code ?? "")} (${((performance.now() - t1) / 1000).toFixed(1)}s to start)`;
  if (!check(anonymous?.status === 401 && anonymous.body.code === "MISSING_TOKEN", "examples/fastapi from the wheel", started)) return false;
  const said = serverLog.join("").match(/session check: \w+/)?.[0];
  return check(said === "session check: listen", "its start-up line", said ?? "none");
}

/** A real session minted by the installed plugin: its token works on the example, then not once it is signed out; the lag, or null. */
async function tokenThenRevoked(node: string, app: string, base: string, env: Record<string, string>): Promise<number | null> {
  const nodeEnv = outsideEnv({ ...Object.fromEntries(PASSED.map((n) => [n, env[n] ?? ""])), DATABASE_CA_CERT: path.join(app, "ca.crt") });
  const minted = step("sign-up with Better Auth + the plugin, GET the token", "node", ["mint.mjs", "sign-up"], node, nodeEnv);
  if (!minted.ok) return null;
  const { email, cookie, token } = JSON.parse(minted.output.trim().split("\n").pop()!) as { email: string; cookie: string; token: string };
  const me = await getMe(base, token);
  if (!check(me.status === 200 && me.body.email === email, "GET /me with the token", `${me.status} ${JSON.stringify(me.body)}`)) return null;
  if (!step("sign-out (the session ends)", "node", ["mint.mjs", "delete"], node, { ...nodeEnv, COOKIE: cookie }).ok) return null;
  const revokedAt = performance.now();
  let after = await getMe(base, token);
  while (after.status === 200 && performance.now() - revokedAt < REVOKED_WITHIN_MS) after = await getMe(base, token);
  const lag = performance.now() - revokedAt;
  return check(after.status === 401 && after.body.code === "TOKEN_REVOKED", "GET /me after the sign-out", `${after.status} ${String(after.body.code)} after ${lag.toFixed(0)} ms`) ? lag : null;
}

export async function packageArtifacts(env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  appSettings = new Set(Object.keys(env).filter((name) => !(name in UV_ENV) && name !== "PATH" && name !== "HOME" && name !== "CI"));
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "authbridge-artifacts-")));
  let server: ChildProcess | null = null;
  const serverLog: string[] = [];
  try {
    const artifacts = buildArtifacts(work);
    const installed = artifacts && installArtifacts(work, artifacts);
    if (!artifacts || !installed) return 1;
    const example = await startExample(work, installed.venv, env, serverLog);
    server = example.server;
    if (!(await exampleStarted(server, example.base, serverLog))) return 1;
    const lag = await tokenThenRevoked(installed.node, example.app, example.base, env);
    if (lag === null) return 1;
    console.log(`artifacts: ${artifacts.figures.join(", ")}; GET /me 200, then 401 TOKEN_REVOKED ${lag.toFixed(0)} ms after the sign-out (${((performance.now() - t0) / 1000).toFixed(0)}s)`);
    return 0;
  } catch (err) {
    console.log(`✗ ${(err as Error).message}`);
    return 1;
  } finally {
    if (server) {
      await stopGroup(server);
      const log = serverLog.join("").trimEnd();
      if (log) console.log(`-- examples/fastapi's output:\n${log.split("\n").slice(-30).join("\n")}`);
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The suite's line: the artifacts and the round trip, from the closing line. */
export function artifactCounts(log: string): string | null {
  const lines = log.replace(/\u001b\[[0-9;]*m/g, "").split("\n").filter((l) => l.startsWith("artifacts: "));
  return lines.length ? lines[lines.length - 1]!.slice("artifacts: ".length) : null;
}
