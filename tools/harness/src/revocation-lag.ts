// How long after a revocation each backend instance still accepts the revoked token: every instance
// is polled back to back (keep-alive, one request in flight each) until it answers 401 TOKEN_REVOKED.
// The bench (slow-db.ts) and the fault run (faults/two-instances.ts) both measure with it.
import http from "node:http";
import { bearer } from "./accounts.ts";
import { send } from "./http-client.ts";
import { percentile } from "./http-load.ts";

export interface Refusal {
  backend: string;
  /** ms from `t0` to the first 401 TOKEN_REVOKED, or null when the deadline passed first. */
  lagMs: number | null;
  /** The last answer before the refusal (or at the deadline), for the report. */
  last: string;
}

/**
 * Polls `GET /api/me` with `token` on every backend until each refuses it or `deadlineMs` after `t0` passes.
 * `t0` is a performance.now() taken when the revoking call returned (the moment a user sees "signed out").
 */
export async function refusalTimes(backends: string[], token: string, t0: number, deadlineMs: number): Promise<Refusal[]> {
  return Promise.all(
    backends.map(async (backend) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      let last = "no answer";
      try {
        while (performance.now() - t0 < deadlineMs) {
          const a = await send({ url: `${backend}/api/me`, headers: bearer(token), agent, timeoutMs: 5_000 });
          const now = performance.now();
          last = `${a.status} ${a.body.slice(0, 60)}`;
          if (a.status === 401 && a.body.includes("TOKEN_REVOKED")) return { backend, lagMs: Math.max(0, now - t0), last };
        }
        return { backend, lagMs: null, last };
      } finally {
        agent.destroy();
      }
    }),
  );
}

/** Warms each backend's session cache for `token` (a few accepted requests); throws if one refuses it. */
export async function warm(backends: string[], token: string, times = 3): Promise<void> {
  for (const backend of backends) {
    for (let i = 0; i < times; i++) {
      const a = await send({ url: `${backend}/api/me`, headers: bearer(token) });
      if (a.status !== 200) throw new Error(`GET ${backend}/api/me answered ${a.status} before the revocation: ${a.body.slice(0, 120)}`);
    }
  }
}

export interface LagSummary {
  samples: number;
  p50: number;
  p99: number;
  max: number;
  /** Samples still accepted at the deadline. */
  missed: number;
}

export function summariseLags(refusals: Refusal[]): LagSummary {
  const lags = refusals.map((r) => r.lagMs).filter((x): x is number => x !== null).sort((a, b) => a - b);
  return {
    samples: refusals.length,
    p50: percentile(lags, 50),
    p99: percentile(lags, 99),
    max: lags.length ? lags[lags.length - 1] : Number.NaN,
    missed: refusals.length - lags.length,
  };
}
