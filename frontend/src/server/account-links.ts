// Links die with the password (docs/security.md "Links die with the password"): every emailed link
// that can change who holds an account (a password reset, an account deletion, a change of email)
// is a row, and these remove a user's rows when a credential changes, so a link sent before
// (possibly to an attacker with a stolen session, or still in an old inbox) stops working.
import "server-only";
import { type ObservedPool, queryVia } from "./db";

type Db = Pick<ObservedPool, "connect">;

/** Better Auth's reset rows are `reset-password:<token>`, the deletion rows `delete-account-<token>`; both hold the user id. */
const RESET_PREFIX = "reset-password:";

/** Voids every reset, deletion and change-of-email link of `userId`, except the reset link `keepResetToken`. */
export async function voidLinks(db: Db, userId: string, keepResetToken?: string): Promise<void> {
  const keep = keepResetToken === undefined ? "" : `${RESET_PREFIX}${keepResetToken}`;
  await queryVia(
    db,
    `DELETE FROM verification WHERE value = $1 AND identifier <> $2 AND (identifier LIKE '${RESET_PREFIX}%' OR identifier LIKE 'delete-account-%')`,
    [userId, keep],
  );
  await queryVia(db, "DELETE FROM email_change WHERE user_id = $1", [userId]);
}

/** Only the newest reset link of `userId` works: a new request voids the older ones. */
export async function keepNewestResetLink(db: Db, userId: string, token: string): Promise<void> {
  await queryVia(db, `DELETE FROM verification WHERE value = $1 AND identifier LIKE '${RESET_PREFIX}%' AND identifier <> $2`, [userId, `${RESET_PREFIX}${token}`]);
}

/** Ends every session of `userId` (but `exceptSessionId`): the backend refuses their tokens on the next request. */
export async function endSessions(db: Db, userId: string, exceptSessionId?: string): Promise<void> {
  await queryVia(db, "DELETE FROM session WHERE user_id = $1 AND id <> $2", [userId, exceptSessionId ?? ""]);
}

/**
 * Removes every way into `userId`'s account that someone else may have set: its password and every
 * provider linked to it (docs/security.md "Sign-in providers and linking": an account whose address
 * its real owner proves through a provider).
 */
export async function removeSignInMethods(db: Db, userId: string): Promise<void> {
  await queryVia(db, "DELETE FROM account WHERE user_id = $1", [userId]);
}
