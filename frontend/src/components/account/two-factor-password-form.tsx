"use client";
// The current password before a change to two-step sign-in (turn on, new backup codes, turn off):
// Better Auth checks it, and the throttle counts a wrong one towards the password-check lock
// (docs/security.md "Rate limiting"). `send` answers the refusal's sentence, or nothing when done.
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { Label } from "@/components/ui/label";
import { PasswordInput } from "@/components/ui/password-input";

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
  const id = useId();
  const [password, setPassword] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    if (!password) return setError("Enter your password.");
    setSending(true);
    setError(undefined);
    const refused = await send(password);
    setSending(false);
    if (refused) {
      setError(refused);
      document.getElementById(`${id}-error`)?.focus();
    }
  }

  return (
    <form className="grid gap-3" onSubmit={onSubmit} aria-label={label} noValidate>
      <FormError id={`${id}-error`} message={error} />
      <div className="grid gap-2">
        <Label htmlFor={`${id}-password`}>Your password</Label>
        <PasswordInput id={`${id}-password`} name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus />
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant={destructive ? "destructive" : "default"} disabled={sending}>
          {sending ? pending : submit}
        </Button>
        <Button type="button" variant="outline" onClick={onCancel} disabled={sending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
