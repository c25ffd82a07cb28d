// Revocation in the session-check modes without a listener, the ones for hosts that cannot hold a connection
// (docs/operations.md "Session check modes"): a third backend instance with SESSION_CACHE=ttl and a fourth with
// SESSION_CACHE=off join the run's two `listen` instances. Each says its mode in /health (listener "not-used")
// and holds no LISTEN connection. A user signs out through the frontend: `off` refuses the very next request,
// `ttl` within SESSION_CACHE_TTL_SECONDS (its stated bound; a shortened 2 s here), and `listen` within 1 s.
import type pg from "pg";
import { appDb, assertPortsFree, bearer, fmt, refusalTimes, send, type Service, signOut, startBackend, waitForHttp, warm } from "@authbridge/harness";
import type { Report } from "./report.ts";
import { LISTENER_APPLICATION_NAME, REFUSED_WITHIN_MS, victim } from "./revocation.ts";
import { FAULT_PORTS, type FaultWorld } from "./world.ts";

const TTL_SECONDS = 2;
/** What a refusal may take beyond the ttl bound: the poll's own round trip and the clock's granularity. */
const TTL_SLACK_MS = 250;

async function listenerCount(db: pg.Client): Promise<number> {
  const r = await db.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", [LISTENER_APPLICATION_NAME]);
  return (r.rows[0] as { n: number }).n;
}

/**
 * `repeats` sign-outs, each timed on the three backends (listen, ttl, off): the lag of each, the modes that still
 * accepted the token at the deadline, how often off refused the very next request and ttl served from its cache.
 */
async function revocationRounds(w: FaultWorld, ttl: string, off: string, repeats: number) {
  const lags: Record<"listen" | "ttl" | "off", number[]> = { listen: [], ttl: [], off: [] };
  const missed: string[] = [];
  let offFirst = 0;
  let ttlServedAfter = 0;
  for (let i = 0; i < repeats; i++) {
    const v = await victim(w, 1);
    const token = v.tokens[0]!;
    await warm([w.backendA, ttl, off], token);
    const answer = await signOut(w.frontendUrl, v.cookie);
    const t0 = performance.now();
    if (answer.status !== 200) throw new Error(`sign-out answered ${answer.status}: ${answer.body.slice(0, 160)}`);
    const first = await send({ url: `${off}/api/me`, headers: bearer(token) }); // the very next request
    if (first.status === 401 && first.body.includes("TOKEN_REVOKED")) offFirst += 1;
    const [listen, cached, direct] = await refusalTimes([w.backendA, ttl, off], token, t0, TTL_SECONDS * 1_000 + 2 * TTL_SLACK_MS);
    for (const [mode, r] of [["listen", listen], ["ttl", cached], ["off", direct]] as const) {
      if (r?.lagMs == null) missed.push(`${mode}: ${r?.last ?? "no answer"}`);
      else lags[mode].push(r.lagMs);
    }
    if ((cached?.lagMs ?? 0) > 50) ttlServedAfter += 1; // the cache answered for the revoked session a while
  }
  return { lags, missed, offFirst, ttlServedAfter };
}

export async function revocationInModesWithoutListener(w: FaultWorld, report: Report, repeats: number): Promise<void> {
  const check = report.scenario(`revocation with SESSION_CACHE=ttl (${TTL_SECONDS} s) and off, no listener (${repeats}×)`);
  await assertPortsFree([FAULT_PORTS.backendTtl, FAULT_PORTS.backendOff]);
  const quiet = !process.env.FAULTS_VERBOSE;
  const services: Service[] = [
    startBackend({ ...w.env, SESSION_CACHE: "ttl", SESSION_CACHE_TTL_SECONDS: String(TTL_SECONDS) }, FAULT_PORTS.backendTtl, { quiet, name: "backend-ttl" }),
    startBackend({ ...w.env, SESSION_CACHE: "off" }, FAULT_PORTS.backendOff, { quiet, name: "backend-off" }),
  ];
  const ttl = `http://localhost:${FAULT_PORTS.backendTtl}`;
  const off = `http://localhost:${FAULT_PORTS.backendOff}`;
  const db = await appDb(w.env);
  try {
    await waitForHttp(`${ttl}/health`, { timeoutMs: 60_000, service: services[0] });
    await waitForHttp(`${off}/health`, { timeoutMs: 60_000, service: services[1] });
    const modes = await Promise.all(
      [ttl, off].map(async (b) => (JSON.parse((await send({ url: `${b}/health` })).body) as { session_check: { mode: string; listener: string } }).session_check),
    );
    const before = await listenerCount(db);
    const probe = await victim(w, 1);
    await warm([ttl, off], probe.tokens[0]!);
    const after = await listenerCount(db);
    check(
      "each says its mode and holds no LISTEN connection",
      modes[0]?.mode === "ttl" && modes[1]?.mode === "off" && modes.every((m) => m.listener === "not-used") && after === before,
      `/health: ${modes.map((m) => `${m.mode} (listener ${m.listener})`).join(", ")}; LISTEN connections ${before} before their traffic, ${after} after`,
    );

    const { lags, missed, offFirst, ttlServedAfter } = await revocationRounds(w, ttl, off, repeats);
    const worst = (mode: keyof typeof lags) => (lags[mode].length ? Math.max(...lags[mode]) : Number.NaN);
    const shown = (mode: keyof typeof lags) => `max ${fmt(worst(mode), 1)} ms over ${lags[mode].length}`;
    const none = missed.length === 0;
    check(`off: the very next request refused`, none && offFirst === repeats, `${offFirst} of ${repeats} first requests refused 401 TOKEN_REVOKED; ${shown("off")}`);
    check(
      `ttl: refused within SESSION_CACHE_TTL_SECONDS (${TTL_SECONDS} s)`,
      none && worst("ttl") <= TTL_SECONDS * 1_000 + TTL_SLACK_MS,
      `${shown("ttl")}; ${ttlServedAfter} of ${repeats} served from the cache after the sign-out, as the mode allows${none ? "" : `; still accepted: ${missed.join("; ")}`}`,
    );
    check(`listen (alongside): refused within ${REFUSED_WITHIN_MS / 1000} s`, none && worst("listen") <= REFUSED_WITHIN_MS, shown("listen"));
  } finally {
    await db.end();
    await Promise.all(services.map((s) => s.stop()));
  }
}
