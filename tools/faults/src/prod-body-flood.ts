// A flood of large anonymous request bodies against the backends, directly and through the proxy: 40
// uploads of 20 MB, 8 at a time, half with a Content-Length and half chunked. Each must be refused with
// 413 PAYLOAD_TOO_LARGE, unread (backend/app/http/body_limit.py; the proxy's limit, tools/prod/src/caddy.ts),
// so the backend's resident memory (VmRSS in /proc/<pid>/status, sampled every 20 ms) stays flat.
// A client still writing when the server closes may see the reset before it reads the 413: counted apart.
// Loopback only; bounded in time (each upload 15 s at most; about 2 s in all on this machine).
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import { histogram, type Report } from "./report.ts";
import type { ProdWorld } from "./prod-world.ts";

const UPLOADS = 40;
const AT_A_TIME = 8;
const BODY_BYTES = 20 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, "a");
/** The body is one JSON task with a 20 MB title: what the API reads whole, without a cap, before its 401. */
const JSON_HEAD = Buffer.from('{"title":"');
const JSON_TAIL = Buffer.from('"}');
/** The bound on the backend's resident memory growth during the flood. */
const RSS_BOUND_MIB = 20;
const UPLOAD_TIMEOUT_MS = 15_000;
const LOOPBACK = new Set(["127.0.0.1", "localhost"]);

interface Upload {
  status: number;
  code: string | null;
  connection?: string;
  /** Bytes the client wrote before the answer or the reset. */
  sent: number;
  /** EPIPE / ECONNRESET: the reset outran the answer. */
  cut?: string;
  error?: string;
}

/** One anonymous POST of BODY_BYTES, declared or chunked; stops writing at the answer. */
function upload(url: string, chunked: boolean, ca?: string): Promise<Upload> {
  const target = new URL(url);
  if (!LOOPBACK.has(target.hostname)) throw new Error(`refusing to send a flood to ${target.hostname}: loopback only`);
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (chunked) headers["transfer-encoding"] = "chunked";
  else headers["content-length"] = String(BODY_BYTES);
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    let settled = false;
    const done = (outcome: Upload) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const options = { method: "POST", headers, agent: false as const };
    const req =
      target.protocol === "https:"
        ? https.request({ ...options, host: "127.0.0.1", servername: "localhost", port: target.port, path: target.pathname, ca, headers: { ...headers, host: target.host } })
        : http.request(url, options);
    const timer = setTimeout(() => done({ status: 0, code: null, sent, error: `no answer within ${UPLOAD_TIMEOUT_MS} ms` }), UPLOAD_TIMEOUT_MS);
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => {
        let code: string | null = null;
        try {
          code = (JSON.parse(body) as { code?: string }).code ?? null;
        } catch {
          /* not JSON: code stays null */
        }
        done({ status: res.statusCode ?? 0, code, connection: res.headers.connection, sent });
      });
      res.on("error", (err) => done({ status: res.statusCode ?? 0, code: null, sent, error: err.message }));
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (answered) return;
      if (err.code === "EPIPE" || err.code === "ECONNRESET") done({ status: 0, code: null, sent, cut: err.code });
      else done({ status: 0, code: null, sent, error: err.message });
    });
    const pump = () => {
      while (!answered && !settled && sent < BODY_BYTES) {
        const left = BODY_BYTES - sent;
        const piece =
          sent === 0 ? Buffer.concat([JSON_HEAD, CHUNK.subarray(JSON_HEAD.length)]) : left <= CHUNK.length ? Buffer.concat([CHUNK.subarray(0, left - JSON_TAIL.length), JSON_TAIL]) : CHUNK;
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      if (!answered && !settled) req.end();
    };
    pump();
  });
}

/** `UPLOADS` uploads to `url`, `AT_A_TIME` at once, alternating declared and chunked. */
async function flood(url: string, ca?: string): Promise<Upload[]> {
  const results: Upload[] = [];
  let next = 0;
  const worker = async () => {
    while (next < UPLOADS) {
      const i = next++;
      results[i] = await upload(url, i % 2 === 1, ca);
    }
  };
  await Promise.all(Array.from({ length: AT_A_TIME }, worker));
  return results;
}

/** The resident memory of a process in MiB. */
function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

/** Peak RSS of each pid while `work` runs. */
async function peakDuring<T>(pids: number[], work: () => Promise<T>): Promise<{ result: T; peaks: number[] }> {
  const peaks = pids.map(rssMiB);
  const sample = () => pids.forEach((pid, i) => (peaks[i] = Math.max(peaks[i]!, rssMiB(pid))));
  const timer = setInterval(sample, 20);
  try {
    const result = await work();
    sample();
    return { result, peaks };
  } finally {
    clearInterval(timer);
  }
}

const mib = (n: number) => `${n.toFixed(1)} MiB`;
const bytes = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} KB`);

function summary(uploads: Upload[]): string {
  // Even uploads are declared, odd ones chunked (flood()).
  const cut = (odd: number) => uploads.filter((u, i) => u.cut && i % 2 === odd).length;
  const sent = uploads.map((u) => u.sent).sort((a, b) => a - b);
  const other = uploads.find((u) => !u.cut && (u.status !== 413 || u.code !== "PAYLOAD_TOO_LARGE"));
  return (
    `${uploads.length} × 20 MB (${UPLOADS / 2} declared, ${UPLOADS / 2} chunked), ${AT_A_TIME} at a time: ${histogram(uploads.filter((u) => !u.cut).map((u) => u.status))}` +
    `, resets before the answer ×${cut(0) + cut(1)} (declared ${cut(0)}, chunked ${cut(1)}); written before the answer: median ${bytes(sent[sent.length >> 1]!)}, max ${bytes(sent.at(-1)!)}` +
    (other ? `; e.g. ${other.status} ${other.code ?? other.error ?? ""}` : "")
  );
}

/** Each upload refused (or reset) before the client had written half of it: the server stopped reading. */
const refused = (uploads: Upload[]) =>
  uploads.every(
    (u) => u.sent < BODY_BYTES / 2 && (u.cut || (u.status === 413 && u.code === "PAYLOAD_TOO_LARGE" && (u.connection === undefined || u.connection === "close"))),
  );

export async function bodyFlood(w: ProdWorld, report: Report): Promise<void> {
  const check = report.scenario("a flood of 20 MB anonymous bodies, directly and through the proxy: refused unread, memory flat");
  const backends = w.topology.backends;
  const pids = backends.map((b) => b.service?.child.pid ?? 0);
  if (pids.some((p) => !p)) throw new Error("a backend instance is not running");
  const ca = w.client.ca;
  const t0 = performance.now();
  // Warm: a small anonymous POST to each instance first, so lazily loaded code is not counted as growth.
  for (const b of backends) {
    await fetch(`${b.url}/api/tasks`, { method: "POST", body: "{}", headers: { "content-type": "application/json" }, signal: AbortSignal.timeout(5_000) });
  }
  const before = pids.map(rssMiB);

  const direct = await peakDuring(pids, () => flood(`${backends[0]!.url}/api/tasks`));
  const proxied = await peakDuring(pids, () => flood(`${w.topology.publicUrl}/backend/api/tasks`, ca));
  const after = pids.map(rssMiB);
  const seconds = (performance.now() - t0) / 1000;

  check("directly: every upload refused with 413 PAYLOAD_TOO_LARGE (or reset while still writing), long before its end", refused(direct.result), summary(direct.result));
  check("through the proxy: the same, with the JSON body", refused(proxied.result), summary(proxied.result));
  const growth = pids.map((_, i) => Math.max(direct.peaks[i]!, proxied.peaks[i]!) - before[i]!);
  check(
    `the backends' resident memory grows by less than ${RSS_BOUND_MIB} MiB`,
    growth.every((g) => g < RSS_BOUND_MIB),
    backends
      .map((b, i) => `${b.name}: before ${mib(before[i]!)}, peak direct ${mib(direct.peaks[i]!)}, peak via proxy ${mib(proxied.peaks[i]!)}, after ${mib(after[i]!)} (+${mib(growth[i]!)})`)
      .join("; ") + `; ${seconds.toFixed(1)} s`,
  );
  // The refusals must not have cost the proxy its upstreams (a failed upstream is skipped for fail_duration).
  const api = `${w.topology.publicUrl}/backend/api/tasks`;
  const next = await Promise.all(backends.map(() => w.client.send({ method: "POST", url: api, json: { title: "after the flood" } })));
  check(
    "both backends still serve through the proxy right after",
    next.every((a) => a.status === 401),
    `anonymous POST /backend/api/tasks ×${next.length}: ${histogram(next.map((a) => a.status))} (401 expected)`,
  );
}
