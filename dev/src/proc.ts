// Running commands and long-lived services with prefixed output, plus waiting for HTTP readiness.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import readline from "node:readline";

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Runs a command to completion with inherited output. Returns its exit status. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): number {
  const res = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: "inherit",
    timeout: opts.timeoutMs,
  });
  if (res.error) console.error(`[run] ${cmd}: ${res.error.message}`);
  return res.status ?? 1;
}

/** Runs a command and returns its trimmed stdout, or null when it fails. */
export function capture(cmd: string, args: string[], opts: RunOptions = {}): string | null {
  const res = spawnSync(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: "utf8", timeout: opts.timeoutMs });
  return res.status === 0 ? res.stdout.trim() : null;
}

export interface Service {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts a long-lived process in its own process group, prefixing each output line with its name. */
export function startService(name: string, cmd: string, args: string[], opts: RunOptions & { quiet?: boolean } = {}): Service {
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    // No telemetry from Next.js: nothing here talks to anything but loopback.
    env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const tag = `[${name}]`;
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream! }).on("line", (line) => {
      if (!opts.quiet) process.stdout.write(`${tag} ${line}\n`);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    name,
    child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* already gone */
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls a URL until it answers with an accepted status, the service exits, or the deadline passes. */
export async function waitForHttp(url: string, opts: { timeoutMs: number; okStatus?: number[]; service?: Service }): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const ok = opts.okStatus ?? [200];
  let last = "no answer";
  while (Date.now() < deadline) {
    if (opts.service && opts.service.child.exitCode !== null) {
      throw new Error(`${opts.service.name} exited with code ${opts.service.child.exitCode} before ${url} answered`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: "manual" });
      if (ok.includes(res.status)) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} was not ready within ${opts.timeoutMs / 1000}s (last: ${last})`);
}
