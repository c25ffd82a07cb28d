// h. Sign-in at scale: the production frontend build twice, one instance on a database of 1,000 users
// and one on a database of 200,000, both on the same local TLS server; sign-in p50 of each, measured
// in alternating rounds (the order swapped every round) so machine noise meets both alike, and their
// ratio (target < 1.1: no query of a sign-in may read the whole user table). The extra users come from
// one INSERT … SELECT generate_series each (a user and its credential account; no usable password);
// a few accounts signed up through the API are the ones that sign in. Also the email look-up alone,
// EXPLAIN ANALYZE in each database. `--scale-revision 0003` migrates both databases only that far
// (the schema before migration 0004) for the before figure. docs/benchmarks.md "Sign-in at scale".
import type pg from "pg";
import { appDb, clientIp, fmt, freshDatabaseEnv, type LoadResult, type LocalPostgres, PASSWORD, percentile, runLoad, type Service, signIn, signUp, startFrontend, table, uniqueEmail, uvRun, waitForHttp } from "@authbridge/harness";
import { BENCH_PORTS } from "./bench-env.ts";
import { QUICK, type Timing } from "./timing.ts";

const SCALE_SIZES = { small: 1_000, large: 200_000 } as const;
type Side = keyof typeof SCALE_SIZES;
const SIDES: Side[] = ["small", "large"];
/** Accounts per database signed up through the API; they alone sign in. */
const SIGNING_IN = 4;
const LOOKUP_SAMPLES = 20;

interface ScaleSide {
  users: number;
  rounds: LoadResult[];
  samples: number;
  p50: number;
  p95: number;
  /** The email look-up alone in the database (EXPLAIN ANALYZE execution time, median of LOOKUP_SAMPLES). */
  lookupMs: number;
  lookupPlan: string;
}

export interface ScaleBench {
  revision: string;
  rounds: number;
  roundMs: number;
  sides: Record<Side, ScaleSide>;
  /** p50 at 200,000 users over p50 at 1,000. */
  ratio: number;
  /** The same ratio per round (each round measures both sides back to back), their median. */
  ratioMedianOfRounds: number;
  seconds: number;
}

interface Prepared {
  env: Record<string, string>;
  emails: string[];
}

export async function signInScale(
  world: { env: Record<string, string>; cluster: LocalPostgres },
  timing: Timing,
  services: Service[],
  revision = "head",
): Promise<ScaleBench> {
  const t0 = performance.now();
  const { rounds, roundMs } = timing === QUICK ? { rounds: 2, roundMs: 800 } : { rounds: 6, roundMs: 2_500 };
  console.log(`\n[bench] h. sign-in at ${SCALE_SIZES.small.toLocaleString("en")} vs ${SCALE_SIZES.large.toLocaleString("en")} users (schema at ${revision})…`);
  const ports: Record<Side, number> = { small: BENCH_PORTS.scaleSmall, large: BENCH_PORTS.scaleLarge };
  const envs = await scaleDatabases(world, ports, revision);
  const frontends = SIDES.map((side) => startFrontend(envs[side], ports[side], { quiet: true }));
  services.push(...frontends);
  await Promise.all(SIDES.map((side, i) => waitForHttp(`${envs[side].BETTER_AUTH_URL}/sign-in`, { timeoutMs: 90_000, service: frontends[i] })));

  let ip = 200_000; // client addresses of their own, one per request: no per-address limit engages
  const nextIp = () => clientIp(ip++);
  const prepared = {} as Record<Side, Prepared>;
  for (const side of SIDES) prepared[side] = await signUpAccounts(envs[side], SCALE_SIZES[side], nextIp);

  // Warm-up: the first requests of a fresh server compile and connect; not measured.
  for (const side of SIDES) for (const email of prepared[side].emails) await expectSignIn(envs[side].BETTER_AUTH_URL, email, nextIp());
  const { latencies, perRound } = await signInRounds(envs, prepared, rounds, roundMs, nextIp);

  const sides = {} as Record<Side, ScaleSide>;
  for (const side of SIDES) {
    const sorted = [...latencies[side]].sort((a, b) => a - b);
    const lookup = await emailLookup(envs[side], prepared[side].emails[0]);
    sides[side] = { users: SCALE_SIZES[side], rounds: perRound[side], samples: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), ...lookup };
  }
  const roundRatios = perRound.large.map((l, i) => l.p50 / perRound.small[i].p50).sort((a, b) => a - b);
  return {
    revision,
    rounds,
    roundMs,
    sides,
    ratio: sides.large.p50 / sides.small.p50,
    ratioMedianOfRounds: percentile(roundRatios, 50),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** A database per side at `revision`, filled to its size but for the users who will sign in. */
async function scaleDatabases(world: { env: Record<string, string>; cluster: LocalPostgres }, ports: Record<Side, number>, revision: string): Promise<Record<Side, Record<string, string>>> {
  const envs = {} as Record<Side, Record<string, string>>;
  for (const side of SIDES) {
    const fresh = await freshDatabaseEnv(world.cluster, world.env.DATABASE_CA_CERT, `authbridge_bench_${side}`, { frontend: ports[side], backend: BENCH_PORTS.backend });
    envs[side] = { ...world.env, ...fresh };
    if (uvRun(["run", "--frozen", "alembic", "upgrade", revision], envs[side]) !== 0) throw new Error(`alembic upgrade ${revision} failed (authbridge_bench_${side})`);
    await fillUsers(envs[side], SCALE_SIZES[side] - SIGNING_IN);
  }
  return envs;
}

/** Rounds of sign-ins on each side in turn (the order alternating), every latency and each round's figures. */
async function signInRounds(envs: Record<Side, Record<string, string>>, prepared: Record<Side, Prepared>, rounds: number, roundMs: number, nextIp: () => string) {
  const latencies: Record<Side, number[]> = { small: [], large: [] };
  const perRound: Record<Side, LoadResult[]> = { small: [], large: [] };
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? SIDES : [...SIDES].reverse()) {
      const url = envs[side].BETTER_AUTH_URL;
      const { emails } = prepared[side];
      const result = await runLoad({
        name: `sign-in, ${SCALE_SIZES[side].toLocaleString("en")} users`,
        concurrency: 1,
        durationMs: roundMs,
        maxRequests: 500,
        request: (i) => ({
          method: "POST",
          url: `${url}/api/auth/sign-in/email`,
          headers: { origin: url, "x-forwarded-for": nextIp() },
          json: { email: emails[i % emails.length], password: PASSWORD },
        }),
        onAnswer: (_i, a) => latencies[side].push(a.ms),
      });
      if (result.errors > 0) throw new Error(`sign-in at ${side} scale: ${result.errors} of ${result.requests} failed (${JSON.stringify(result.statuses)})`);
      perRound[side].push(result);
    }
  }
  return { latencies, perRound };
}

/** `count` users with a credential account each, in two statements; then fresh statistics. */
async function fillUsers(env: Record<string, string>, count: number): Promise<void> {
  const db = await appDb(env);
  try {
    await db.query(
      `INSERT INTO "user" (id, name, email, email_verified)
       SELECT 'scale_' || g, 'Scale User', 'scale-' || g || '@bench.invalid', true FROM generate_series(1, $1::int) AS g`,
      [count],
    );
    // Not a password hash: these users never sign in, they only make the tables as large as a real user base's.
    await db.query(
      `INSERT INTO account (id, account_id, provider_id, user_id, password)
       SELECT 'scale_a_' || g, 'scale_' || g, 'credential', 'scale_' || g, 'none' FROM generate_series(1, $1::int) AS g`,
      [count],
    );
    await db.query('ANALYZE "user", account');
  } finally {
    await db.end();
  }
}

/** The accounts that sign in, signed up through the frontend; checks the database then holds `total` users. */
async function signUpAccounts(env: Record<string, string>, total: number, nextIp: () => string): Promise<Prepared> {
  const emails: string[] = [];
  for (let i = 0; i < SIGNING_IN; i++) {
    const email = uniqueEmail("bench-scale");
    const s = await signUp(env.BETTER_AUTH_URL, email, nextIp());
    if (s.answer.status !== 200) throw new Error(`sign-up answered ${s.answer.status}: ${s.answer.body.slice(0, 200)}`);
    emails.push(email);
  }
  const db = await appDb(env);
  try {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "user"');
    if (rows[0].n !== total) throw new Error(`expected ${total} users in ${env.DATABASE_URL.replace(/:[^:@/]*@/, ":…@")}, found ${rows[0].n}`);
  } finally {
    await db.end();
  }
  return { env, emails };
}

async function expectSignIn(frontendUrl: string, email: string, ip: string): Promise<void> {
  const s = await signIn(frontendUrl, email, ip);
  if (s.answer.status !== 200 || !s.cookie) throw new Error(`sign-in answered ${s.answer.status}: ${s.answer.body.slice(0, 200)}`);
}

interface ExplainNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: ExplainNode[];
}

/** Better Auth's own look-up (`WHERE email = $1`), timed by the database alone. */
async function emailLookup(env: Record<string, string>, email: string): Promise<{ lookupMs: number; lookupPlan: string }> {
  const db: pg.Client = await appDb(env);
  try {
    const times: number[] = [];
    let node: ExplainNode | undefined;
    for (let i = 0; i < LOOKUP_SAMPLES; i++) {
      const { rows } = await db.query<{ "QUERY PLAN": { Plan: ExplainNode; "Execution Time": number }[] }>(
        'EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM "user" WHERE "email" = $1',
        [email],
      );
      const [explained] = rows[0]["QUERY PLAN"];
      times.push(explained["Execution Time"]);
      node = explained.Plan;
    }
    while (node?.Plans?.length === 1 && !node["Index Name"] && node["Node Type"] !== "Seq Scan") node = node.Plans[0];
    const lookupPlan = node ? `${node["Node Type"]}${node["Index Name"] ? ` (${node["Index Name"]})` : ""}` : "?";
    return { lookupMs: percentile([...times].sort((a, b) => a - b), 50), lookupPlan };
  } finally {
    await db.end();
  }
}

export function printScale(s: ScaleBench): void {
  console.log(
    `\nh. Sign-in at scale, schema at ${s.revision}: one production frontend per database, concurrency 1, ${s.rounds} alternating rounds of ${(s.roundMs / 1000).toFixed(1)} s per side`,
  );
  console.log(
    table(
      ["users", "sign-ins", "p50 ms", "p95 ms", "email look-up in the database (ms, plan)"],
      SIDES.map((side) => {
        const v = s.sides[side];
        return [v.users.toLocaleString("en"), v.samples, fmt(v.p50, 1), fmt(v.p95, 1), `${fmt(v.lookupMs, 3)} (${v.lookupPlan})`];
      }),
    ),
  );
  console.log(
    `  ratio p50 ${s.sides.large.users.toLocaleString("en")} / ${s.sides.small.users.toLocaleString("en")} users: ${fmt(s.ratio, 3)} (median of the per-round ratios ${fmt(s.ratioMedianOfRounds, 3)}; target < 1.1), ${fmt(s.seconds, 0)} s`,
  );
}
