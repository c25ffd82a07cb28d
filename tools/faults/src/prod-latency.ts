// What a slower database link costs through the whole topology: p50/p99 of sign-in, the token
// endpoint and the task API, one request at a time through the proxy (so the figures are latency,
// not queueing). The world decides the link: direct, or 2 ms added each way by the project's TCP
// proxy (backend/scripts/db_delay_proxy.py), as a cross-zone link to Neon would.
import { fmt, type HttpAnswer, percentile } from "@authbridge/harness";
import type { Report } from "./report.ts";
import { freshAddress, makeUsers, signInThroughProxy } from "./prod-load.ts";
import type { ProdWorld } from "./prod-world.ts";

export interface Latency {
  what: string;
  n: number;
  p50: number;
  p99: number;
}

async function measure(what: string, n: number, call: (i: number) => Promise<HttpAnswer>): Promise<Latency & { failed: number }> {
  for (let i = 0; i < 3; i++) await call(-1 - i); // warm: connections, caches, JIT
  const ms: number[] = [];
  let failed = 0;
  for (let i = 0; i < n; i++) {
    const a = await call(i);
    if (a.status < 200 || a.status >= 300) failed++;
    else ms.push(a.ms);
  }
  ms.sort((a, b) => a - b);
  return { what, n: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99), failed };
}

export async function latencyThroughTopology(w: ProdWorld, report: Report, label: string): Promise<Latency[]> {
  const check = report.scenario(`latency through the proxy, one request at a time (${label})`);
  const [u] = await makeUsers(w, 1, "latency");
  const base = w.topology.publicUrl;
  const auth = { authorization: `Bearer ${u.token}` };
  const rows = [
    await measure("sign-in (POST /api/auth/sign-in/email)", 30, () => signInThroughProxy(w, u.email, freshAddress())),
    await measure("token (GET /api/auth/token)", 30, () => w.client.send({ url: `${base}/api/auth/token`, headers: { origin: base, cookie: u.cookie }, from: u.from })),
    await measure("task list (GET /backend/api/tasks)", 200, () => w.client.send({ url: `${base}/backend/api/tasks`, headers: auth, from: u.from })),
    await measure("task create (POST /backend/api/tasks)", 200, (i) =>
      w.client.send({ method: "POST", url: `${base}/backend/api/tasks`, headers: auth, json: { title: `latency ${i}` }, from: u.from })),
  ];
  const failed = rows.reduce((n, r) => n + r.failed, 0);
  check(
    "every measured request succeeded",
    failed === 0,
    rows.map((r) => `${r.what}: p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms (n=${r.n})`).join("; "),
  );
  return rows;
}
