"use client";
// The second step of a sign-in (docs/security.md "Two-step sign-in"): the authenticator app's code, or
// one of the backup codes, and "Trust this device for 30 days" (which ends with this device's session
// if it is revoked elsewhere, and everywhere with "Sign out everywhere" or a password reset). Wrong
// codes are counted like wrong passwords: after a few the account's second step waits (429, its
// sentence shown as it comes).
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { signInHref } from "@/lib/return-path";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";
import { Button } from "./ui/button";
import { Field } from "./ui/field";
import { FormError } from "./ui/form-error";

const IDS = { code: "code", form: "two-factor-error" } as const;

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

/** `next` is where to go after signing in: already checked to be a path on this site (src/lib/return-path.ts). */
export function TwoFactorForm({ next }: { next: string }) {
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

  return (
    <form className="grid gap-5" onSubmit={onSubmit} noValidate aria-busy={pending} aria-label="Second step of sign-in">
      <FormError id={IDS.form} message={error?.message} />
      {error?.expired ? (
        <Button type="button" variant="outline" onClick={() => router.replace(signInHref(next))}>
          Sign in again
        </Button>
      ) : null}
      {kind === "totp" ? (
        <Field
          id={IDS.code}
          name="code"
          label="Code from your authenticator app"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={7}
          autoFocus
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      ) : (
        <Field id={IDS.code} name="code" label="Backup code" autoComplete="off" autoCapitalize="none" spellCheck={false} maxLength={32} autoFocus value={code} onChange={(e) => setCode(e.target.value)} />
      )}
      <div className="flex items-start gap-3">
        <input id={trustId} type="checkbox" className="mt-0.5 size-5 shrink-0 cursor-pointer accent-primary" checked={trustDevice} onChange={(e) => setTrustDevice(e.target.checked)} />
        <label htmlFor={trustId} className="grid cursor-pointer gap-1 text-sm">
          <span className="font-medium">Trust this device for 30 days</span>
          <span className="text-muted-foreground">No code here after your password. Signing this device out from another one ends it.</span>
        </label>
      </div>
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Checking…" : "Continue"}
      </Button>
      <Button type="button" variant="link" className="justify-self-start px-0" onClick={switchKind}>
        {kind === "totp" ? "Use a backup code instead" : "Use a code from the app instead"}
      </Button>
    </form>
  );
}
