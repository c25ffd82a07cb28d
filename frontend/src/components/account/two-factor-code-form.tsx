"use client";
// A code from the authenticator app (or, where allowed, one of the backup codes) while signed in:
// the enrolment's first code, which turns two-step sign-in on, and "Confirm it's you" after the
// password (src/server/second-factor/plugin.ts: the session's proof becomes password + code). Wrong
// codes are counted like wrong passwords (the throttle's 429, its sentence shown as it comes).
import { useId, useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { CodeField } from "@/components/code-field";
import { reach } from "@/components/reach";
import { type Checked, twoFactorFailure, type TwoFactorError } from "./two-factor-words";
import { SubmitButton } from "@/components/ui/submit-button";

/** 401s that are about the code typed; any other 401 means this session is gone. */
const WRONG_CODE = new Set(["INVALID_CODE", "INVALID_BACKUP_CODE"]);

export interface CodeFormProps {
  /** The form's name for assistive technology. */
  label: string;
  submit: string;
  /** Offer "Use a backup code instead" (not while turning two-step sign-in on: the codes are not saved yet). */
  allowBackup?: boolean;
  onVerified: () => void;
  onSignedOut: () => void;
}

export function TwoFactorCodeForm({ label, submit, allowBackup, onVerified, onSignedOut }: CodeFormProps) {
  const id = useId();
  const [kind, setKind] = useState<Exclude<Checked, "password">>("totp");
  const [code, setCode] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const typed = code.replace(/\s+/g, "");
    if (!typed) return setError(kind === "totp" ? "Enter the 6-digit code from your app." : "Enter one of your backup codes.");
    setPending(true);
    setError(undefined);
    const sent = await reach((signal) =>
      kind === "totp" ? authClient.twoFactor.verifyTotp({ code: typed }, { signal }) : authClient.twoFactor.verifyBackupCode({ code: typed }, { signal }),
    );
    setPending(false);
    if (sent.reached && !sent.value.error) return onVerified();
    const refused: TwoFactorError | undefined = sent.reached ? (sent.value.error ?? {}) : undefined;
    if (refused?.status === 401 && !WRONG_CODE.has(refused.code ?? "")) return onSignedOut();
    setError(twoFactorFailure(refused, kind));
    document.getElementById(`${id}-error`)?.focus();
  }

  function switchKind() {
    setKind(kind === "totp" ? "backup" : "totp");
    setCode("");
    setError(undefined);
  }

  return (
    <form className="grid gap-3" onSubmit={onSubmit} aria-label={label} aria-busy={pending} noValidate>
      <FormError id={`${id}-error`} message={error} />
      <CodeField id={`${id}-code`} kind={kind} value={code} onChange={setCode} />
      <div className="flex flex-wrap items-center gap-2">
        <SubmitButton disabled={pending}>
          {pending ? "Checking…" : submit}
        </SubmitButton>
        {allowBackup ? (
          <Button type="button" variant="link" className="px-0" onClick={switchKind}>
            {kind === "totp" ? "Use a backup code instead" : "Use a code from the app instead"}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

