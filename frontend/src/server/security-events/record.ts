// The account's security activity (docs/security.md "Security activity"): ONE function,
// `recordEvent(db, event)`, appends an event to the user's log (table auth_event, the backend's
// migration 0006, append-only in the database too). Every flow that changes how an account is
// held calls it: this module's Better Auth plugin for Better Auth's own endpoints (plugin.ts), our
// flows where a hook cannot see the outcome, and the features that come (a second factor, passkeys,
// sign-in providers, a data export) with the types listed in types.ts.
// - Never in the way: one INSERT awaited, nothing else; a failure is a log line, never an error in
//   the request. The rest (the retention's batch, a high-risk event's mail) follows the response.
// - Nothing secret: no token, no password or hash, no full address of anyone. The device is the
//   request's User-Agent; the place is the client address only where AUTH_TRUSTED_IP_HEADER makes
//   it known, cut to its /24 (IPv4) or /48 (IPv6) network (the table's CHECK refuses narrower);
//   `detail` keeps short plain values, masks an email (`a…@example.com`) and drops any key that
//   names a secret.
// - Retention: rows older than AUTH_EVENT_RETENTION_DAYS are deleted a bounded batch at a time, at
//   most once a minute per process, started by a recording that succeeded (like throttle-store.ts's
//   cleanup).
// The settings (trusted header, retention, the mail for high-risk events) belong to the database
// handle the app's Better Auth uses: `bindSecurityEvents(db, …)` (plugin.ts does it once), so a
// caller needs nothing but that `db`.
import "server-only";
import { describeDevice } from "@/components/account/device-name";
import { afterResponse } from "../after-response";
import { type ObservedPool, queryVia } from "../db";
import { isDatabaseUnavailable } from "../db-errors";
import type { AccountMail } from "../mail/account-mail";
import { maskAddress } from "../mail/mailer";
import { clientAddress } from "../throttle-address";
import { type AuthEventDetail, type AuthEventType, MAILED_EVENT_TYPES } from "./types";

export { AUTH_EVENT_TYPES, type AuthEventDetail } from "./types";

type Db = Pick<ObservedPool, "connect">;

export interface AuthEventInput {
  userId: string;
  type: AuthEventType;
  /** How: `password`, `github`, `google`, `oidc`, `totp`, `passkey`, … */
  method?: string | null;
  /** The session the event started (a sign-in) or happened in. */
  sessionId?: string | null;
  /** Where the device and the coarse place come from: a Request, or a Better Auth endpoint context. */
  request?: { headers?: Headers | null } | null;
  detail?: AuthEventDetail;
}

export interface SecurityEventSettings {
  /** AUTH_TRUSTED_IP_HEADER: without one, no place is recorded. */
  trustedAddressHeaders: readonly string[];
  /** AUTH_EVENT_RETENTION_DAYS. */
  retentionDays: number;
  /** The notices of MAILED_EVENT_TYPES; without it they are a log line. */
  mail?: Pick<AccountMail, "secondFactorRemoved" | "passkeyAdded">;
  /** The retention's pace: at most one batch per `everySeconds` per process. */
  cleanup?: { everySeconds: number; batch: number };
}

const DEFAULT_CLEANUP = { everySeconds: 60, batch: 500 };
const DEFAULTS: SecurityEventSettings = { trustedAddressHeaders: [], retentionDays: 365 };

interface Binding {
  settings: SecurityEventSettings;
  lastCleanup: number;
}

const bindings = new WeakMap<Db, Binding>();

/** The settings of the events recorded through `db` (the app's Better Auth handle). */
export function bindSecurityEvents(db: Db, settings: SecurityEventSettings): void {
  bindings.set(db, { settings, lastCleanup: Number.NEGATIVE_INFINITY });
}

function bindingOf(db: Db): Binding {
  let binding = bindings.get(db);
  if (!binding) {
    binding = { settings: DEFAULTS, lastCleanup: Number.NEGATIVE_INFINITY };
    bindings.set(db, binding);
  }
  return binding;
}

/** `203.0.113.0/24` or `2001:db8:1::/48`: the network of a client address (throttle-address.ts's form), never the address. */
export function coarseNetwork(address: string | null): string | null {
  if (address === null) return null;
  if (address.includes(":")) return `${address.split(":").slice(0, 3).join(":")}::/48`;
  return `${address.split(".").slice(0, 3).join(".")}.0/24`;
}

const USER_AGENT_MAX = 512;
const DETAIL_KEYS_MAX = 20;
const DETAIL_VALUE_MAX = 200;
/** A key that names a secret is never stored, whatever its value. */
const SECRET_KEY = /password|passwd|token|secret|hash|cookie|otp|^codes?$|backup-?codes?|(api|private)-?key/i;
/** A whole email address (a masked one has `…` before its `@`). */
const EMAIL = /^[^\s@…]+@[^\s@]+$/;

/** `detail` as stored: at most 20 keys, none naming a secret, short strings, every email masked. */
export function storableDetail(detail: AuthEventDetail = {}): AuthEventDetail {
  const kept: AuthEventDetail = {};
  for (const [key, value] of Object.entries(detail).slice(0, DETAIL_KEYS_MAX)) {
    if (SECRET_KEY.test(key)) {
      console.warn(`security events: detail "${key}" not stored (it may hold a secret)`);
      continue;
    }
    kept[key] = typeof value === "string" ? (EMAIL.test(value.trim()) ? maskAddress(value.trim()) : value).slice(0, DETAIL_VALUE_MAX) : value;
  }
  return kept;
}

/**
 * The INSERT of one event for the user that `$1` names by `column`, answering that user (for a
 * notice): one statement; a user that does not exist inserts nothing and answers no row.
 */
const insertFor = (column: "id" | "email") => `
WITH owner AS (SELECT id, email, name, email_verified FROM "user" WHERE ${column} = $1),
added AS (
  INSERT INTO auth_event (user_id, type, method, session_id, user_agent, network, detail)
  SELECT id, $2, $3, $4, $5, $6::cidr, $7::jsonb FROM owner
  RETURNING user_id)
SELECT owner.email, owner.name, owner.email_verified FROM owner JOIN added ON added.user_id = owner.id`;

interface Owner {
  email: string;
  name: string;
  email_verified: boolean;
}

const DELETE_EXPIRED = `
DELETE FROM auth_event WHERE id IN (
  SELECT id FROM auth_event WHERE created_at < now() - make_interval(days => $1::int) ORDER BY created_at LIMIT $2::int)`;

type Who = { id: string } | { email: string };

/** Inserts the event; its user (for a notice) when a row was written, else null (no such user, or a failure: logged). */
async function insert(db: Db, who: Who, event: Omit<AuthEventInput, "userId">): Promise<Owner | null> {
  const binding = bindingOf(db);
  const headers = event.request?.headers ?? null;
  const userAgent = headers?.get("user-agent")?.trim().slice(0, USER_AGENT_MAX) || null;
  const network = headers ? coarseNetwork(clientAddress(headers, binding.settings.trustedAddressHeaders)) : null;
  const [column, subject] = "id" in who ? (["id", who.id] as const) : (["email", who.email] as const);
  try {
    const { rows } = await queryVia<Owner>(db, insertFor(column), [
      subject,
      event.type,
      event.method?.slice(0, 40) ?? null,
      event.sessionId ?? null,
      userAgent,
      network,
      JSON.stringify(storableDetail(event.detail)),
    ]);
    startCleanup(db, binding);
    return rows[0] ?? null;
  } catch (err) {
    console.warn(`security events: could not record ${event.type} (${(err as { code?: string }).code ?? (err as Error).message})`);
    return null;
  }
}

/** The retention's batch, after the response, at most once per `everySeconds` in this process. */
function startCleanup(db: Db, binding: Binding): void {
  const { everySeconds, batch } = binding.settings.cleanup ?? DEFAULT_CLEANUP;
  const now = Date.now();
  if (now - binding.lastCleanup < everySeconds * 1000) return;
  binding.lastCleanup = now;
  afterResponse(async () => {
    try {
      await queryVia(db, DELETE_EXPIRED, [binding.settings.retentionDays, batch]);
    } catch (err) {
      // An outage is said by whatever meets it in a request; the next batch comes a minute later.
      if (!isDatabaseUnavailable(err)) console.warn(`security events: retention failed (${(err as { code?: string }).code ?? (err as Error).message})`);
    }
  });
}

/**
 * The device in a notice's words: a browser and system bowser recognises, never the raw agent, which
 * is text the requester chose (docs/security.md "Mail that cannot be turned against anyone").
 */
export function mailDevice(userAgent: string | null): string {
  const device = describeDevice(userAgent);
  if (device === "Unknown device") return "an unknown device";
  return device.startsWith("Other client") ? "an unrecognised browser or app" : device;
}

const isMailed = (type: AuthEventType): type is (typeof MAILED_EVENT_TYPES)[number] => (MAILED_EVENT_TYPES as readonly string[]).includes(type);

/** A high-risk event's notice to the account's address (sent after the response, mailer.ts). */
function mailNotice(db: Db, owner: Owner, type: (typeof MAILED_EVENT_TYPES)[number], userAgent: string | null): void {
  const { mail } = bindingOf(db).settings;
  if (!mail) {
    console.warn(`security events: no mail configured for ${type}`);
    return;
  }
  const user = { email: owner.email, name: owner.name, emailVerified: owner.email_verified };
  if (type === "passkey-added") mail.passkeyAdded(user, mailDevice(userAgent));
  else mail.secondFactorRemoved(user, mailDevice(userAgent));
}

/**
 * Appends `event` to its user's security activity: one INSERT, awaited; never throws (a failure
 * is a log line). Second factor removed and passkey added also mail the account a notice.
 */
export async function recordEvent(db: Db, event: AuthEventInput): Promise<void> {
  const { userId, ...rest } = event;
  const owner = await insert(db, { id: userId }, rest);
  if (owner && isMailed(event.type)) mailNotice(db, owner, event.type, event.request?.headers?.get("user-agent") ?? null);
}

/**
 * A failed sign-in of the account `email` names (normalized), if there is one: recorded after the
 * response, so the answer, its headers and its time are the same whether or not the account
 * exists (an unknown email inserts nothing).
 */
export function recordFailedSignIn(db: Db, email: string, request: AuthEventInput["request"]): void {
  afterResponse(async () => {
    await insert(db, { email }, { type: "sign-in-failed", method: "password", request });
  });
}
