// One mail budget per recipient address (docs/security.md "Mail that cannot be turned against
// anyone"): every mail to an address nobody has proven (a sign-up's confirmation, the new address of
// a change, a reset or notice to an unconfirmed account) spends it, whichever route, account or
// client asked, so a flood reaches an inbox AUTH_RATE_LIMIT_MAIL_PER_RECIPIENT_PER_HOUR times at most.
// Counted in the throttle's table under a keyed hash of the address, never the address.
import "server-only";
import type { Pool } from "pg";
import type { ServerEnv } from "@/config/env-schema";
import { createThrottleStore, throttleKeys } from "../throttle-store";
import type { RecipientBudget } from "./account-mail";

export function recipientBudget(pool: Pool, env: Pick<ServerEnv, "BETTER_AUTH_SECRET" | "AUTH_RATE_LIMIT_MAIL_PER_RECIPIENT_PER_HOUR">): RecipientBudget {
  const store = createThrottleStore(pool, { everySeconds: 60, batch: 500 });
  const keyOf = throttleKeys(env.BETTER_AUTH_SECRET);
  const window = { limit: env.AUTH_RATE_LIMIT_MAIL_PER_RECIPIENT_PER_HOUR, seconds: 3600 };
  return async (address) => {
    try {
      return (await store.hit(keyOf("mail-to", address.trim().toLowerCase()), window)).allowed ? "allowed" : "spent";
    } catch (err) {
      // Fail closed: without the count, the mail could be one of a flood.
      return { unavailable: (err as { code?: string }).code ?? (err as Error).message };
    }
  };
}
