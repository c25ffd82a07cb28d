// The sentences of two-step sign-in in Settings and in "Confirm it's you" (docs/security.md "Two-step
// sign-in"): one for each way a request can fail, and the key and backup codes as people read them.
// The answers come from Better Auth's twoFactor client (its error's code and HTTP status) or the
// app's throttle in front of it (src/server/throttle.ts: RATE_LIMITED, a used code).
import { NETWORK_ERROR_MESSAGE } from "@/components/reach";

export interface TwoFactorError {
  code?: string;
  status?: number;
  message?: string;
}

/** What was being checked: the password (turn on, new backup codes, turn off), an app's code or a backup code. */
export type Checked = "password" | "totp" | "backup";

/** The throttle's own sentence for an authenticator code that worked already (src/server/throttle.ts). */
const USED_CODE = /^This code was used already/;

/** The one sentence for a refusal (or `undefined` for no answer at all: the network). */
export function twoFactorFailure(error: TwoFactorError | undefined, checked: Checked): string {
  if (!error) return NETWORK_ERROR_MESSAGE;
  if (error.code === "INVALID_PASSWORD") return "That is not your password.";
  if (error.status === 429) return error.message ?? "Too many attempts. Please try again in a minute.";
  if (error.code === "INVALID_CODE" && error.message && USED_CODE.test(error.message)) return error.message;
  if (error.code === "INVALID_CODE") return "That code is not right. Enter the newest code your app shows.";
  if (error.code === "INVALID_BACKUP_CODE") return "That backup code is not right, or it was used already. Each one works once.";
  if (error.status === 503) return "This is temporarily unavailable. Please try again in a few seconds.";
  if (checked === "password") return "Could not change two-step sign-in right now. Please try again.";
  return "Could not check the code right now. Please try again.";
}

/** The base32 key of an `otpauth://` URI (what an app without a camera is typed), or "" when it has none. */
export function keyOf(totpURI: string): string {
  try {
    return new URL(totpURI).searchParams.get("secret") ?? "";
  } catch {
    return "";
  }
}

/** The key in groups of four, as it is read aloud or typed: "JBSW Y3DP EHPK 3PXP". */
export const groupedKey = (key: string) => key.match(/.{1,4}/g)?.join(" ") ?? "";

/** The backup codes as the downloaded file holds them. */
export function backupCodesFile(codes: readonly string[], email: string): string {
  return [
    `authbridge backup codes for ${email}`,
    "Each code signs you in once, in place of the code from your authenticator app.",
    "Keep this file somewhere safe, away from your phone.",
    "",
    ...codes,
    "",
  ].join("\n");
}

/** "You have 7 backup codes left." — what Settings says when two-step sign-in is on. */
export function codesLeftLine(left: number): string {
  if (left === 0) return "You have no backup codes left. Make new ones now, or you could be locked out if you lose your phone.";
  if (left === 1) return "You have 1 backup code left. Make new ones soon.";
  return `You have ${left} backup codes left.`;
}
