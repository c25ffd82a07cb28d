// A pending change of email as a row (table `email_change`, migration 0005; docs/security.md
// "Changing the email", docs/decisions/0005-stateful-email-change.md). Two single-use links, each a
// random 256-bit token stored only as its SHA-256: one to the current address (approve, or cancel:
// "this wasn't me"), one to the new address (confirm). The change completes when both have said
// yes within the hour, and only while the user still has the address it started from. Deleting the
// row (a password reset or change, sign out everywhere, a newer request) kills both links.
import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { type ObservedPool, queryVia } from "../db";
import { LINK_LIFETIME_SECONDS } from "../mail/account-mail";

type Db = Pick<ObservedPool, "connect">;

export type LinkKind = "current" | "new";

export interface PendingChange {
  id: string;
  userId: string;
  oldEmail: string;
  newEmail: string;
  approved: boolean;
  confirmed: boolean;
  expired: boolean;
}

/** How a completion ended: the address changed, it belongs to someone else by now, or the account moved on. */
export type Completion = "changed" | "taken" | "stale";

const digest = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
const newToken = () => randomBytes(32).toString("base64url");

interface Row {
  id: string;
  user_id: string;
  old_email: string;
  new_email: string;
  approved_at: Date | null;
  confirmed_at: Date | null;
  expired: boolean;
  kind: LinkKind;
}

const COLUMNS = "id, user_id, old_email, new_email, approved_at, confirmed_at, expires_at <= now() AS expired";

const toChange = (r: Row): PendingChange => ({
  id: r.id,
  userId: r.user_id,
  oldEmail: r.old_email,
  newEmail: r.new_email,
  approved: r.approved_at !== null,
  confirmed: r.confirmed_at !== null,
  expired: r.expired,
});

/** A new pending change for `userId` (any earlier one of theirs is void); the two links' tokens. */
export async function startEmailChange(db: Db, change: { userId: string; oldEmail: string; newEmail: string }) {
  const tokens = { current: newToken(), new: newToken() };
  // One statement: the user's earlier change goes as this one comes.
  await queryVia(
    db,
    `WITH earlier AS (DELETE FROM email_change WHERE user_id = $2)
     INSERT INTO email_change (id, user_id, old_email, new_email, current_token_hash, new_token_hash, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))`,
    [randomUUID(), change.userId, change.oldEmail, change.newEmail, digest(tokens.current), digest(tokens.new), LINK_LIFETIME_SECONDS],
  );
  return tokens;
}

/** The change a link belongs to, and which of its two links it is; null for an unknown (or spent) link. */
export async function findByToken(db: Db, token: string): Promise<{ change: PendingChange; kind: LinkKind } | null> {
  const hash = digest(token);
  const { rows } = await queryVia<Row>(
    db,
    `SELECT ${COLUMNS}, CASE WHEN current_token_hash = $1 THEN 'current' ELSE 'new' END AS kind
     FROM email_change WHERE current_token_hash = $1 OR new_token_hash = $1`,
    [hash],
  );
  const row = rows[0];
  return row ? { change: toChange(row), kind: row.kind } : null;
}

/**
 * Records the yes of one link (once: a link already used says no more), then completes the change
 * if both have said yes. Null when the link is unknown, spent or expired. Two links answered at the
 * same moment cannot both miss the other's yes: the second UPDATE waits for the first's row lock and
 * then sees its column set.
 */
export async function approveByLink(db: Db, token: string, kind: LinkKind): Promise<{ change: PendingChange; completion: Completion | null } | null> {
  const [hashColumn, atColumn] = kind === "current" ? ["current_token_hash", "approved_at"] : ["new_token_hash", "confirmed_at"];
  const { rows } = await queryVia<Row>(
    db,
    `UPDATE email_change SET ${atColumn} = now()
     WHERE ${hashColumn} = $1 AND ${atColumn} IS NULL AND expires_at > now()
     RETURNING ${COLUMNS}, '${kind}' AS kind`,
    [digest(token)],
  );
  if (!rows[0]) return null;
  const change = toChange(rows[0]);
  if (!change.approved || !change.confirmed) return { change, completion: null };
  return { change, completion: await complete(db, change) };
}

// One statement: the pending row goes, and the address changes (and counts as proven) if the user
// still has the old one. A new address registered meanwhile fails the whole statement (the unique
// index on email), so the row is then removed on its own.
const COMPLETE = `
WITH done AS (DELETE FROM email_change WHERE id = $1 RETURNING user_id, old_email, new_email)
UPDATE "user" u SET email = done.new_email, email_verified = true, updated_at = now()
FROM done WHERE u.id = done.user_id AND u.email = done.old_email
RETURNING u.id`;

async function complete(db: Db, change: PendingChange): Promise<Completion> {
  try {
    return (await queryVia(db, COMPLETE, [change.id])).rowCount === 1 ? "changed" : "stale";
  } catch (err) {
    if ((err as { code?: string }).code !== "23505") throw err; // unique_violation: registered meanwhile
    await queryVia(db, "DELETE FROM email_change WHERE id = $1", [change.id]);
    return "taken";
  }
}

/** "This wasn't me": the change is void; the caller ends every session of the user. Null for an unknown, used-up or expired link. */
export async function cancelByLink(db: Db, token: string): Promise<{ userId: string } | null> {
  const { rows } = await queryVia<{ user_id: string }>(db, "DELETE FROM email_change WHERE current_token_hash = $1 AND expires_at > now() RETURNING user_id", [
    digest(token),
  ]);
  return rows[0] ? { userId: rows[0].user_id } : null;
}
