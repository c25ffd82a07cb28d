// Neon-style cold start: Neon suspends an idle compute by closing every server connection. Here, while
// the topology is idle, every server-side connection to the application database is terminated
// (pg_terminate_backend, the backends' pools, their LISTEN connections, the frontends' pools, or
// PgBouncer's server connections). The next requests of both services must all succeed: no 5xx.
import { cookieOf, type HttpAnswer } from "@authbridge/harness";
import { histogram, type Report, sleep } from "./report.ts";
import { freshAddress, makeUsers, signInThroughProxy } from "./prod-load.ts";
import type { ProdWorld } from "./prod-world.ts";

/**
 * Terminates every connection to the application database but our own and waits, bounded, until their server
 * processes are gone (pg_terminate_backend only signals them); returns how many.
 */
async function terminateAll(w: ProdWorld, timeoutMs = 5_000): Promise<number> {
  const admin = await w.cluster.adminClient();
  try {
    const db = decodeURIComponent(new URL(w.topology.directDatabaseUrl).pathname.slice(1));
    const r = await admin.query("SELECT coalesce(array_agg(pid) FILTER (WHERE pg_terminate_backend(pid)), '{}') AS pids FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [db]);
    const pids = (r.rows[0] as { pids: number[] }).pids;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const left = (await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1::int[])", [pids])).rows[0] as { n: number };
      if (left.n === 0) return pids.length;
      if (performance.now() > deadline) throw new Error(`${left.n} terminated connections still open after ${timeoutMs} ms`);
      await sleep(20);
    }
  } finally {
    await admin.end();
  }
}

export async function coldStart(w: ProdWorld, report: Report, rounds = 2): Promise<void> {
  const mode = w.topology.pooler ? "through PgBouncer" : "direct";
  const check = report.scenario(`Neon-style cold start, ${mode}: every server connection terminated while idle`);
  const [user] = await makeUsers(w, 1, "cold");
  const answers: { what: string; a: HttpAnswer }[] = [];
  const terminated: number[] = [];
  const api = `${w.topology.publicUrl}/backend/api`;
  for (let round = 0; round < rounds; round++) {
    await sleep(1_500); // idle: the pools hold their connections, nothing in flight
    terminated.push(await terminateAll(w));
    // Each kind twice, so both instances of each service meet the cold database (round robin).
    const auth = { authorization: `Bearer ${user.token}` };
    for (let k = 0; k < 2; k++) {
      answers.push({ what: "GET /backend/api/me", a: await w.client.send({ url: `${api}/me`, headers: auth, from: user.from }) });
      answers.push({ what: "POST /backend/api/tasks", a: await w.client.send({ method: "POST", url: `${api}/tasks`, headers: auth, json: { title: `cold ${round}` }, from: user.from }) });
      const signIn = await signInThroughProxy(w, user.email, freshAddress());
      answers.push({ what: "POST /api/auth/sign-in/email", a: signIn });
      const cookie = cookieOf(signIn) ?? user.cookie;
      answers.push({ what: "GET /api/auth/token", a: await w.client.send({ url: `${w.topology.publicUrl}/api/auth/token`, headers: { origin: w.topology.publicUrl, cookie }, from: user.from }) });
      answers.push({ what: "GET /dashboard", a: await w.client.send({ url: `${w.topology.publicUrl}/dashboard`, headers: { cookie: user.cookie, accept: "text/html" }, from: user.from }) });
    }
  }
  const bad = answers.filter((x) => x.a.status < 200 || x.a.status >= 300);
  check(
    "the next requests of both services all succeed (zero 5xx)",
    bad.length === 0 && terminated.every((n) => n > 0),
    `${rounds} rounds, ${terminated.join(" + ")} connections terminated; ${answers.length} requests: ${histogram(answers.map((x) => x.a.status))}` +
      (bad.length ? `; ${bad.slice(0, 3).map((x) => `${x.what} → ${x.a.status} ${x.a.body.slice(0, 100)}`).join("; ")}` : ""),
  );
  const slowest = Math.max(...answers.map((x) => x.a.ms));
  check("and promptly (the slowest under 5 s)", slowest < 5_000, `slowest ${slowest.toFixed(0)} ms`);
}
