// Traffic through the topology's public origin while something happens to it: each simulated user
// (its own loopback address, so the proxy and the throttle see distinct clients) creates tasks and
// lists them through /backend/, opens the dashboard (frontend → backend), and now and then signs in
// again and fetches a fresh token (frontend → database). Every answer is kept; every acknowledged
// create is remembered, so the scenario can check it was stored.
import { cookieOf, type HttpAnswer, PASSWORD, percentile, uniqueEmail } from "@authbridge/harness";
import type { ProdWorld } from "./prod-world.ts";

export interface LoadUser {
  email: string;
  from: string;
  cookie: string;
  token: string;
}

export interface Outcome {
  what: string;
  status: number;
  at: number;
  ms: number;
  detail: string;
}

export interface TrafficResult {
  outcomes: Outcome[];
  failures: Outcome[];
  /** Ids of the creates answered 201. */
  acked: string[];
  /** Requests resent because their reused keep-alive connection was closed before an answer (TlsClient.resent). */
  resent: number;
  /** The users' emails (to count what they stored). */
  emails: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let addressCounter = 0;
/** A fresh loopback address (127.20.x.y) for one connection's worth of requests. */
export const freshAddress = () => {
  const n = ++addressCounter;
  return `127.20.${(n >> 8) & 255}.${(n & 255) || 1}`;
};

const origin = (w: ProdWorld) => ({ origin: w.topology.publicUrl });

export async function signInThroughProxy(w: ProdWorld, email: string, from: string, password = PASSWORD): Promise<HttpAnswer> {
  return w.client.send({ method: "POST", url: `${w.topology.publicUrl}/api/auth/sign-in/email`, headers: origin(w), json: { email, password }, from });
}

async function tokenFor(w: ProdWorld, cookie: string, from: string): Promise<HttpAnswer> {
  return w.client.send({ url: `${w.topology.publicUrl}/api/auth/token`, headers: { ...origin(w), cookie }, from });
}

/** `n` users signed up through the proxy, each from its own address, with a backend token. */
export async function makeUsers(w: ProdWorld, n: number, tag: string): Promise<LoadUser[]> {
  const users: LoadUser[] = [];
  for (let i = 0; i < n; i++) {
    const from = freshAddress();
    const email = uniqueEmail(tag);
    const up = await w.client.send({ method: "POST", url: `${w.topology.publicUrl}/api/auth/sign-up/email`, headers: origin(w), json: { name: "Prod User", email, password: PASSWORD }, from });
    const cookie = cookieOf(up);
    if (up.status !== 200 || !cookie) throw new Error(`sign-up through the proxy answered ${up.status}: ${up.body.slice(0, 160)}`);
    const t = await tokenFor(w, cookie, from);
    if (t.status !== 200) throw new Error(`GET /api/auth/token answered ${t.status}: ${t.body.slice(0, 160)}`);
    users.push({ email, from, cookie, token: (JSON.parse(t.body) as { token: string }).token });
  }
  return users;
}

/** Runs traffic until `stop()` (or `maxMs`), then returns everything it saw. */
export interface Traffic {
  /** performance.now() when it started: Outcome.at counts seconds from here. */
  t0: number;
  /** Resolves once `count` more requests have had their answer (whatever it was), at most `timeoutMs`: the load flows. */
  answered(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<TrafficResult>;
}

export function startTraffic(w: ProdWorld, users: LoadUser[], opts: { paceMs?: number; maxMs?: number } = {}): Traffic {
  const pace = opts.paceMs ?? 40;
  const deadline = performance.now() + (opts.maxMs ?? 120_000);
  const t0 = performance.now();
  const resentBefore = w.client.resent;
  const outcomes: Outcome[] = [];
  const acked: string[] = [];
  let stopping = false;
  const api = `${w.topology.publicUrl}/backend/api`;
  const note = (what: string, a: HttpAnswer) =>
    outcomes.push({ what, status: a.status, at: (performance.now() - t0) / 1000, ms: a.ms, detail: a.error ?? a.body.slice(0, 120) });

  const loop = async (u: LoadUser, k: number) => {
    for (let i = 0; !stopping && performance.now() < deadline; i++) {
      const auth = { authorization: `Bearer ${u.token}` };
      const created = await w.client.send({ method: "POST", url: `${api}/tasks`, headers: auth, json: { title: `load ${k}-${i}` }, from: u.from });
      note("POST /backend/api/tasks", created);
      if (created.status === 201) acked.push((JSON.parse(created.body) as { id: string }).id);
      note("GET /backend/api/tasks", await w.client.send({ url: `${api}/tasks`, headers: auth, from: u.from }));
      if (i % 5 === 2) note("GET /dashboard", await w.client.send({ url: `${w.topology.publicUrl}/dashboard`, headers: { cookie: u.cookie, accept: "text/html" }, from: u.from }));
      if (i % 20 === 10) {
        const from = freshAddress();
        const signedIn = await signInThroughProxy(w, u.email, from);
        note("POST /api/auth/sign-in/email", signedIn);
        const cookie = cookieOf(signedIn);
        if (signedIn.status === 200 && cookie) {
          const t = await tokenFor(w, cookie, from);
          note("GET /api/auth/token", t);
          if (t.status === 200) u.token = (JSON.parse(t.body) as { token: string }).token;
        }
      }
      await sleep(pace);
    }
  };
  const running = Promise.all(users.map((u, k) => loop(u, k)));
  return {
    t0,
    async answered(count, timeoutMs = 15_000) {
      const target = outcomes.length + count;
      const until = performance.now() + timeoutMs;
      while (outcomes.length < target) {
        if (performance.now() > until) throw new Error(`the load had ${outcomes.length} answers, not ${target}, after ${timeoutMs} ms`);
        await sleep(20);
      }
    },
    async stop() {
      stopping = true;
      await running;
      const failures = outcomes.filter((o) => o.status < 200 || o.status >= 300);
      return { outcomes, failures, acked, resent: w.client.resent - resentBefore, emails: users.map((u) => u.email) };
    },
  };
}

/** How many of `ids` are stored (one query on the direct URL). */
export async function storedCount(w: ProdWorld, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  const db = await w.db();
  try {
    const r = await db.query("SELECT count(*)::int AS n FROM task WHERE id::text = ANY($1::text[])", [ids]);
    return (r.rows[0] as { n: number }).n;
  } finally {
    await db.end();
  }
}

/** Every task the users with these emails have: equal to the acknowledged creates when nothing was stored twice. */
export async function tasksOf(w: ProdWorld, emails: string[]): Promise<number> {
  const db = await w.db();
  try {
    const r = await db.query('SELECT count(*)::int AS n FROM task t JOIN "user" u ON u.id = t.user_id WHERE u.email = ANY($1::text[])', [emails]);
    return (r.rows[0] as { n: number }).n;
  } finally {
    await db.end();
  }
}

export function describeFailures(failures: Outcome[], max = 4): string {
  if (!failures.length) return "none";
  return failures.slice(0, max).map((f) => `${f.what} → ${f.status || "no answer"} at ${f.at.toFixed(1)} s (${f.detail})`).join("; ");
}
