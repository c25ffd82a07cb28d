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
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { newestLocked } from "./compat-command.ts";
import { ensurePackagesBuilt } from "./packages.ts";
import { ROOT, uv, UV_ENV } from "@authbridge/harness";

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The single file of `dir` whose name ends with `suffix`. */
function only(dir: string, suffix: string): string {
  const found = fs.readdirSync(dir).filter((f) => f.endsWith(suffix));
  if (found.length !== 1) throw new Error(`expected one *${suffix} in ${dir}, found ${found.join(", ") || "none"}`);
  return path.join(dir, found[0]!);
}

/** What the Node script does with Better Auth and the installed plugin: sign up (printing the token), or sign out. */
const NODE_SCRIPT = `// Written by dev/src/package-artifacts.ts: Better Auth with the installed @authbridge/better-auth.
import fs from "node:fs";
import { backendToken } from "@authbridge/better-auth";
import { betterAuth } from "better-auth";
import pg from "pg";

const env = process.env;
const url = new URL(env.DATABASE_URL);
for (const p of ["sslmode", "channel_binding", "sslrootcert"]) url.searchParams.delete(p);
const pool = new pg.Pool({ connectionString: url.toString(), ssl: { ca: fs.readFileSync(env.DATABASE_CA_CERT, "utf8") } });
const timestamps = { createdAt: "created_at", updatedAt: "updated_at" };
const auth = betterAuth({
  database: pool,
  secret: env.BETTER_AUTH_SECRET,
  baseURL: "http://127.0.0.1:3999",
  emailAndPassword: { enabled: true },
  user: { fields: { emailVerified: "email_verified", ...timestamps } },
  session: { fields: { userId: "user_id", expiresAt: "expires_at", ipAddress: "ip_address", userAgent: "user_agent", ...timestamps } },
  account: { fields: { accountId: "account_id", providerId: "provider_id", userId: "user_id", accessToken: "access_token",
    refreshToken: "refresh_token", idToken: "id_token", accessTokenExpiresAt: "access_token_expires_at",
    refreshTokenExpiresAt: "refresh_token_expires_at", ...timestamps } },
  verification: { fields: { expiresAt: "expires_at", ...timestamps } },
  plugins: [backendToken({ secret: env.BETTER_AUTH_SECRET, issuer: env.BACKEND_JWT_ISSUER, audience: env.BACKEND_JWT_AUDIENCE,
    lifetimeSeconds: Number(env.BACKEND_JWT_LIFETIME_SECONDS) })],
});
try {
  if (process.argv[2] === "sign-up") {
    const email = "artifact-" + Date.now() + "-" + Math.random().toString(36).slice(2) + "@example.test";
    const res = await auth.api.signUpEmail({ body: { email, password: "Artifact-Horse-8-staple", name: "Artifact" }, asResponse: true });
    if (res.status !== 200) throw new Error("sign-up answered " + res.status + ": " + (await res.text()));
    const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const { token } = await auth.api.getBackendToken({ headers: new Headers({ cookie }) });
    console.log(JSON.stringify({ email, cookie, token }));
  } else {
    const headers = new Headers({ cookie: env.COOKIE });
    const { user } = (await auth.api.getSession({ headers })) ?? {};
    await auth.api.signOut({ headers });
    if (process.argv[2] === "delete" && user) await pool.query('DELETE FROM "user" WHERE id = $1', [user.id]);
    console.log(JSON.stringify({ signedOut: true }));
  }
} finally {
  await pool.end();
}
`;

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

export async function packageArtifacts(env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  appSettings = new Set(Object.keys(env).filter((name) => !(name in UV_ENV) && name !== "PATH" && name !== "HOME" && name !== "CI"));
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "authbridge-artifacts-")));
  let server: ChildProcess | null = null;
  const serverLog: string[] = [];
  const [uvCmd, ...uvPre] = uv();
  const uvEnv = { ...outsideEnv(), ...UV_ENV };
  const figures: string[] = [];
  try {
    // The artifacts.
    const dist = path.join(work, "dist");
    if (!step("uv build (wheel, sdist)", uvCmd, [...uvPre, "build", "--out-dir", dist, "--quiet"], PYTHON_PACKAGE, uvEnv).ok) return 1;
    const wheel = only(dist, ".whl");
    const sdist = only(dist, ".tar.gz");
    ensurePackagesBuilt(); // dist/ current: the tarball is packed from it without running `prepare` again
    const packArgs = ["pack", "--workspace", "packages/better-auth", "--pack-destination", work, "--ignore-scripts", "--loglevel=error"];
    const packed = step("npm pack packages/better-auth", "npm", packArgs, ROOT, outsideEnv());
    if (!packed.ok) return 1;
    const tarball = only(work, ".tgz");
    const kb = (file: string) => `${(fs.statSync(file).size / 1024).toFixed(0)} KB`;
    figures.push(`${path.basename(wheel)} ${kb(wheel)}`, `${path.basename(sdist)} ${kb(sdist)}`, `${path.basename(tarball)} ${kb(tarball)}`);

    // What each artifact holds (docs/publishing.md "Python").
    const listing = step("wheel and sdist contents", "python3", ["-c", LIST_ARTIFACTS, wheel, sdist], work, outsideEnv());
    if (!listing.ok) return 1;

    // A fresh virtual environment from the wheel (the example's), another from the sdist (it builds).
    const venv = path.join(work, "venv");
    const python = path.join(venv, "bin", "python");
    const uvStep = (label: string, args: string[]) => step(label, uvCmd, [...uvPre, ...args, "--quiet"], work, uvEnv).ok;
    if (!uvStep("uv venv (for the wheel)", ["venv", venv])) return 1;
    if (!uvStep("uv pip install wheel[fastapi] uvicorn", ["pip", "install", "--python", python, `${wheel}[fastapi]`, "uvicorn"])) return 1;
    const sdistVenv = path.join(work, "venv-sdist");
    const sdistPython = path.join(sdistVenv, "bin", "python");
    if (!uvStep("uv venv (for the sdist)", ["venv", sdistVenv])) return 1;
    if (!uvStep("uv pip install sdist (built from source)", ["pip", "install", "--python", sdistPython, sdist])) return 1;
    const imported = step("sdist install imports", sdistPython, ["-c", "import authbridge, authbridge.schema, authbridge.session_check; assert authbridge.__version__ == '0.2.0'"], work, outsideEnv());
    if (!imported.ok) return 1;

    // A throwaway Node project with the tarball, Better Auth and pg at the lockfile's versions.
    const node = path.join(work, "node");
    fs.mkdirSync(node);
    fs.writeFileSync(path.join(node, "package.json"), `${JSON.stringify({ name: "authbridge-artifacts", private: true, type: "module" }, null, 2)}\n`);
    fs.writeFileSync(path.join(node, "mint.mjs"), NODE_SCRIPT);
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages?: Record<string, { version?: string }> };
    const pgVersion = lock.packages?.["node_modules/pg"]?.version ?? "8";
    const installed = step(
      `npm install tarball better-auth@${newestLocked(lock)} pg@${pgVersion}`,
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball, `better-auth@${newestLocked(lock)}`, `pg@${pgVersion}`],
      node,
      outsideEnv(),
    );
    if (!installed.ok) return 1;

    // The example, copied out with a .env of its own (and the database's CA beside it).
    const app = path.join(work, "app");
    fs.mkdirSync(app);
    fs.copyFileSync(EXAMPLE, path.join(app, "main.py"));
    fs.copyFileSync(env.DATABASE_CA_CERT!, path.join(app, "ca.crt"));
    const dotenv = [...PASSED.map((name) => `${name}=${env[name] ?? ""}`), "DATABASE_CA_CERT=ca.crt", "SESSION_CACHE=listen", "REQUIRE_EMAIL_VERIFICATION=false"];
    fs.writeFileSync(path.join(app, ".env"), `${dotenv.join("\n")}\n`, { mode: 0o600 });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = spawn(path.join(venv, "bin", "uvicorn"), ["main:app", "--host", "127.0.0.1", "--port", String(port)], {
      cwd: app,
      env: outsideEnv(), // the settings come from app/.env only
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    for (const stream of [server.stdout!, server.stderr!]) stream.on("data", (chunk: Buffer) => serverLog.push(chunk.toString()));
    const t1 = performance.now();
    let anonymous: { status: number; body: Record<string, unknown> } | null = null;
    while (performance.now() - t1 < 30_000 && server.exitCode === null) {
      anonymous = await getMe(base).catch(() => null);
      if (anonymous) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const check = (ok: boolean, label: string, detail: string) => {
      console.log(`${ok ? "✓" : "✗"} ${label}: ${detail}`);
      return ok;
    };
    if (!check(anonymous?.status === 401 && anonymous.body.code === "MISSING_TOKEN", "examples/fastapi from the wheel", `GET /me without a token → ${anonymous?.status ?? "no answer"} ${String(anonymous?.body.code ?? "")} (${((performance.now() - t1) / 1000).toFixed(1)}s to start)`)) return 1;
    const said = serverLog.join("").match(/session check: \w+/)?.[0];
    if (!check(said === "session check: listen", "its start-up line", said ?? "none")) return 1;

    // A real session, minted by the installed plugin; then the token on the example.
    const nodeEnv = outsideEnv({ ...Object.fromEntries(PASSED.map((n) => [n, env[n] ?? ""])), DATABASE_CA_CERT: path.join(app, "ca.crt") });
    const minted = step("sign-up with Better Auth + the plugin, GET the token", "node", ["mint.mjs", "sign-up"], node, nodeEnv);
    if (!minted.ok) return 1;
    const { email, cookie, token } = JSON.parse(minted.output.trim().split("\n").pop()!) as { email: string; cookie: string; token: string };
    const me = await getMe(base, token);
    if (!check(me.status === 200 && me.body.email === email, "GET /me with the token", `${me.status} ${JSON.stringify(me.body)}`)) return 1;

    const signedOut = step("sign-out (the session ends)", "node", ["mint.mjs", "delete"], node, { ...nodeEnv, COOKIE: cookie });
    if (!signedOut.ok) return 1;
    const revokedAt = performance.now();
    let after = await getMe(base, token);
    while (after.status === 200 && performance.now() - revokedAt < REVOKED_WITHIN_MS) after = await getMe(base, token);
    const lag = performance.now() - revokedAt;
    if (!check(after.status === 401 && after.body.code === "TOKEN_REVOKED", "GET /me after the sign-out", `${after.status} ${String(after.body.code)} after ${lag.toFixed(0)} ms`)) return 1;
    console.log(`artifacts: ${figures.join(", ")}; GET /me 200, then 401 TOKEN_REVOKED ${lag.toFixed(0)} ms after the sign-out (${((performance.now() - t0) / 1000).toFixed(0)}s)`);
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

/** Lists the wheel and the sdist (argv) and fails when one misses what it must hold or holds what it must not. */
const LIST_ARTIFACTS = `
import sys, tarfile, zipfile
wheel = zipfile.ZipFile(sys.argv[1]).namelist()
sdist = [n.split("/", 1)[1] for n in tarfile.open(sys.argv[2]).getnames() if "/" in n]
need = ["authbridge/__init__.py", "authbridge/py.typed", "authbridge/jwt_verifier.py", "authbridge/fastapi/dependencies.py", "authbridge/schema.py"]
missing = [n for n in need if n not in wheel] + ["src/" + n for n in need if "src/" + n not in sdist]
missing += [n for n in ("README.md", "CHANGELOG.md", "pyproject.toml") if n not in sdist]
extra = [n for n in wheel + sdist if n.startswith(("tests/", "scripts/")) or "/tests/" in n or n.endswith(".lock")]
print("wheel:", len(wheel), "files; sdist:", len(sdist), "files")
if missing or extra:
    sys.exit("missing: %s; must not be there: %s" % (missing, extra))
`;

/** The suite's line: the artifacts and the round trip, from the closing line. */
export function artifactCounts(log: string): string | null {
  const lines = log.replace(/\u001b\[[0-9;]*m/g, "").split("\n").filter((l) => l.startsWith("artifacts: "));
  return lines.length ? lines[lines.length - 1]!.slice("artifacts: ".length) : null;
}
