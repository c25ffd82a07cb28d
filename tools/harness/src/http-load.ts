// A small closed-loop HTTP load generator (keep-alive), loopback only: `concurrency` clients each send one
// request at a time with the harness's client (http-client.ts) until the time budget or the request budget
// runs out. Every request has its own timeout; a timeout or a refused connection counts as status 0.
import http from "node:http";
import { type HttpAnswer, type HttpRequest, send } from "./http-client.ts";

export interface LoadSpec {
  name: string;
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  /** Builds request number i (0-based, global across clients). */
  request: (i: number) => HttpRequest | Promise<HttpRequest>;
  /** Statuses that count as success; default 2xx. */
  ok?: (status: number) => boolean;
  /** Called with every answer (e.g. to remember created ids). */
  onAnswer?: (i: number, a: HttpAnswer) => void;
  /** Keep-alive connections to reuse (kept open afterwards); default: fresh ones, closed at the end. */
  agent?: http.Agent;
}

export interface LoadResult {
  name: string;
  concurrency: number;
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export function median(xs: number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 50);
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = spec.agent ?? new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const ok = spec.ok ?? ((s: number) => s >= 200 && s < 300);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let issued = 0;
  let errors = 0;
  const t0 = performance.now();
  const deadline = t0 + spec.durationMs;
  const client = async () => {
    while (issued < spec.maxRequests && performance.now() < deadline) {
      const i = issued++;
      const req = await spec.request(i);
      const a = await send({ ...req, agent });
      latencies.push(a.ms);
      statuses[a.status] = (statuses[a.status] ?? 0) + 1;
      if (!ok(a.status)) errors++;
      spec.onAnswer?.(i, a);
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, client));
  const seconds = (performance.now() - t0) / 1000;
  if (!spec.agent) agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    name: spec.name,
    concurrency: spec.concurrency,
    requests: latencies.length,
    errors,
    statuses,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}
