"use client";
// What the second step of a sign-in does (two-factor-form.tsx renders it): the code typed, which kind
// (the authenticator app's or a backup code), "Trust this device", and the submit that checks the code
// and goes on to `next`, or shows the sentence for a refused one (docs/security.md "Two-step sign-in").
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";

export const IDS = { code: "code", form: "two-factor-error" } as const;

type Kind = "totp" | "backup";

interface CodeError {
  code?: string;
  status?: number;
  message?: string;
}

/** The sentence for a refused code; `expired` when the sign-in must start again. */
export function codeFailure(error: CodeError, kind: Kind): { message: string; expired?: true } {
  if (error.code === "INVALID_TWO_FACTOR_COOKIE" || error.code === "TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE") {
    return { message: "This sign-in expired or had too many wrong codes. Sign in again with your password.", expired: true };
  }
  if (error.code === "RATE_LIMITED" && error.message) return { message: error.message };
  if (error.code === "INVALID_BACKUP_CODE") return { message: "That backup code is not right, or it was used already. Each one works once." };
  // The throttle's own sentence for an authenticator code that worked already (src/server/throttle.ts).
  if (error.code === "INVALID_CODE" && error.message?.startsWith("This code was used already")) return { message: error.message };
  if (error.code === "INVALID_CODE") {
    return { message: kind === "totp" ? "That code is not right. Enter the newest code your app shows." : "That code is not right." };
  }
  if (error.status === 503) return { message: "Sign-in is temporarily unavailable. Please try again in a few seconds." };
  return { message: "Could not check the code right now. Please try again." };
}

/** The form's state and its submit; `next` is where to go after signing in (src/lib/return-path.ts checked it). */
export function useTwoFactorForm(next: string) {
  const router = useRouter();
  const trustId = useId();
  const [kind, setKind] = useState<Kind>("totp");
  const [code, setCode] = useState("");
  const [trustDevice, setTrustDevice] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; expired?: true }>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const typed = code.replace(/\s+/g, "");
    if (!typed) {
      setError({ message: kind === "totp" ? "Enter the 6-digit code from your app." : "Enter one of your backup codes." });
      return document.getElementById(IDS.code)?.focus();
    }
    setPending(true);
    setError(undefined);
    const body = { code: typed, trustDevice };
    const result = await reach((signal) =>
      kind === "totp" ? authClient.twoFactor.verifyTotp(body, { signal }) : authClient.twoFactor.verifyBackupCode(body, { signal }),
    );
    if (result.reached && !result.value.error) {
      router.replace(next);
      router.refresh();
      return;
    }
    setPending(false);
    setError(result.reached ? codeFailure(result.value.error ?? {}, kind) : { message: NETWORK_ERROR_MESSAGE });
    document.getElementById(IDS.form)?.focus();
  }

  function switchKind() {
    setKind(kind === "totp" ? "backup" : "totp");
    setCode("");
    setError(undefined);
  }

  return { router, trustId, kind, code, setCode, trustDevice, setTrustDevice, pending, error, onSubmit, switchKind };
}
