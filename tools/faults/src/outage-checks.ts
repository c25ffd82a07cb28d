// The outage scenario's checks, in the order they are reported, each on the recorded traffic and the
// timeline of the crash (tDown) and the restart (tUp).
import { appDb, clientIp, type HttpAnswer, signIn } from "@authbridge/harness";
import type { Attempt, Traffic } from "./outage-traffic.ts";
import { type Check, errorCode, histogram } from "./report.ts";

const HEALTH_BOUND_MS = 5_000;
export const RECOVERY_BOUND_MS = 10_000;

export interface Timeline {
  tDown: number;
  tUp: number;
  /** What a user met while the database was down. */
  during: { signIn: HttpAnswer | null; signUp: HttpAnswer | null; list: HttpAnswer | null };
}

/** 1. /health turns 503 within 5 s of the crash. */
export function checkHealthTurns503(check: Check, { health }: Traffic, { tDown }: Timeline): void {
  const first503 = health.find((p) => p.sentAt >= tDown && p.status === 503);
  const healthDownMs = first503 ? first503.answeredAt - tDown : Number.POSITIVE_INFINITY;
  const hung = health.filter((p) => p.status === 0).length;
  check(
    `/health answers 503 within ${HEALTH_BOUND_MS / 1000} s of the crash`,
    healthDownMs <= HEALTH_BOUND_MS && hung === 0,
    first503 ? `503 after ${healthDownMs.toFixed(0)} ms; probes that got no answer: ${hung}` : `no 503 seen (${histogram(health.map((p) => p.status))})`,
  );
}

/** 2a. API calls during the outage: 503 + JSON DATABASE_UNAVAILABLE + Retry-After. */
export function checkOutageErrorsWellFormed(check: Check, { creates, updates }: Traffic, { tDown, tUp, during }: Timeline): void {
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
}

/** 2b. Never a 500 or a hang, over the whole run. */
export function checkNoServerErrors(check: Check, { creates, updates }: Traffic, { tDown }: Timeline): void {
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
}

/** 3. Sign-in / sign-up while the database is down: a clear "temporarily unavailable" (503 + JSON message). */
export function checkAccountAnswersDuringOutage(check: Check, { during }: Timeline): void {
  for (const [name, a] of [["sign-in", during.signIn], ["sign-up", during.signUp]] as const) {
    const clear = a !== null && a.status === 503 && /unavailable|try again/i.test(a.body) && !/stack|ECONNREFUSED|5436|at \w+ \(/i.test(a.body);
    check(`${name} during the outage answers a clear 503`, clear, a ? `${a.status} ${a.body.slice(0, 140) || "(empty body)"}` : "not attempted");
  }
}

/** 4. Recovery within 10 s of the restart, no service restarted. */
export function checkRecovery(check: Check, { health, creates }: Traffic, { tUp }: Timeline): void {
  const h200 = health.find((p) => p.sentAt >= tUp && p.status === 200);
  const c201 = creates.find((c) => c.sentAt >= tUp && c.a.status === 201);
  const recoveryMs = Math.max(h200 ? h200.answeredAt - tUp : Number.POSITIVE_INFINITY, c201 ? c201.answeredAt - tUp : Number.POSITIVE_INFINITY);
  check(
    `recovery within ${RECOVERY_BOUND_MS / 1000} s of the database restart`,
    recoveryMs <= RECOVERY_BOUND_MS,
    `/health 200 after ${h200 ? (h200.answeredAt - tUp).toFixed(0) : "never"} ms, first create 201 after ${c201 ? (c201.answeredAt - tUp).toFixed(0) : "never"} ms`,
  );
}

/** 4b. The user can sign in again afterwards. */
export async function checkSignInWorksAgain(check: Check, frontendUrl: string, email: string): Promise<void> {
  const again = await signIn(frontendUrl, email, clientIp(70_004));
  check("sign-in works again after the outage", again.answer.status === 200, `${again.answer.status}`);
}

interface StoredTask {
  id: string;
  title: string;
  description: string;
  completed: boolean;
}

export interface Stored {
  /** The user's tasks except the updated one. */
  rows: StoredTask[];
  /** The updated task's description (`v<n>`). */
  finalDescription: string;
}

/** What the database holds for the user after the run. */
export async function readStored(env: Record<string, string>, email: string, updatedId: string): Promise<Stored> {
  const db = await appDb(env);
  try {
    const userId = (await db.query('SELECT id FROM "user" WHERE email = lower($1)', [email])).rows[0]?.id;
    const rows = (await db.query("SELECT id::text, title, description, completed FROM task WHERE user_id = $1 AND id <> $2", [userId, updatedId])).rows;
    const finalDescription = (await db.query("SELECT description FROM task WHERE id = $1", [updatedId])).rows[0]?.description ?? "";
    return { rows, finalDescription };
  } finally {
    await db.end();
  }
}

/** 5a. Nothing acknowledged is lost. */
export function checkAcknowledgedCreatesKept(check: Check, creates: Attempt[], { rows }: Stored): void {
  const acked = creates.filter((c) => c.a.status === 201);
  const lost = acked.filter((c) => {
    const id = (JSON.parse(c.a.body) as { id: string }).id;
    const row = rows.find((r) => r.id === id);
    return !row || row.title !== c.title || row.description !== c.description;
  });
  check("every create acknowledged with 201 is in the database, intact", acked.length > 0 && lost.length === 0, `${acked.length} acknowledged, ${lost.length} missing or altered`);
}

/** 5b. Nothing errored is half-written. */
export function checkNothingHalfWritten(check: Check, creates: Attempt[], { rows }: Stored): void {
  const byTitle = new Map<string, StoredTask[]>();
  for (const r of rows) byTitle.set(r.title, [...(byTitle.get(r.title) ?? []), r]);
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
}

/** 5c. The last acknowledged update is what the database holds (or a later attempted one). */
export function checkLastUpdateKept(check: Check, updates: Traffic["updates"], { finalDescription }: Stored): void {
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
