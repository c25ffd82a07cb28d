// The kinds of security event an account's activity log holds (docs/security.md "Security
// activity"), in one place: recording them (record.ts) and saying them in plain words
// (src/components/account/activity-words.ts) both read this list. No `server-only` here: the words
// are rendered by a page, and a type list is no secret.

/**
 * Every event type: the account's own flows, then two-step sign-in, passkeys, sign-in providers and
 * the data export, each recorded by calling `recordEvent` (record.ts) with one of these.
 */
export const AUTH_EVENT_TYPES = [
  "sign-in",
  "sign-in-failed",
  "account-created",
  "account-confirmed",
  "password-changed",
  "password-reset",
  "email-change-requested",
  "email-changed",
  "sessions-revoked",
  "second-factor-enrolled",
  "second-factor-removed",
  "passkey-added",
  "passkey-removed",
  "provider-linked",
  "provider-unlinked",
  "data-exported",
] as const;

export type AuthEventType = (typeof AUTH_EVENT_TYPES)[number];

/**
 * The high-risk events whose recording also mails the account (a notice to its address): the
 * change of email mails its own notice already (src/server/email-change/), so it is not here.
 */
export const MAILED_EVENT_TYPES = ["second-factor-removed", "passkey-added"] as const satisfies readonly AuthEventType[];

/** What an event's `detail` may hold: short plain values, never a secret (record.ts checks). */
export type AuthEventDetail = Record<string, string | number | boolean | null>;
