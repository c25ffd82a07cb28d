// The Settings page's query (src/app/settings/activity/): a user's own security events, newest
// first, a page at a time (docs/security.md "Security activity"). Keyset pages: `before` is the id
// of the last event shown, looked up among the SAME user's rows, so an id of anyone else's event
// names no row and the page is empty. Served by the index (user_id, created_at DESC, id DESC); the
// ORDER BY names the table's id (the bigint), not the text the SELECT answers as `id`.
import "server-only";
import type { Pool } from "pg";
import type { AuthEventDetail } from "./types";

export const ACTIVITY_PAGE_SIZE = 20;

export interface ActivityEvent {
  id: string;
  type: string;
  method: string | null;
  sessionId: string | null;
  userAgent: string | null;
  /** The coarse place: `203.0.113.0/24`, `2001:db8:1::/48`, or null where unknown. */
  network: string | null;
  detail: AuthEventDetail;
  createdAt: string;
}

export interface ActivityPage {
  events: ActivityEvent[];
  /** The `before` of the next (older) page, or null when this is the last. */
  older: string | null;
}

/** A `before` from the query string: a row id (a positive bigint), or null for the first page. */
export function parseCursor(value: unknown): string | null {
  return typeof value === "string" && /^[1-9][0-9]{0,17}$/.test(value) ? value : null;
}

/** The statement of a page (exported for the plan check in its test). */
export const PAGE_QUERY = `
SELECT id::text AS id, type, method, session_id, user_agent, network::text AS network, detail, created_at
FROM auth_event
WHERE user_id = $1
  AND ($2::bigint IS NULL OR (created_at, id) < (SELECT created_at, id FROM auth_event WHERE id = $2::bigint AND user_id = $1))
ORDER BY created_at DESC, auth_event.id DESC
LIMIT $3`;

interface Row {
  id: string;
  type: string;
  method: string | null;
  session_id: string | null;
  user_agent: string | null;
  network: string | null;
  detail: AuthEventDetail;
  created_at: Date;
}

/** The page of `userId`'s events older than the event `before` (the newest without one). */
export async function activityPage(db: Pick<Pool, "query">, userId: string, before: string | null, size = ACTIVITY_PAGE_SIZE): Promise<ActivityPage> {
  const { rows } = await db.query<Row>(PAGE_QUERY, [userId, before, size + 1]);
  const events = rows.slice(0, size).map((r) => ({
    id: r.id,
    type: r.type,
    method: r.method,
    sessionId: r.session_id,
    userAgent: r.user_agent,
    network: r.network,
    detail: r.detail,
    createdAt: r.created_at.toISOString(),
  }));
  return { events, older: rows.length > size ? events.at(-1)!.id : null };
}
