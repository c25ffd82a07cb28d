"use client";
// Two-step sign-in in Settings, "Sign-in methods" (docs/security.md "Two-step sign-in"), on Better
// Auth's twoFactor client: off → the password (/two-factor/enable answers the key and ten backup
// codes) → the key as a QR code and in text → the app's first code (/two-factor/verify-totp turns it
// on) → the backup codes, shown once. On → new backup codes (the password; the old ones stop working)
// or turn it off (the password; every trusted device ends). Each change refreshes the page's data.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import { reach } from "@/components/reach";
import { isSignedOutError, SignedOutNotice, useSignedOut } from "@/components/signed-out-notice";
import { TwoFactorBackupCodes } from "./two-factor-backup-codes";
import { TwoFactorCodeForm } from "./two-factor-code-form";
import { TwoFactorKey } from "./two-factor-key";
import { TwoFactorPasswordForm } from "./two-factor-password-form";
import { codesLeftLine, twoFactorFailure, type TwoFactorError } from "./two-factor-words";

export interface TwoFactorSettingsProps {
  enabled: boolean;
  hasPassword: boolean;
  email: string;
  /** How many backup codes are left, when two-step sign-in is on and the server could tell. */
  backupCodesLeft: number | null;
}

type Step =
  | { kind: "idle" | "enable" | "regenerate" | "disable" }
  | { kind: "scan"; totpURI: string; backupCodes: string[] }
  | { kind: "codes"; codes: string[] };

type Sent<T> = { reached: true; value: { data: T | null; error: TwoFactorError | null } } | { reached: false };

/** The three changes behind the password, each answering the refusal's sentence or nothing. */
function useTwoFactorChanges(setStep: (step: Step) => void, setChanged: (on: boolean) => void, onSignedOut: () => void) {
  const router = useRouter();
  function settle<T>(sent: Sent<T>, done: (data: T) => void): string | undefined {
    if (sent.reached && !sent.value.error && sent.value.data) return void done(sent.value.data);
    if (sent.reached && isSignedOutError(sent.value.error)) return void onSignedOut();
    return twoFactorFailure(sent.reached ? (sent.value.error ?? {}) : undefined, "password");
  }
  const changed = (message: string, on?: boolean) => {
    if (on !== undefined) setChanged(on);
    toast.success(message);
    router.refresh();
  };
  return {
    enable: async (password: string) =>
      settle(await reach((signal) => authClient.twoFactor.enable({ password }, { signal })), (data) =>
        setStep("totpURI" in data ? { kind: "scan", totpURI: data.totpURI, backupCodes: data.backupCodes } : { kind: "idle" }),
      ),
    verified: (backupCodes: string[]) => {
      changed("Two-step sign-in is on", true);
      setStep({ kind: "codes", codes: backupCodes });
    },
    regenerate: async (password: string) =>
      settle(await reach((signal) => authClient.twoFactor.generateBackupCodes({ password }, { signal })), (data) => {
        changed("New backup codes made: the old ones no longer work");
        setStep({ kind: "codes", codes: data.backupCodes });
      }),
    disable: async (password: string) =>
      settle(await reach((signal) => authClient.twoFactor.disable({ password }, { signal })), () => {
        changed("Two-step sign-in is off", false);
        setStep({ kind: "idle" });
      }),
  };
}

export function TwoFactorSettings({ enabled, hasPassword, email, backupCodesLeft }: TwoFactorSettingsProps) {
  const [step, setStep] = useState<Step>({ kind: "idle" });
  // What this page changed, until the refreshed page says the same.
  const [changed, setChanged] = useState<boolean | null>(null);
  const [signedOut, onSignedOut] = useSignedOut();
  const change = useTwoFactorChanges(setStep, setChanged, () => onSignedOut());
  const on = changed ?? enabled;
  const idle = () => setStep({ kind: "idle" });

  if (signedOut) return <SignedOutNotice />;
  if (!hasPassword && !on) {
    return <p className="m-0 text-sm">Two-step sign-in asks for your password first. Set a password in Sign-in methods above, then turn it on here.</p>;
  }
  switch (step.kind) {
    case "enable":
      return <TwoFactorPasswordForm label="Turn on two-step sign-in" submit="Continue" pending="Checking…" onCancel={idle} send={change.enable} />;
    case "scan":
      return (
        <div className="grid gap-5">
          <TwoFactorKey totpURI={step.totpURI} />
          <TwoFactorCodeForm label="Enter the code your app shows" submit="Turn on" onSignedOut={() => onSignedOut()} onVerified={() => change.verified(step.backupCodes)} />
          <Button type="button" variant="outline" className="justify-self-start" onClick={idle}>
            Cancel
          </Button>
        </div>
      );
    case "codes":
      return <TwoFactorBackupCodes codes={step.codes} email={email} onDone={idle} />;
    case "regenerate":
      return <TwoFactorPasswordForm label="Make new backup codes" submit="Make new codes" pending="Making codes…" onCancel={idle} send={change.regenerate} />;
    case "disable":
      return <TwoFactorPasswordForm label="Turn off two-step sign-in" submit="Turn off" pending="Turning off…" destructive onCancel={idle} send={change.disable} />;
    default:
      return <TwoFactorStatus on={on} backupCodesLeft={backupCodesLeft} onStep={(kind) => setStep({ kind })} />;
  }
}

function TwoFactorStatus({ on, backupCodesLeft, onStep }: { on: boolean; backupCodesLeft: number | null; onStep: (kind: "enable" | "regenerate" | "disable") => void }) {
  if (!on) {
    return (
      <div className="grid gap-3 text-sm">
        <p className="m-0" data-testid="two-factor-status">
          Two-step sign-in is off. Turn it on and, after your password, sign-in asks for a code from an authenticator app on your phone.
        </p>
        <Button type="button" className="justify-self-start" onClick={() => onStep("enable")}>
          Turn on two-step sign-in
        </Button>
      </div>
    );
  }
  return (
    <div className="grid gap-3 text-sm">
      <p className="m-0" data-testid="two-factor-status">
        Two-step sign-in is on: after your password, sign-in asks for the code your authenticator app shows.
      </p>
      {backupCodesLeft !== null ? (
        <p className="m-0 text-muted-foreground" data-testid="backup-codes-left">
          {codesLeftLine(backupCodesLeft)}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" onClick={() => onStep("regenerate")}>
          Regenerate backup codes
        </Button>
        <Button type="button" variant="outline" onClick={() => onStep("disable")}>
          Turn off
        </Button>
      </div>
    </div>
  );
}
