// What a password reset link is before anything spends it (docs/security.md "Forgotten password"),
// so /reset-password says at once that a dead link is dead, and offers a new one, instead of after
// the user has typed a new password. Better Auth stores a link as a `verification` row
// `reset-password:<token>` holding the user id until `expires_at`; the reset deletes it (single
// use), a newer request or a change of password deletes it too (account-links.ts), and Better Auth
// sweeps expired rows now and then. Reading changes nothing: a mail scanner may open the link.
import "server-only";
import { type ObservedPool, queryVia } from "./db";

export type ResetLink =
  /** It works: the form may be shown, for this account. */
  | { state: "valid"; userId: string; email: string }
  /** Its hour is over (the row is still there): a new link can go to the same address. */
  | { state: "expired"; email: string }
  /** A token of the right shape with no row: already used, replaced by a newer link or a password change, or swept after it expired. */
  | { state: "gone" }
  /** Not a token Better Auth makes: cut short or altered on its way. */
  | { state: "invalid" };

/** Better Auth's reset tokens: `generateId(24)`, letters and digits. */
const TOKEN = /^[A-Za-z0-9]{24}$/;

type Db = Pick<ObservedPool, "connect">;

export async function readResetLink(db: Db, token: string, now: Date = new Date()): Promise<ResetLink> {
  if (!TOKEN.test(token)) return { state: "invalid" };
  // The newest row of the identifier, as Better Auth reads it (served by the index on identifier).
  const { rows } = await queryVia<{ id: string; email: string; expires_at: Date }>(
    db,
    `SELECT u.id, u.email, v.expires_at FROM verification v JOIN "user" u ON u.id = v.value
      WHERE v.identifier = $1 ORDER BY v.created_at DESC LIMIT 1`,
    [`reset-password:${token}`],
  );
  const row = rows[0];
  if (!row) return { state: "gone" };
  // Better Auth refuses a row whose expiry is before now; so does this.
  if (row.expires_at < now) return { state: "expired", email: row.email };
  return { state: "valid", userId: row.id, email: row.email };
}
