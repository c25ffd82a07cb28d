// What a request costs the servers, read from outside them: the CPU time a process tree has used
// (/proc/<pid>/stat, utime + stime of every live process under a service) and the SQL statements a
// database has received (PostgreSQL's own log: `log_statement = 'all'` set on the bench database
// only, and the lines it wrote counted between two offsets of the log file).
import fs from "node:fs";
import os from "node:os";
import type { LocalPostgres } from "@authbridge/harness";

/** Linux's USER_HZ: /proc reports CPU times in these ticks (100 per second on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

function statOf(pid: number): { ppid: number; ticks: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name, in parentheses, may hold spaces: the fields after it are split from the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // gone meanwhile
  }
}

/** CPU milliseconds used so far by `root` and every live process below it. */
export function treeCpuMs(root: number): number {
  if (os.platform() !== "linux") throw new Error("CPU time per render reads /proc: Linux only");
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const name of fs.readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = statOf(pid);
    if (!s) continue;
    ticks.set(pid, s.ticks);
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  let total = 0;
  const queue = [root];
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    total += ticks.get(queue[i]) ?? 0;
    queue.push(...(children.get(queue[i]) ?? []));
  }
  return (total * 1000) / TICKS_PER_SECOND;
}

/** Turns statement logging on for `database` (new connections only: call it before the services start). */
export async function logStatements(cluster: LocalPostgres, database: string, on: boolean): Promise<void> {
  const admin = await cluster.adminClient();
  try {
    const db = admin.escapeIdentifier(database);
    if (on) {
      await admin.query(`ALTER DATABASE ${db} SET log_statement = 'all'`);
      // The text only: no bind parameters (session tokens) in the server's log.
      await admin.query(`ALTER DATABASE ${db} SET log_parameter_max_length = 0`);
    } else {
      await admin.query(`ALTER DATABASE ${db} RESET log_statement`);
      await admin.query(`ALTER DATABASE ${db} RESET log_parameter_max_length`);
    }
  } finally {
    await admin.end();
  }
}

export interface StatementCount {
  total: number;
  /** Each statement's first words (whitespace folded), with how many times it ran. */
  texts: Record<string, number>;
}

// "2026-12-02 03:30:01.123 UTC [1234] LOG:  execute <unnamed>: SELECT …" or "… LOG:  statement: SELECT …"
const STATEMENT_LINE = /\] LOG: {2}(?:statement|execute [^:]*): (.*)$/;
const LOG_LINE_START = /^\d{4}-\d\d-\d\d /;

/**
 * Counts the statements PostgreSQL logged while `run` ran. The server writes each line before it
 * executes the statement, so when `run` has its answers every line is in the file.
 */
export async function countStatements(logFile: string, run: () => Promise<void>): Promise<StatementCount> {
  const from = fs.statSync(logFile).size;
  await run();
  const fd = fs.openSync(logFile, "r");
  try {
    const length = fs.fstatSync(fd).size - from;
    const buffer = Buffer.alloc(Math.max(0, length));
    fs.readSync(fd, buffer, 0, buffer.length, from);
    const texts: Record<string, number> = {};
    let total = 0;
    let current: string | null = null;
    const flush = () => {
      if (current === null) return;
      const key = current.replace(/\s+/g, " ").trim().slice(0, 90);
      texts[key] = (texts[key] ?? 0) + 1;
      current = null;
    };
    for (const line of buffer.toString("utf8").split("\n")) {
      // A statement's later lines carry no prefix; a new log line starts with its timestamp.
      if (current !== null && !LOG_LINE_START.test(line)) {
        current += ` ${line}`;
        continue;
      }
      flush();
      const m = STATEMENT_LINE.exec(line);
      if (!m) continue;
      total++;
      current = m[1];
    }
    flush();
    return { total, texts };
  } finally {
    fs.closeSync(fd);
  }
}
