"use client";
// Sign out everywhere, after a confirmation: deletes every session of the account, this one too,
// so every backend token of the user gets 401 on its next request.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { UNREACHABLE } from "./email-request-form";
import { Button } from "@/components/ui/button";
import { isSignedOutError, SignedOutNotice, useSignedOut } from "@/components/signed-out-notice";

export function SignOutEverywhere() {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [signedOut, onSignedOut] = useSignedOut();

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const { error: failed } = await authClient.revokeSessions();
      if (isSignedOutError(failed)) return onSignedOut(); // this session had already ended
      if (failed) throw new Error(failed.message ?? "Could not sign out everywhere. Try again.");
      router.replace("/sign-in"); // signed out on purpose: nothing to explain
      router.refresh();
    } catch (err) {
      setError(err instanceof TypeError ? UNREACHABLE : (err as Error).message);
      setBusy(false);
    }
  }

  if (signedOut) return <SignedOutNotice />;
  if (!confirming) {
    return (
      <Button type="button" onClick={() => setConfirming(true)} variant="outline" size="sm" className="justify-self-start border-destructive text-destructive">
        Sign out everywhere…
      </Button>
    );
  }
  return (
    <div role="group" aria-label="Confirm sign out everywhere" className="grid gap-3 rounded-md border border-destructive p-3 text-sm">
      <p className="m-0">Sign out of every device, this one included? Everyone using your account will have to sign in again.</p>
      {error ? (
        <p role="alert" className="m-0 text-destructive">
          {error}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="button" onClick={() => void confirm()} disabled={busy} variant="destructive" size="sm">
          {busy ? "Signing out…" : "Yes, sign out everywhere"}
        </Button>
        <Button type="button" onClick={() => setConfirming(false)} disabled={busy} variant="outline" size="sm">
          Cancel
        </Button>
      </div>
    </div>
  );
}
