// The throttle's limits (docs/security.md "Rate limiting"), from the environment (README.md
// "Configuration") plus the few that only tests change. Durations are seconds and may be
// fractional, so tests can wait for a lock to pass in a second instead of half a minute.
import type { ServerEnv } from "@/config/env-schema";

/** At most `limit` requests per `seconds`, counted from the first one (a fixed window). */
export interface WindowLimit {
  limit: number;
  seconds: number;
}

/** After `afterFailures` consecutive failures, a lock of `baseSeconds`, doubling per lock up to `maxSeconds`. */
export interface LockPolicy {
  afterFailures: number;
  baseSeconds: number;
  maxSeconds: number;
  /** Failures (and the lock's doubling) are forgotten this long after the last one, if no success came first. */
  memorySeconds: number;
}

export interface ThrottleSettings {
  /** Lower-case header names that only our proxy sets; empty = client addresses are unknown. */
  trustedAddressHeaders: readonly string[];
  signInPerAddress: WindowLimit;
  signUpPerAddress: WindowLimit;
  signUpPerEmail: WindowLimit;
  /**
   * The least time a sign-up takes once past the limits, so that a new account (a few inserts more)
   * and an existing email answer alike (docs/security.md "Email verification"); 0 without email
   * verification, where an existing email is refused anyway.
   */
  signUpMinMs: number;
  /** Mails that an anonymous request can ask for (verification, reset), per route and email. */
  mailPerEmail: WindowLimit;
  /** Every route that needs a session (change-password, revoke-sessions, token, …), per user. */
  perUser: WindowLimit;
  /** Failed sign-ins per account, and wrong current passwords per user. */
  lock: LockPolicy;
  /** Expired rows are deleted at most this often per process, at most `batch` at a time. */
  cleanup: { everySeconds: number; batch: number };
}

const DAY = 24 * 60 * 60;
/** Above a sign-up's own time (a password hash and a few inserts, under 200 ms on 2 cores). */
const SIGN_UP_MIN_MS = 400;

export function throttleSettings(env: ServerEnv, overrides: Partial<ThrottleSettings> = {}): ThrottleSettings {
  return {
    trustedAddressHeaders: env.AUTH_TRUSTED_IP_HEADER ?? [],
    signInPerAddress: { limit: env.AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE, seconds: 60 },
    signUpPerAddress: { limit: env.AUTH_RATE_LIMIT_SIGN_UP_PER_MINUTE, seconds: 60 },
    signUpPerEmail: { limit: env.AUTH_RATE_LIMIT_SIGN_UP_PER_EMAIL_PER_HOUR, seconds: 3600 },
    signUpMinMs: env.REQUIRE_EMAIL_VERIFICATION ? SIGN_UP_MIN_MS : 0,
    mailPerEmail: { limit: env.AUTH_RATE_LIMIT_MAIL_PER_EMAIL_PER_HOUR, seconds: 3600 },
    perUser: { limit: env.AUTH_RATE_LIMIT_PER_USER_PER_MINUTE, seconds: 60 },
    lock: {
      afterFailures: env.AUTH_LOCK_AFTER_FAILURES,
      baseSeconds: env.AUTH_LOCK_SECONDS,
      maxSeconds: Math.max(env.AUTH_LOCK_MAX_SECONDS, env.AUTH_LOCK_SECONDS),
      memorySeconds: DAY,
    },
    cleanup: { everySeconds: 60, batch: 500 },
    ...overrides,
  };
}
