"use client";
// The current password before a change to two-step sign-in (turn on, new backup codes, turn off):
// Better Auth checks it, and the throttle counts a wrong one towards the password-check lock
// (docs/security.md "Rate limiting"). `send` answers the refusal's sentence, or nothing when done.
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { Label } from "@/components/ui/label";
import { PasswordInput } from "@/components/ui/password-input";
import { usePasswordStep } from "./use-password-step";
import { SubmitButton } from "@/components/ui/submit-button";

export interface PasswordStepProps {
  /** The form's name for assistive technology ("Turn on two-step sign-in"). */
  label: string;
  submit: string;
  pending: string;
  destructive?: boolean;
  send: (password: string) => Promise<string | undefined>;
  onCancel: () => void;
}

export function TwoFactorPasswordForm({ label, submit, pending, destructive, send, onCancel }: PasswordStepProps) {
  const { id, password, setPassword, sending, error, onSubmit } = usePasswordStep(send);

  return (
    <form className="grid gap-3" onSubmit={onSubmit} aria-label={label} noValidate>
      <FormError id={`${id}-error`} message={error} />
      <div className="grid gap-2">
        <Label htmlFor={`${id}-password`}>Your password</Label>
        <PasswordInput id={`${id}-password`} name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus />
      </div>
      <div className="flex flex-wrap gap-2">
        <SubmitButton variant={destructive ? "destructive" : "default"} disabled={sending}>
          {sending ? pending : submit}
        </SubmitButton>
        <Button type="button" variant="outline" onClick={onCancel} disabled={sending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
