// The app of the two-step sign-in tests (src/server/second-factor/two-factor.integration.test.ts,
// src/server/second-factor/trusted-devices.integration.test.ts) on the real TLS test database, the
// mail catcher it sends to, and what those tests read: a backend token's claims, the security events.
// Closed after its file.
import { decodeJwt } from "jose";
import { afterAll, beforeAll, expect } from "vitest";
import { authApp } from "./auth-app";
import { ensureMailCatcher } from "./mail-catcher";
import type { Browser } from "./second-factor";

/** The app in the default mode (sign-up signs in). */
export const app = authApp({ REQUIRE_EMAIL_VERIFICATION: "false" });
const stops: (() => void)[] = [];
beforeAll(async () => {
  stops.push(await ensureMailCatcher());
});
afterAll(async () => {
  await app.close();
  for (const stop of stops) stop();
});

/** The claims of a backend token issued now to `browser`'s session. */
export async function tokenClaims(browser: Browser) {
  const token = await browser.get("/token");
  expect(token.status).toBe(200);
  return decodeJwt(String(token.body!.token));
}

/** The account's security events (docs/security.md "Security activity"), oldest first; of one `type` if given. */
export async function events(userId: string, type?: string) {
  const { rows } = await app.pool.query<{ type: string; method: string | null; session_id: string | null; detail: Record<string, unknown> }>(
    "SELECT type, method, session_id, detail FROM auth_event WHERE user_id = $1 AND ($2::text IS NULL OR type = $2) ORDER BY created_at, id",
    [userId, type ?? null],
  );
  return rows;
}
