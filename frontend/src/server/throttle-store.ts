// The throttle's counters, in PostgreSQL so every frontend instance sees the same ones (table
// auth_throttle, owned by the backend's Alembic migration 0002). Each check is ONE atomic
// `INSERT … ON CONFLICT DO UPDATE … RETURNING`: concurrent requests queue on the row, so 50 at
// once can never slip past a limit of 10. Times are the database's `now()`, one clock for all
// instances. A row past `expires_at` counts as absent; expired rows are deleted a batch at a time.
import "server-only";
import { createHmac } from "node:crypto";
import type { Pool } from "pg";
import { observedPool } from "./db";
import type { LockPolicy, WindowLimit } from "./throttle-settings";

export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A subject (an email, an address, a user id) as an HMAC under a key derived from
 * BETTER_AUTH_SECRET: what the table holds instead of the subject, and what a device token names
 * its account by (device-token.ts), so neither holds an email or address, nor a hash of one that a
 * dictionary could reverse.
 */
export function subjectHashes(secret: string) {
  const key = createHmac("sha256", secret).update("authbridge auth_throttle keys v1").digest();
  return (subject: string) => createHmac("sha256", key).update(subject).digest("base64url");
}

/** The row key of a counted subject: its scope in clear (for operators), the subject only hashed. */
export function throttleKeys(secret: string) {
  const hash = subjectHashes(secret);
  return (scope: string, subject: string) => `${scope}:${hash(subject)}`;
}

/** An interval of `secondsSql` seconds (SQL text: a parameter or an expression, never a value). */
const interval = (secondsSql: string) => `make_interval(secs => ${secondsSql})`;
const WINDOW = interval("$2::float8");

// A fixed window: the first request of a window opens it; a request beyond `limit` is refused.
const HIT = `
INSERT INTO auth_throttle AS t (key, hits, window_started_at, expires_at)
VALUES ($1, 1, now(), now() + ${WINDOW})
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN t.expires_at <= now() THEN 1 ELSE least(t.hits, 2147483646) + 1 END,
  window_started_at = CASE WHEN t.expires_at <= now() THEN now() ELSE t.window_started_at END,
  expires_at = CASE WHEN t.expires_at <= now() THEN now() + ${WINDOW} ELSE t.expires_at END
RETURNING hits, extract(epoch FROM expires_at - now())::float8 AS seconds_left`;

// A guarded attempt: counted BEFORE it runs (so concurrent attempts cannot all pass a check that
// a failure has not reached yet), forgotten on success, un-counted when it proved nothing. While
// locked, nothing changes. The attempt after `afterFailures` counted ones starts a lock of
// base × 2^level (at most max) and is refused. $2 afterFailures, $3 base, $4 max, $5 memory.
const LOCKED = "t.locked_until > now()";
const DEAD = "t.expires_at <= now()";
const NEXT = `((CASE WHEN ${DEAD} THEN 0 ELSE t.hits END) + 1)`;
const LEVEL = `(CASE WHEN ${DEAD} THEN 0 ELSE t.lock_level END)`;
const OVER = `${NEXT} > $2::int`;
const LOCK_FOR = interval(`least($3::float8 * power(2, least(${LEVEL}, 30)), $4::float8)`);
const MEMORY = interval("$5::float8");
const BEGIN_ATTEMPT = `
INSERT INTO auth_throttle AS t (key, hits, window_started_at, expires_at)
VALUES ($1, 1, now(), now() + ${MEMORY})
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN ${LOCKED} THEN t.hits WHEN ${OVER} THEN 0 ELSE ${NEXT} END,
  lock_level = CASE WHEN ${LOCKED} THEN t.lock_level WHEN ${OVER} THEN least(${LEVEL}, 30) + 1 ELSE ${LEVEL} END,
  locked_until = CASE WHEN ${LOCKED} THEN t.locked_until WHEN ${OVER} THEN now() + ${LOCK_FOR} ELSE NULL END,
  window_started_at = CASE WHEN ${LOCKED} OR NOT ${DEAD} THEN t.window_started_at ELSE now() END,
  expires_at = CASE WHEN ${LOCKED} THEN t.expires_at WHEN ${OVER} THEN now() + ${LOCK_FOR} + ${MEMORY} ELSE now() + ${MEMORY} END
RETURNING coalesce(extract(epoch FROM locked_until - now())::float8, 0) AS seconds_left`;

const UNCOUNT = "UPDATE auth_throttle SET hits = greatest(hits - 1, 0) WHERE key = $1 AND expires_at > now()";
const FORGET = "DELETE FROM auth_throttle WHERE key = $1";
const FORGET_ALL = "DELETE FROM auth_throttle WHERE key = ANY($1::text[])";
// A mark: a row whose window_started_at is the moment it was (last) set, kept $2 seconds.
const MARK = `
INSERT INTO auth_throttle AS t (key, hits, window_started_at, expires_at)
VALUES ($1, 0, now(), now() + ${WINDOW})
ON CONFLICT (key) DO UPDATE SET hits = 0, lock_level = 0, locked_until = NULL, window_started_at = now(), expires_at = now() + ${WINDOW}`;
// The failures (and lock) of $1 that began before the live mark $2 are forgotten. A guarded
// attempt's window_started_at is where its run of failures began (BEGIN_ATTEMPT keeps it while the
// run lasts), so a run that began before the mark is wholly before it: the first attempt after
// the mark forgets it, and the next run begins after the mark.
const FORGET_BEFORE_MARK = `
DELETE FROM auth_throttle t WHERE t.key = $1
  AND t.window_started_at < (SELECT m.window_started_at FROM auth_throttle m WHERE m.key = $2 AND m.expires_at > now())`;
const CLEANUP = `
DELETE FROM auth_throttle WHERE key IN (
  SELECT key FROM auth_throttle WHERE expires_at < now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)`;

const refused = (secondsLeft: number): Verdict => ({ allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(secondsLeft)) });

export interface ThrottleStore {
  /** Counts one request in `key`'s window; refused beyond the limit (the refused ones count too). */
  hit(key: string, window: WindowLimit): Promise<Verdict>;
  /** Takes back a request `hit` counted that turned out not to be a real attempt. */
  refund(key: string): Promise<void>;
  /** Counts an attempt before it runs; refused while locked, and the attempt that starts a lock. */
  beginAttempt(key: string, lock: LockPolicy): Promise<Verdict>;
  /** The attempt succeeded: its failures and lock level are forgotten. (A failure needs no call.) */
  attemptSucceeded(key: string): Promise<void>;
  /** The attempt proved nothing either way (e.g. refused for another reason): un-count it. */
  attemptVoided(key: string): Promise<void>;
  /** Forgets everything counted in `keys` (their failures, locks and windows). */
  forget(keys: string[]): Promise<void>;
  /** Sets the mark `key` to now, for `seconds`: see forgetBeforeMark. */
  mark(key: string, seconds: number): Promise<void>;
  /** Forgets `key`'s failures and lock if their run began before the live mark `markKey` was set. */
  forgetBeforeMark(key: string, markKey: string): Promise<void>;
  /** Deletes at most `batch` expired rows; returns how many. */
  cleanup(batch: number): Promise<number>;
}

/**
 * Counters on `pool` through the app's database policy (db.ts: connect retries, and failures
 * recorded for the request, so an outage answers 503 DATABASE_UNAVAILABLE). Every counting call
 * may also start a cleanup, at most once per `cleanupEverySeconds` in this process, in the
 * background and outside the request's error record (a failed cleanup is only logged).
 */
export function createThrottleStore(pool: Pool, cleanup: { everySeconds: number; batch: number }): ThrottleStore {
  const db = observedPool(pool);
  const query = async <Row>(sql: string, params: unknown[]): Promise<Row[]> => {
    const client = await db.connect();
    try {
      return (await client.query(sql, params)).rows as Row[];
    } finally {
      client.release();
    }
  };

  let lastCleanup = Number.NEGATIVE_INFINITY;
  const deleteExpired = async (batch: number) => (await pool.query(CLEANUP, [batch])).rowCount ?? 0;
  const maybeCleanup = () => {
    const now = performance.now();
    if (now - lastCleanup < cleanup.everySeconds * 1000) return;
    lastCleanup = now;
    deleteExpired(cleanup.batch).catch((err: Error & { code?: string }) =>
      console.warn(`auth throttle: cleanup failed (${err.code ?? err.message})`),
    );
  };

  return {
    async hit(key, window) {
      const [row] = await query<{ hits: number; seconds_left: number }>(HIT, [key, window.seconds]);
      maybeCleanup();
      return row!.hits <= window.limit ? { allowed: true } : refused(row!.seconds_left);
    },
    async refund(key) {
      await query(UNCOUNT, [key]);
    },
    async beginAttempt(key, lock) {
      const params = [key, lock.afterFailures, lock.baseSeconds, lock.maxSeconds, lock.memorySeconds];
      const [row] = await query<{ seconds_left: number }>(BEGIN_ATTEMPT, params);
      maybeCleanup();
      return row!.seconds_left > 0 ? refused(row!.seconds_left) : { allowed: true };
    },
    async attemptSucceeded(key) {
      await query(FORGET, [key]);
    },
    async attemptVoided(key) {
      await query(UNCOUNT, [key]);
    },
    async forget(keys) {
      await query(FORGET_ALL, [keys]);
    },
    async mark(key, seconds) {
      await query(MARK, [key, seconds]);
    },
    async forgetBeforeMark(key, markKey) {
      await query(FORGET_BEFORE_MARK, [key, markKey]);
    },
    cleanup: deleteExpired,
  };
}
