// The production stack for browser tests and benchmarks: `next build` + `next start`, and the backend
// through `python -m app` (uvicorn, optional workers), both reading their configuration from `env`.
import { BACKEND_DIR, FRONTEND_DIR, ROOT } from "./paths.ts";
import { run, type Service, startService, waitForHttp } from "./proc.ts";
import { uv, UV_ENV } from "./toolchain.ts";

export interface Stack {
  frontendUrl: string;
  backendUrl: string;
  services: Service[];
  stop(): Promise<void>;
}

export function buildFrontend(env: Record<string, string>): void {
  if (run("npm", ["run", "build", "--workspace", "frontend"], { cwd: ROOT, env: { NEXT_TELEMETRY_DISABLED: "1", ...env }, timeoutMs: 600_000 }) !== 0) {
    throw new Error("next build failed");
  }
}

export function startBackend(env: Record<string, string>, port: number, opts: { workers?: number; quiet?: boolean; name?: string } = {}): Service {
  const [cmd, ...pre] = uv();
  return startService(opts.name ?? "backend", cmd, [...pre, "run", "--frozen", "python", "-m", "app"], {
    cwd: BACKEND_DIR,
    env: { ...env, ...UV_ENV, BACKEND_PORT: String(port), BACKEND_WORKERS: String(opts.workers ?? 1) },
    quiet: opts.quiet,
  });
}

/** `next start` of the last `next build`, on `port` (the frontend's scripts follow PORT). */
export function startFrontend(env: Record<string, string>, port: number, opts: { quiet?: boolean } = {}): Service {
  return startService("frontend", "npm", ["run", "start"], {
    cwd: FRONTEND_DIR,
    env: { ...env, PORT: String(port), NODE_ENV: "production" },
    quiet: opts.quiet,
  });
}

/** A frontend alone (its backend runs in another stack), waited for like startStack's. */
export async function startFrontendOnly(env: Record<string, string>, opts: { quiet?: boolean } = {}): Promise<Stack> {
  const frontendUrl = new URL(env.BETTER_AUTH_URL);
  const frontend = startFrontend(env, Number(frontendUrl.port), opts);
  const stop = () => frontend.stop();
  try {
    await waitForHttp(new URL("/sign-in", frontendUrl).href, { timeoutMs: 60_000, service: frontend });
  } catch (err) {
    await stop();
    throw err;
  }
  return { frontendUrl: frontendUrl.origin, backendUrl: new URL(env.BACKEND_URL).origin, services: [frontend], stop };
}

export async function startStack(env: Record<string, string>, opts: { quiet?: boolean; workers?: number } = {}): Promise<Stack> {
  const frontendUrl = new URL(env.BETTER_AUTH_URL);
  const backendUrl = new URL(env.BACKEND_URL);
  const backend = startBackend(env, Number(backendUrl.port), opts);
  const frontend = startFrontend(env, Number(frontendUrl.port), opts);
  const services = [backend, frontend];
  const stop = async () => {
    await Promise.all(services.map((s) => s.stop()));
  };
  try {
    await waitForHttp(new URL("/health", backendUrl).href, { timeoutMs: 60_000, service: backend });
    await waitForHttp(new URL("/sign-in", frontendUrl).href, { timeoutMs: 60_000, service: frontend });
  } catch (err) {
    await stop();
    throw err;
  }
  return { frontendUrl: frontendUrl.origin, backendUrl: backendUrl.origin, services, stop };
}
