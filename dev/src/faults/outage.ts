// Issue 5 §1: the database crashes while tasks are being created and updated by several clients.
// /health must turn 503 within 5 s; API calls answer 503 with the JSON error body and Retry-After;
// after the restart everything recovers within 10 s without restarting a service; every create or
// update acknowledged with a 2xx is in the database; nothing that got an error is half-written.
import { appDb, backendToken, bearer, clientIp, signIn, signUp, uniqueEmail } from "../harness/accounts.ts";
import { type HttpAnswer, send } from "../harness/http-load.ts";
import { errorCode, histogram, type Report, sleep } from "./report.ts";
import { crashDatabase, type FaultWorld } from "./world.ts";

export interface OutageTiming {
  clients: number;
  beforeMs: number;
  outageMs: number;
  afterMs: number;
}

export const HEALTH_BOUND_MS = 5_000;
export const RECOVERY_BOUND_MS = 10_000;
const MAX_REQUESTS_PER_CLIENT = 5_000;

interface Attempt {
  title: string;
  description: string;
  sentAt: number;
  answeredAt: number;
  a: HttpAnswer;
}

interface Probe {
  sentAt: number;
  answeredAt: number;
  status: number;
}

export async function outageUnderLoad(w: FaultWorld, report: Report, t: OutageTiming): Promise<void> {
  const check = report.scenario(
    `database outage under load: ${t.clients} writers + 1 updater, crash (SIGQUIT) for ${t.outageMs / 1000} s, then restart`,
  );
  const email = uniqueEmail("outage");
  const up = await signUp(w.frontendUrl, email, clientIp(70_001));
  if (up.answer.status !== 200 || !up.cookie) throw new Error(`sign-up answered ${up.answer.status}: ${up.answer.body.slice(0, 160)}`);
  const token = await backendToken(w.frontendUrl, up.cookie);
  const api = w.backendA;
  const seed = await send({ method: "POST", url: `${api}/api/tasks`, headers: bearer(token), json: { title: "updated in a loop" } });
  if (seed.status !== 201) throw new Error(`POST /api/tasks answered ${seed.status}`);
  const updatedId = (JSON.parse(seed.body) as { id: string }).id;

  const now = () => performance.now();
  let running = true;
  const creates: Attempt[] = [];
  const updates: (Attempt & { n: number })[] = [];
  const health: Probe[] = [];

  const writer = async (c: number) => {
    for (let n = 0; running && n < MAX_REQUESTS_PER_CLIENT; n++) {
      const title = `w${c}-${n}`;
      const description = `written by client ${c}, attempt ${n}`;
      const sentAt = now();
      const a = await send({ method: "POST", url: `${api}/api/tasks`, headers: bearer(token), json: { title, description }, timeoutMs: 15_000 });
      creates.push({ title, description, sentAt, answeredAt: now(), a });
      if (a.status !== 201) await sleep(100); // an unavailable service is not hammered in a hot loop
    }
  };
  const updater = async () => {
    for (let n = 1; running && n < MAX_REQUESTS_PER_CLIENT; n++) {
      const description = `v${n}`;
      const sentAt = now();
      const a = await send({ method: "PATCH", url: `${api}/api/tasks/${updatedId}`, headers: bearer(token), json: { description }, timeoutMs: 15_000 });
      updates.push({ title: "", description, sentAt, answeredAt: now(), a, n });
      if (a.status !== 200) await sleep(100);
    }
  };
  const healthPoller = async () => {
    while (running) {
      const sentAt = now();
      const a = await send({ url: `${api}/health`, timeoutMs: 10_000 });
      health.push({ sentAt, answeredAt: now(), status: a.status });
      await sleep(200);
    }
  };
  const load = [...Array.from({ length: t.clients }, (_, c) => writer(c)), updater(), healthPoller()];

  let tDown = 0;
  let tUp = 0;
  const during: Record<string, HttpAnswer | null> = { signIn: null, signUp: null, list: null };
  try {
    await sleep(t.beforeMs);
    await crashDatabase(w.cluster);
    tDown = now();
    await sleep(Math.min(1_000, t.outageMs / 2));
    // What a user meets while the database is down.
    [during.signIn, during.signUp, during.list] = await Promise.all([
      signIn(w.frontendUrl, email, clientIp(70_002)).then((s) => s.answer),
      signUp(w.frontendUrl, uniqueEmail("outage-new"), clientIp(70_003)).then((s) => s.answer),
      send({ url: `${api}/api/tasks`, headers: bearer(token), timeoutMs: 15_000 }),
    ]);
    await sleep(Math.max(0, tDown + t.outageMs - now()));
    w.cluster.start(); // crash recovery; blocks this process until the server accepts connections
    tUp = now();
    // Recovered = /health 200 and a create 201, both sent after the restart (bounded).
    const recovered = () =>
      health.some((p) => p.sentAt >= tUp && p.status === 200) && creates.some((c) => c.sentAt >= tUp && c.a.status === 201);
    while (!recovered() && now() < tUp + RECOVERY_BOUND_MS + 5_000) await sleep(50);
    await sleep(t.afterMs);
  } finally {
    running = false;
    await Promise.all(load);
  }

  // 1. /health turns 503 within 5 s of the crash.
  const first503 = health.find((p) => p.sentAt >= tDown && p.status === 503);
  const healthDownMs = first503 ? first503.answeredAt - tDown : Number.POSITIVE_INFINITY;
  const hung = health.filter((p) => p.status === 0).length;
  check(
    `/health answers 503 within ${HEALTH_BOUND_MS / 1000} s of the crash`,
    healthDownMs <= HEALTH_BOUND_MS && hung === 0,
    first503 ? `503 after ${healthDownMs.toFixed(0)} ms; probes that got no answer: ${hung}` : `no 503 seen (${histogram(health.map((p) => p.status))})`,
  );

  // 2. API calls during the outage: 503 + JSON DATABASE_UNAVAILABLE + Retry-After, never a 500 or a hang.
  const outageAnswers = [...creates, ...updates].filter((c) => c.sentAt >= tDown && c.sentAt < tUp).map((c) => c.a);
  if (during.list) outageAnswers.push(during.list);
  const failures = outageAnswers.filter((a) => a.status < 200 || a.status >= 300);
  const proper = failures.filter((a) => a.status === 503 && errorCode(a.body) === "DATABASE_UNAVAILABLE" && a.headers["retry-after"] !== undefined);
  const retryAfter = [...new Set(failures.map((a) => a.headers["retry-after"]).filter(Boolean))].join(",") || "absent";
  check(
    "API calls during the outage answer 503 DATABASE_UNAVAILABLE with Retry-After",
    failures.length > 0 && proper.length === failures.length,
    `${histogram(outageAnswers.map((a) => a.status))} during the outage; ${proper.length}/${failures.length} errors well-formed; Retry-After: ${retryAfter}; example: ${failures.find((a) => a !== undefined)?.body.slice(0, 110) ?? "none"}`,
  );
  const everything = [...creates, ...updates];
  const all = everything.map((c) => c.a.status);
  const unanswered = everything
    .filter((c) => c.a.status === 0 || (c.a.status >= 500 && c.a.status !== 503))
    .map((c) => `${c.a.status || "no answer"} (${c.a.error ?? c.a.body.slice(0, 60)}) sent ${(c.sentAt - tDown).toFixed(0)} ms after the crash, after ${c.a.ms.toFixed(0)} ms`);
  check(
    "no 500 and no request left without an answer, whole run",
    unanswered.length === 0,
    `${histogram(all)}${unanswered.length ? `; ${unanswered.slice(0, 3).join("; ")}` : ""}`,
  );

  // 3. Sign-in / sign-up while the database is down: a clear "temporarily unavailable" (503 + JSON message).
  for (const [name, a] of [["sign-in", during.signIn], ["sign-up", during.signUp]] as const) {
    const clear = a !== null && a.status === 503 && /unavailable|try again/i.test(a.body) && !/stack|ECONNREFUSED|5436|at \w+ \(/i.test(a.body);
    check(`${name} during the outage answers a clear 503`, clear, a ? `${a.status} ${a.body.slice(0, 140) || "(empty body)"}` : "not attempted");
  }

  // 4. Recovery within 10 s of the restart, no service restarted.
  const h200 = health.find((p) => p.sentAt >= tUp && p.status === 200);
  const c201 = creates.find((c) => c.sentAt >= tUp && c.a.status === 201);
  const recoveryMs = Math.max(h200 ? h200.answeredAt - tUp : Number.POSITIVE_INFINITY, c201 ? c201.answeredAt - tUp : Number.POSITIVE_INFINITY);
  check(
    `recovery within ${RECOVERY_BOUND_MS / 1000} s of the database restart`,
    recoveryMs <= RECOVERY_BOUND_MS,
    `/health 200 after ${h200 ? (h200.answeredAt - tUp).toFixed(0) : "never"} ms, first create 201 after ${c201 ? (c201.answeredAt - tUp).toFixed(0) : "never"} ms`,
  );
  const again = await signIn(w.frontendUrl, email, clientIp(70_004));
  check("sign-in works again after the outage", again.answer.status === 200, `${again.answer.status}`);

  // 5. Nothing acknowledged is lost; nothing errored is half-written.
  const db = await appDb(w.env);
  let rows: { id: string; title: string; description: string; completed: boolean }[] = [];
  let finalDescription = "";
  try {
    const userId = (await db.query('SELECT id FROM "user" WHERE lower(email) = lower($1)', [email])).rows[0]?.id;
    rows = (await db.query("SELECT id::text, title, description, completed FROM task WHERE user_id = $1 AND id <> $2", [userId, updatedId])).rows;
    finalDescription = (await db.query("SELECT description FROM task WHERE id = $1", [updatedId])).rows[0]?.description ?? "";
  } finally {
    await db.end();
  }
  const byTitle = new Map<string, typeof rows>();
  for (const r of rows) byTitle.set(r.title, [...(byTitle.get(r.title) ?? []), r]);
  const acked = creates.filter((c) => c.a.status === 201);
  const lost = acked.filter((c) => {
    const id = (JSON.parse(c.a.body) as { id: string }).id;
    const row = rows.find((r) => r.id === id);
    return !row || row.title !== c.title || row.description !== c.description;
  });
  check("every create acknowledged with 201 is in the database, intact", acked.length > 0 && lost.length === 0, `${acked.length} acknowledged, ${lost.length} missing or altered`);
  const attempted = new Map(creates.map((c) => [c.title, c]));
  const strangers = rows.filter((r) => !attempted.has(r.title));
  const duplicates = [...byTitle.values()].filter((v) => v.length > 1).length;
  const errored = creates.filter((c) => c.a.status !== 201);
  const erroredButStored = errored.filter((c) => byTitle.has(c.title));
  const halfWritten = erroredButStored.filter((c) => byTitle.get(c.title)!.some((r) => r.description !== c.description || r.completed !== false));
  check(
    "nothing that got an error is half-written (no partial, duplicate or unknown rows)",
    halfWritten.length === 0 && strangers.length === 0 && duplicates === 0,
    `${errored.length} creates errored: ${errored.length - erroredButStored.length} absent, ${erroredButStored.length} committed whole (reply lost), ${halfWritten.length} partial; ${duplicates} duplicated, ${strangers.length} unknown rows`,
  );
  const ackedUpdates = updates.filter((u) => u.a.status === 200);
  const lastAcked = ackedUpdates.at(-1)?.n ?? 0;
  const lastTried = updates.at(-1)?.n ?? 0;
  const finalN = Number(finalDescription.replace(/^v/, "")) || 0;
  check(
    "the last acknowledged update is in the database",
    ackedUpdates.length > 0 && finalN >= lastAcked && finalN <= lastTried,
    `${ackedUpdates.length}/${updates.length} updates acknowledged; last acknowledged v${lastAcked}, stored v${finalN}, last attempted v${lastTried}`,
  );
}
