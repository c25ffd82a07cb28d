// Every database timeout of the frontend (Better Auth's pool), in one place. It mirrors the
// backend's policy (backend/app/db/engine.py; docs/operations.md "Timeouts and retries"):
// - connect: CONNECT_TIMEOUT_MS per attempt, long enough for a Neon cold start (a suspended
//   compute wakes in a few seconds). At most CONNECT_ATTEMPTS attempts, CONNECT_BACKOFF_MS apart,
//   only while the whole try stays within CONNECT_RETRY_BUDGET_MS: a blip is absorbed, an outage is
//   reported fast (503 DATABASE_UNAVAILABLE). Refused credentials, unknown databases and TLS
//   failures are never retried (a retry cannot fix them);
// - queries are never replayed (a sign-up is not idempotent): a failure answers 503 + Retry-After;
// - each statement: STATEMENT_TIMEOUT_MS on the server, set with `SET` once per connection. NOT
//   pg's `statement_timeout` option: pg sends that in the startup packet, which PgBouncer (Neon's
//   pooled URL) refuses with "unsupported startup parameter" (the backend does the same `SET`);
// - dead peers: TCP keepalive, and QUERY_TIMEOUT_MS on the client, so a server that vanished
//   without closing the socket fails a query in seconds instead of the OS's ~15 min. A client that
//   hit it is destroyed, never reused;
// - pool: a connection whose socket closes is dropped by pg-pool at once (the event loop sees the
//   close: what "pre-ping" buys the backend); connections are recycled after MAX_LIFETIME_SECONDS
//   (Neon closes idle ones when it scales to zero).

export const CONNECT_TIMEOUT_MS = 10_000;
export const CONNECT_ATTEMPTS = 3;
export const CONNECT_BACKOFF_MS = [250, 750] as const; // before the 2nd and the 3rd attempt
export const CONNECT_RETRY_BUDGET_MS = 2_000;
export const STATEMENT_TIMEOUT_MS = 5_000;
export const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 2_000; // the server's own timeout answers first
export const KEEPALIVE_INITIAL_DELAY_MS = 30_000;
export const POOL_MAX = 10;
export const IDLE_TIMEOUT_MS = 30_000;
export const MAX_LIFETIME_SECONDS = 300;

/** Seconds a client is told to wait (Retry-After) when the database is unavailable; same as the backend. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
