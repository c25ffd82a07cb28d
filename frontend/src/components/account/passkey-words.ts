// One sentence for each way a passkey ceremony can end without what was asked (docs/security.md
// "Passkeys"). The answers come from @better-auth/passkey's client: a WebAuthn error of the browser
// (@simplewebauthn/browser's codes: a person who closes the prompt is NotAllowedError, passed through
// as ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY), or the server's refusal (its code and HTTP status).
import { NETWORK_ERROR_MESSAGE } from "@/components/reach";
import { countCodePoints } from "@/lib/password-policy";
import { hasForbiddenCharacter } from "@/lib/profile-rules";

export interface PasskeyError {
  code?: string;
  status?: number;
  message?: string;
}

/** A passkey ceremony waits for the person: longer than a form's deadline. */
export const CEREMONY_TIMEOUT_MS = 120_000;

export const NO_WEBAUTHN_MESSAGE = "This browser cannot use passkeys. Use an up-to-date browser, or another way.";

/** The person closed the browser's prompt, or it was superseded: nothing to explain but "not used". */
const CANCELLED_CODES = new Set(["ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY", "ERROR_CEREMONY_ABORTED"]);
/** The server's own sentences, written for people (src/server/second-factor/, src/server/throttle.ts). */
const SAID_BY_SERVER = new Set([
  "USER_VERIFICATION_REQUIRED",
  "RATE_LIMITED",
  "PASSKEY_OF_ANOTHER_ACCOUNT",
  "PREVIOUSLY_REGISTERED",
  "PASSKEY_NAME_REQUIRED",
  "PASSKEY_NAME_TOO_LONG",
  "PASSKEY_NAME_INVALID_CHARACTERS",
]);

/** What every ceremony has in common; `undefined` when the failure is particular to one of them. */
function commonFailure(error: PasskeyError): string | undefined {
  // The client answers AUTH_CANCELLED when its verifying request itself failed (it catches the fetch).
  if (error.code === "AUTH_CANCELLED") return NETWORK_ERROR_MESSAGE;
  if (error.code && SAID_BY_SERVER.has(error.code) && error.message) return error.message;
  if (error.status === 429) return error.message ?? "Too many attempts. Please try again in a minute.";
  if (error.status === 503) return "This is temporarily unavailable. Please try again in a few seconds.";
  return undefined;
}

/** Signing in with a passkey. */
export function signInFailure(error: PasskeyError): string {
  if (error.code && CANCELLED_CODES.has(error.code)) return "No passkey was used. Try again, or sign in with your password.";
  if (error.code === "PASSKEY_NOT_FOUND") return "This passkey is not registered here any more. Sign in with your password, then add it again in Settings.";
  return commonFailure(error) ?? "Could not sign in with the passkey. Try again, or sign in with your password.";
}

/** "Confirm it's you" with a passkey. */
export function confirmFailure(error: PasskeyError): string {
  if (error.code && CANCELLED_CODES.has(error.code)) return "No passkey was used. Try again, or confirm another way.";
  if (error.code === "PASSKEY_NOT_FOUND") return "That passkey is not registered to your account. Use another one, or confirm another way.";
  return commonFailure(error) ?? "Could not confirm with the passkey. Try again, or confirm another way.";
}

/** Adding a passkey in Settings. */
export function addFailure(error: PasskeyError): string {
  if (error.code && CANCELLED_CODES.has(error.code)) return "No passkey was added. Try again when you are ready.";
  if (error.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" || error.code === "PREVIOUSLY_REGISTERED") {
    return "A passkey on this device is registered already. Use it to sign in, or add one on another device.";
  }
  if (error.code === "ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT" || error.code === "ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT") {
    return "This device cannot keep a passkey that unlocks with a PIN, fingerprint or face. Try another device.";
  }
  return commonFailure(error) ?? "Could not add the passkey. Try again.";
}

const CHANGE_FALLBACK = {
  list: "Could not load your passkeys. Reload the page to try again.",
  rename: "Could not rename the passkey. Try again.",
  remove: "Could not remove the passkey. Try again.",
} as const;

/** Listing, renaming or removing passkeys. */
export function changeFailure(error: PasskeyError, what: keyof typeof CHANGE_FALLBACK): string {
  if (error.code === "PASSKEY_NOT_FOUND" || error.status === 404) return "This passkey is not registered any more. Reload the page to see your passkeys.";
  return commonFailure(error) ?? CHANGE_FALLBACK[what];
}

/** The server's limit on a passkey's name (src/server/second-factor/plugin.ts, the `passkey` table's CHECK). */
export const PASSKEY_NAME_MAX = 100;

/**
 * The name rules the server applies (422 there), checked before the browser's prompt: a name refused
 * only after the ceremony would leave a passkey on the device that this site does not know.
 */
export function passkeyNameProblem(name: string): string | undefined {
  if (name.trim() === "") return "Give the passkey a name.";
  if (hasForbiddenCharacter(name)) return "A passkey's name cannot contain control characters or line breaks.";
  if (countCodePoints(name.trim()) > PASSKEY_NAME_MAX) return `A passkey's name must be at most ${PASSKEY_NAME_MAX} characters.`;
  return undefined;
}

/** How the passkey is kept, when the authenticator said (WebAuthn's backup eligibility). */
export function describeKeeping(deviceType: string | null | undefined): string | undefined {
  if (deviceType === "multiDevice") return "Synced to your other devices";
  if (deviceType === "singleDevice") return "Kept on one device";
  return undefined;
}
