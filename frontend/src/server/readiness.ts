// What GET /health answers: a `SELECT 1` through the pool within a bound, never a hang or a 500, and
// the email verification policy this instance runs with (`npm run doctor` compares it with the
// backend's: docs/security.md "Email verification").
import "server-only";
import type { Pool } from "pg";
import { ERROR_CODES } from "@/lib/error-codes";

/** The probe's whole budget: a proxy's health check must get an answer well within its own timeout. */
const READINESS_TIMEOUT_MS = 4000;
const NO_STORE = { "cache-control": "no-store" };

export type EmailVerificationPolicy = "required" | "optional";

export async function readiness(pool: Pick<Pool, "query">, emailVerification: EmailVerificationPolicy, timeoutMs = READINESS_TIMEOUT_MS): Promise<Response> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("readiness probe timed out")), timeoutMs);
  });
  try {
    await Promise.race([pool.query("SELECT 1"), timedOut]);
    return Response.json({ status: "ok", email_verification: emailVerification }, { headers: NO_STORE });
  } catch {
    return Response.json(
      { code: "DATABASE_UNAVAILABLE", message: ERROR_CODES.DATABASE_UNAVAILABLE, email_verification: emailVerification },
      { status: 503, headers: { ...NO_STORE, "retry-after": "5" } },
    );
  } finally {
    clearTimeout(timer);
  }
}
