// Running commands and long-lived services with prefixed output, plus waiting for HTTP readiness, and
// capturing all of that (ours and the children's) into a log file while a quiet step runs.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

/** AUTHBRIDGE_VERBOSE=1: stream every command's output as it comes instead of capturing it. */
export const VERBOSE = Boolean(process.env.AUTHBRIDGE_VERBOSE);

/** The log file descriptor of the capture in progress: children write there directly. */
let captureFd: number | null = null;

export interface Captured<T> {
  ok: boolean;
  value?: T;
  error?: Error;
  /** Everything printed while `fn` ran, by this process and by the commands it ran. */
  output: string;
}

/**
 * Runs `fn` with everything it prints, and everything the commands it runs print, going to `logFile`
 * instead of the terminal (in the order written: the children share the file descriptor). Never throws:
 * an exception of `fn` comes back as `error`. Captures do not nest.
 */
export async function captureOutput<T>(logFile: string, fn: () => T | Promise<T>): Promise<Captured<T>> {
  if (captureFd !== null) throw new Error("captureOutput does not nest");
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, "w");
  const streams = [process.stdout, process.stderr] as const;
  const writes = streams.map((s) => s.write);
  const toLog = (chunk: string | Uint8Array, encoding?: unknown, cb?: unknown): boolean => {
    fs.writeSync(fd, typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : chunk);
    const done = typeof encoding === "function" ? encoding : cb;
    if (typeof done === "function") process.nextTick(done as () => void);
    return true;
  };
  for (const s of streams) s.write = toLog as typeof s.write;
  captureFd = fd;
  const result: Captured<T> = { ok: false, output: "" };
  try {
    result.value = await fn();
    result.ok = true;
  } catch (err) {
    result.error = err instanceof Error ? err : new Error(String(err));
  } finally {
    captureFd = null;
    streams.forEach((s, i) => (s.write = writes[i]));
    fs.closeSync(fd);
  }
  result.output = fs.readFileSync(logFile, "utf8");
  return result;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Runs a command to completion with inherited output (into the log while a capture runs). Returns its exit status. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): number {
  const res = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: captureFd === null ? "inherit" : ["ignore", captureFd, captureFd],
    timeout: opts.timeoutMs,
  });
  if (res.error) console.error(`[run] ${cmd}: ${res.error.message}`);
  return res.status ?? 1;
}

/**
 * `run` without blocking this process: for a command that runs while services started here are up. A
 * blocking run would stop this process's event loop from draining the services' output pipes; once a
 * pipe's buffer is full, a service blocks on its next log line (every request of a backend logs one).
 */
export function runAsync(cmd: string, args: string[], opts: RunOptions = {}): Promise<number> {
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: captureFd === null ? "inherit" : ["ignore", captureFd, captureFd],
  });
  const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
  return new Promise((resolve) => {
    child.on("error", (err) => console.error(`[run] ${cmd}: ${err.message}`));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
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
