// A security event in plain words, as the Settings "Security activity" page says it
// (docs/security.md "Security activity"): "Signed in with a password", "Password changed", … The
// types are src/server/security-events/types.ts's; one the page does not know yet still reads as
// something ("Security event: …") rather than nothing.
import type { AuthEventType } from "@/server/security-events/types";

export interface ActivityWordsInput {
  type: string;
  method: string | null;
  detail: Record<string, unknown>;
}

const METHODS: Record<string, string> = {
  password: "a password",
  github: "GitHub",
  google: "Google",
  oidc: "single sign-on",
  totp: "an authenticator app",
  passkey: "a passkey",
  email: "an emailed link",
};

const PROVIDERS: Record<string, string> = { github: "GitHub", google: "Google", oidc: "Single sign-on" };

/** "GitHub", "Google", or the provider's own id. */
const providerName = (method: string | null) => (method ? (PROVIDERS[method] ?? method) : "A sign-in provider");

const text = (value: unknown) => (typeof value === "string" ? value : null);

const WORDS: Record<AuthEventType, (e: ActivityWordsInput) => string> = {
  "sign-in": (e) => (e.method ? `Signed in with ${METHODS[e.method] ?? e.method}` : "Signed in"),
  "sign-in-failed": () => "Failed sign-in: wrong password",
  "account-created": () => "Account created",
  "account-confirmed": (e) => (e.detail.proof === "new-password" ? "Email address confirmed and a new password set" : "Email address confirmed"),
  "password-changed": () => "Password changed",
  "password-reset": () => "Password reset through an emailed link",
  "email-change-requested": (e) => (text(e.detail.to) ? `Change of email to ${text(e.detail.to)} requested` : "Change of email requested"),
  "email-changed": (e) => (text(e.detail.to) ? `Email address changed to ${text(e.detail.to)}` : "Email address changed"),
  "sessions-revoked": (e) =>
    e.detail.scope === "everywhere" ? "Signed out everywhere" : e.detail.scope === "others" ? "Signed out on every other device" : "A session was signed out",
  "second-factor-enrolled": (e) => (e.method ? `Two-step sign-in turned on with ${METHODS[e.method] ?? e.method}` : "Two-step sign-in turned on"),
  "second-factor-removed": (e) => (e.method ? `Two-step sign-in with ${METHODS[e.method] ?? e.method} removed` : "Two-step sign-in removed"),
  "passkey-added": () => "Passkey added",
  "passkey-removed": () => "Passkey removed",
  "provider-linked": (e) => `${providerName(e.method)} account linked`,
  "provider-unlinked": (e) => `${providerName(e.method)} account unlinked`,
  "data-exported": () => "Your data was exported",
};

export function describeActivity(event: ActivityWordsInput): string {
  const words = (WORDS as Record<string, ((e: ActivityWordsInput) => string) | undefined>)[event.type];
  return words ? words(event) : `Security event: ${event.type}`;
}

/** The coarse place as the page says it. */
export const describeNetwork = (network: string | null) => (network ? `Network ${network}` : "Network unknown");
