"use client";
// "Confirm it's you": the prompt of a step-up (docs/security.md "Step-up"). Something the user asked
// for needs a recent sign-in; they prove a credential again and the current session's auth_time moves
// to now, then the caller retries. The ways, as the account has them:
// - the password (POST /api/auth/re-authenticate, src/server/re-authenticate.ts: amr pwd); when
//   two-step sign-in is on (or the step-up asked for a second factor, `secondFactor`), then the app's
//   code or a backup code (/two-factor/verify-totp | verify-backup-code in this session, within 10 minutes of
//   the password: src/server/second-factor/plugin.ts makes the proof pwd + otp + mfa);
// - a passkey (passkey-confirm.tsx: the same session confirmed, amr hwk + user + mfa), on its own;
// - an account without a password signs in again instead (or uses its passkey).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { signInHref } from "@/lib/return-path";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { Label } from "@/components/ui/label";
import { PasswordInput } from "@/components/ui/password-input";
import { NETWORK_ERROR_MESSAGE, reach } from "@/components/reach";
import { PasskeyConfirm } from "./passkey-confirm";
import { usePasswordStep } from "./use-password-step";
import { TwoFactorCodeForm } from "./two-factor-code-form";
import { SubmitButton } from "@/components/ui/submit-button";

export interface ConfirmItsYouProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** What the confirmation is for, in a few words ("Downloading your data"). */
  purpose: string;
  /** The account has a password (a credential account). */
  hasPassword: boolean;
  /** The step-up asked for a second factor too (its challenge's acr_values="mfa"). */
  secondFactor?: boolean;
  /** Two-step sign-in is on for the account: a code follows the password. */
  twoFactor?: boolean;
  /** The account has a passkey, which confirms on its own. */
  hasPasskey?: boolean;
  /** Where to come back after signing in again (an account without a password). */
  returnTo: string;
  /** Runs once confirmed; the prompt has closed. */
  onConfirmed: () => void;
  /** The session ended meanwhile. */
  onSignedOut: () => void;
}

export function ConfirmItsYou({ open, onOpenChange, purpose, ...ways }: ConfirmItsYouProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogTitle>Confirm it&apos;s you</DialogTitle>
        <DialogDescription>{purpose} needs a recent sign-in. It has been a while since yours.</DialogDescription>
        <ConfirmWays {...ways} />
      </DialogContent>
    </Dialog>
  );
}

function ConfirmWays({ hasPassword, secondFactor, twoFactor, hasPasskey, returnTo, onConfirmed, onSignedOut }: Omit<ConfirmItsYouProps, "open" | "onOpenChange" | "purpose">) {
  // The password proved: the code next, when the step-up asked for a second factor the account has.
  const [codeNext, setCodeNext] = useState(false);
  const passkey = hasPasskey ? <PasskeyConfirm onConfirmed={onConfirmed} onSignedOut={onSignedOut} /> : null;
  if (codeNext) {
    return (
      <div className="grid gap-3">
        <p className="m-0 text-sm">Your password is right. Now enter the code your authenticator app shows, or one of your backup codes.</p>
        <TwoFactorCodeForm label="Confirm with your code" submit="Confirm" allowBackup onVerified={onConfirmed} onSignedOut={onSignedOut} />
      </div>
    );
  }
  // With two-step sign-in on, the backend wants the second factor in every confirmation (a password
  // alone makes the proof pwd only), whether or not this challenge said so (it does not when the old
  // sign-in had used a code): the code follows the password.
  const codeAfter = secondFactor === true || twoFactor === true;
  return (
    <>
      {hasPassword ? (
        <PasswordConfirm onConfirmed={codeAfter ? () => setCodeNext(true) : onConfirmed} onSignedOut={onSignedOut} />
      ) : (
        <SignInAgain returnTo={returnTo} />
      )}
      {hasPassword && codeAfter ? <p className="m-0 text-sm text-muted-foreground">Then the code from your authenticator app.</p> : null}
      {passkey ? (
        <>
          <p className="m-0 text-center text-sm text-muted-foreground">
            or
          </p>
          {passkey}
        </>
      ) : null}
    </>
  );
}

const messageOf = (status: number, body: { code?: string; message?: string }) => {
  if (body.code === "INVALID_PASSWORD") return "That is not your password.";
  if (status === 429 && body.message) return body.message;
  return body.message ?? "Could not confirm right now. Try again.";
};

function PasswordConfirm({ onConfirmed, onSignedOut }: { onConfirmed: () => void; onSignedOut: () => void }) {
  // Its FormError has no id: a refusal here does not move focus.
  const { id, password, setPassword, sending, error, onSubmit } = usePasswordStep(async (password): Promise<string | undefined> => {
    const sent = await reach((signal) =>
      fetch("/api/auth/re-authenticate", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ password }), signal }).then(async (res) => ({
        status: res.status,
        body: (await res.json().catch(() => ({}))) as { code?: string; message?: string },
      })),
    );
    if (!sent.reached) return NETWORK_ERROR_MESSAGE;
    if (sent.value.status === 200) onConfirmed();
    else if (sent.value.status === 401) onSignedOut();
    else return messageOf(sent.value.status, sent.value.body);
    return undefined;
  });

  return (
    <form className="grid gap-3" onSubmit={onSubmit} aria-label="Confirm with your password" noValidate>
      <div className="grid gap-2">
        <Label htmlFor={`${id}-password`}>Password</Label>
        <PasswordInput id={`${id}-password`} name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus />
      </div>
      <FormError message={error} />
      <SubmitButton disabled={sending} className="justify-self-start">
        {sending ? "Confirming…" : "Confirm"}
      </SubmitButton>
    </form>
  );
}

function SignInAgain({ returnTo }: { returnTo: string }) {
  const router = useRouter();
  const [leaving, setLeaving] = useState(false);
  async function signInAgain() {
    setLeaving(true);
    await authClient.signOut().catch(() => undefined);
    router.push(signInHref(returnTo));
  }
  return (
    <div className="grid gap-3">
      <p className="m-0 text-sm">Your account signs in through a provider. Sign in again with it, then try once more within 10 minutes.</p>
      <Button type="button" onClick={() => void signInAgain()} disabled={leaving} className="justify-self-start">
        {leaving ? "Signing out…" : "Sign in again"}
      </Button>
    </div>
  );
}
