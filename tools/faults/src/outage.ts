// Database outage under load: the database crashes while tasks are being created and updated by several
// clients. /health must turn 503 within 5 s; API calls answer 503 with the JSON error body and
// Retry-After; after the restart everything recovers within 10 s without restarting a service; every
// create or update acknowledged with a 2xx is in the database; nothing that got an error is half-written.
// The traffic is in outage-traffic.ts, the checks in outage-checks.ts.
import { backendToken, bearer, clientIp, send, signIn, signUp, uniqueEmail } from "@authbridge/harness";
import * as checks from "./outage-checks.ts";
import { RECOVERY_BOUND_MS, type Timeline } from "./outage-checks.ts";
import { now, startTraffic, type Traffic } from "./outage-traffic.ts";
import { type Report, sleep } from "./report.ts";
import { crashDatabase, type FaultWorld } from "./world.ts";

export interface OutageTiming {
  clients: number;
  beforeMs: number;
  outageMs: number;
  afterMs: number;
}

interface OutageUser {
  email: string;
  token: string;
  /** The task the updater patches in a loop. */
  updatedId: string;
}

export async function outageUnderLoad(w: FaultWorld, report: Report, t: OutageTiming): Promise<void> {
  const check = report.scenario(
    `database outage under load: ${t.clients} writers + 1 updater, crash (SIGQUIT) for ${t.outageMs / 1000} s, then restart`,
  );
  const user = await signUpWithOneTask(w);
  const traffic = startTraffic(w.backendA, user.token, user.updatedId, t.clients);
  let timeline: Timeline;
  try {
    timeline = await crashAndRestart(w, user, traffic, t);
  } finally {
    await traffic.stop();
  }

  checks.checkHealthTurns503(check, traffic, timeline);
  checks.checkOutageErrorsWellFormed(check, traffic, timeline);
  checks.checkNoServerErrors(check, traffic, timeline);
  checks.checkAccountAnswersDuringOutage(check, timeline);
  checks.checkRecovery(check, traffic, timeline);
  await checks.checkSignInWorksAgain(check, w.frontendUrl, user.email);
  const stored = await checks.readStored(w.env, user.email, user.updatedId);
  checks.checkAcknowledgedCreatesKept(check, traffic.creates, stored);
  checks.checkNothingHalfWritten(check, traffic.creates, stored);
  checks.checkLastUpdateKept(check, traffic.updates, stored);
}

/** A fresh user through the real frontend, its backend token, and one task to update in a loop. */
async function signUpWithOneTask(w: FaultWorld): Promise<OutageUser> {
  const email = uniqueEmail("outage");
  const up = await signUp(w.frontendUrl, email, clientIp(70_001));
  if (up.answer.status !== 200 || !up.cookie) throw new Error(`sign-up answered ${up.answer.status}: ${up.answer.body.slice(0, 160)}`);
  const token = await backendToken(w.frontendUrl, up.cookie);
  const seed = await send({ method: "POST", url: `${w.backendA}/api/tasks`, headers: bearer(token), json: { title: "updated in a loop" } });
  if (seed.status !== 201) throw new Error(`POST /api/tasks answered ${seed.status}`);
  return { email, token, updatedId: (JSON.parse(seed.body) as { id: string }).id };
}

/** Lets the traffic run, crashes the database, asks what a user meets meanwhile, restarts it, waits for recovery. */
async function crashAndRestart(w: FaultWorld, user: OutageUser, traffic: Traffic, t: OutageTiming): Promise<Timeline> {
  await sleep(t.beforeMs);
  await crashDatabase(w.cluster);
  const tDown = now();
  await sleep(Math.min(1_000, t.outageMs / 2));
  const [signInAnswer, signUpAnswer, list] = await Promise.all([
    signIn(w.frontendUrl, user.email, clientIp(70_002)).then((s) => s.answer),
    signUp(w.frontendUrl, uniqueEmail("outage-new"), clientIp(70_003)).then((s) => s.answer),
    send({ url: `${w.backendA}/api/tasks`, headers: bearer(user.token), timeoutMs: 15_000 }),
  ]);
  await sleep(Math.max(0, tDown + t.outageMs - now()));
  w.cluster.start(); // crash recovery; blocks this process until the server accepts connections
  const tUp = now();
  // Recovered = /health 200 and a create 201, both sent after the restart (bounded).
  const recovered = () =>
    traffic.health.some((p) => p.sentAt >= tUp && p.status === 200) && traffic.creates.some((c) => c.sentAt >= tUp && c.a.status === 201);
  while (!recovered() && now() < tUp + RECOVERY_BOUND_MS + 5_000) await sleep(50);
  await sleep(t.afterMs);
  return { tDown, tUp, during: { signIn: signInAnswer, signUp: signUpAnswer, list } };
}
