"use client";
// The second step of a sign-in (docs/security.md "Two-step sign-in"): the authenticator app's code, or
// one of the backup codes, and "Trust this device for 30 days" (which ends with this device's session
// if it is revoked elsewhere, and everywhere with "Sign out everywhere" or a password reset). Wrong
// codes are counted like wrong passwords: after a few the account's second step waits (429, its
// sentence shown as it comes). Its state and submit: use-two-factor-form.ts.
import { signInHref } from "@/lib/return-path";
import { CodeField } from "./code-field";
import { Button } from "./ui/button";
import { FormError } from "./ui/form-error";
import { IDS, useTwoFactorForm } from "./use-two-factor-form";
import { SubmitButton } from "@/components/ui/submit-button";

/** `next` is where to go after signing in: already checked to be a path on this site (src/lib/return-path.ts). */
export function TwoFactorForm({ next }: { next: string }) {
  const { router, trustId, kind, code, setCode, trustDevice, setTrustDevice, pending, error, onSubmit, switchKind } = useTwoFactorForm(next);

  return (
    <form className="grid gap-5" onSubmit={onSubmit} noValidate aria-busy={pending} aria-label="Second step of sign-in">
      <FormError id={IDS.form} message={error?.message} />
      {error?.expired ? (
        <Button type="button" variant="outline" onClick={() => router.replace(signInHref(next))}>
          Sign in again
        </Button>
      ) : null}
      <CodeField id={IDS.code} kind={kind} value={code} onChange={setCode} />
      <div className="flex items-start gap-3">
        <input id={trustId} type="checkbox" className="mt-0.5 size-5 shrink-0 cursor-pointer accent-primary" checked={trustDevice} onChange={(e) => setTrustDevice(e.target.checked)} />
        <label htmlFor={trustId} className="grid cursor-pointer gap-1 text-sm">
          <span className="font-medium">Trust this device for 30 days</span>
          <span className="text-muted-foreground">No code here after your password. Signing this device out from another one ends it.</span>
        </label>
      </div>
      <SubmitButton disabled={pending} className="w-full">
        {pending ? "Checking…" : "Continue"}
      </SubmitButton>
      <Button type="button" variant="link" className="justify-self-start px-0" onClick={switchKind}>
        {kind === "totp" ? "Use a backup code instead" : "Use a code from the app instead"}
      </Button>
    </form>
  );
}
